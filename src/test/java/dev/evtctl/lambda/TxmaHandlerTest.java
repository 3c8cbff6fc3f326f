package dev.evtctl.lambda;

import static dev.evtctl.testing.FaultInjector.writesContaining;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.evtctl.core.processing.BatchFailedException;
import dev.evtctl.testing.BatchFailures;
import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.FaultInjector;
import dev.evtctl.testing.Fixtures;
import dev.evtctl.testing.PipelineTables;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

@ExtendWith(EmbeddedAws.class)
class TxmaHandlerTest {

  private static final String SESSION = "SESSION#sess-7f3a";

  private EmbeddedAws.Backends backends;
  private DynamoDbClient dynamoDb;
  private PipelineTables tables;
  private SqsEventsHandler handler;

  @BeforeEach
  void setUp(EmbeddedAws.Backends backends) {
    this.backends = backends;
    dynamoDb = backends.dynamoDb();
    tables = PipelineTables.create(dynamoDb, "txma");
    handler = new SqsEventsHandler(tables.environment(), dynamoDb, backends.sqs());
  }

  private List<Map<String, AttributeValue>> items() {
    return PipelineTables.scan(dynamoDb, tables.events(), "pk", "sk");
  }

  private List<String> keys() {
    return items().stream().map(item -> item.get("pk").s() + " " + item.get("sk").s()).toList();
  }

  private static String invalidPk() {
    return "INVALID#" + LocalDate.now(ZoneOffset.UTC);
  }

  @Test
  void storesEachEventUnderItsSessionWithTheRawBody() {
    // GIVEN three TxMA events, two for one session
    SQSEvent event = Fixtures.sqsEvent("txma-happy.json");

    // WHEN the handler processes the batch
    SQSBatchResponse response = handler.handleRequest(event, null);

    // THEN nothing is returned for retry and exactly three items are stored, bodies untouched
    assertThat(BatchFailures.of(response)).isEmpty();
    assertThat(keys())
        .containsExactly(
            SESSION + " TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_END#TIMESTAMP#1763900005",
            SESSION + " TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_START#TIMESTAMP#1763900000",
            "SESSION#sess-other TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_START#TIMESTAMP#1763900010");
    Map<String, AttributeValue> start = items().get(1);
    assertThat(start.get("event").s()).isEqualTo(event.getRecords().get(0).getBody());
    assertThat(start).containsOnlyKeys("pk", "sk", "event", "timeToLiveInSeconds");
    long ttl = Long.parseLong(start.get("timeToLiveInSeconds").n());
    assertThat(ttl - System.currentTimeMillis() / 1000).isBetween(1209600L - 60, 1209600L);
  }

  @Test
  void sameBodyAgainIsADuplicateEvenWithANewMessageId() {
    // GIVEN the same event twice, the second with the new messageId a redrive gives it
    SQSEvent event = Fixtures.sqsEvent("txma-duplicates.json");

    // WHEN processed, and the batch once more as a Lambda retry would
    SQSBatchResponse first = handler.handleRequest(event, null);
    SQSBatchResponse again = handler.handleRequest(event, null);

    // THEN one item, and every message acknowledged
    assertThat(BatchFailures.of(first)).isEmpty();
    assertThat(BatchFailures.of(again)).isEmpty();
    assertThat(keys())
        .containsExactly(SESSION + " TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_START#TIMESTAMP#1763900000");
  }

  @Test
  void twoDifferentEventsInTheSameSecondAreBothKept() {
    // GIVEN two events with the same session, name and second but different bodies
    SQSEvent event = Fixtures.sqsEvent("txma-same-second.json");
    List<String> bodies = event.getRecords().stream().map(SQSEvent.SQSMessage::getBody).toList();

    // WHEN processed twice (the second time both are duplicates)
    assertThat(BatchFailures.of(handler.handleRequest(event, null))).isEmpty();
    assertThat(BatchFailures.of(handler.handleRequest(event, null))).isEmpty();

    // THEN both are stored: whichever was written first under the sort key, the other under
    // the sort key plus 12 hex of its own SHA-256, so a begins_with(sk) query finds both
    String sk = "TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_5XXERROR#TIMESTAMP#1763900000";
    List<Map<String, AttributeValue>> items = items();
    assertThat(items).hasSize(2);
    assertThat(items.get(0).get("sk").s()).isEqualTo(sk);
    String suffixedBody = items.get(1).get("event").s();
    assertThat(items.get(1).get("sk").s()).isEqualTo(sk + "#" + sha256Prefix(suffixedBody));
    assertThat(List.of(items.get(0).get("event").s(), suffixedBody))
        .containsExactlyInAnyOrderElementsOf(bodies);
  }

  private static String sha256Prefix(String body) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)))
          .substring(0, 12);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void unwrapsSnsAndEventBridgeAndStoresTheInnerEvent() {
    SQSEvent event = Fixtures.sqsEvent("txma-wrapped.json");

    SQSBatchResponse response = handler.handleRequest(event, null);

    assertThat(BatchFailures.of(response)).isEmpty();
    assertThat(keys())
        .containsExactly(
            SESSION + " TXMA#EVENT_NAME#DCMAW_ASYNC_ABORT_APP#TIMESTAMP#1763900020",
            SESSION + " TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_VC_ISSUED#TIMESTAMP#1763900030");
    assertThat(items().get(0).get("event").s())
        .isEqualTo(
            "{\"event_name\":\"DCMAW_ASYNC_ABORT_APP\",\"component_id\":\"https://review-b.account.gov.uk\",\"timestamp\":1763900020,\"event_timestamp_ms\":1763900020123,\"user\":{\"user_id\":\"urn:fdc:gov.uk:2022:abc\",\"session_id\":\"sess-7f3a\",\"govuk_signin_journey_id\":\"journey-1\",\"transaction_id\":\"tx-1\",\"ip_address\":\"203.0.113.7\"},\"extensions\":{\"redirect_uri\":\"https://example.gov.uk/callback\"}}");
  }

  @Test
  void everyKindOfBadInputIsRecordedInvalidAndNeverTakesAGoodNeighbourDown() {
    // GIVEN one good event among bodies of every bad kind, plus a 1 MiB body and 10,000-deep
    // nesting
    SQSEvent event = Fixtures.sqsEvent("txma-invalid.json");
    event
        .getRecords()
        .add(Fixtures.record("m-1mib", "{\"event_name\":\"" + "x".repeat(1024 * 1024) + "\"}"));
    event.getRecords().add(Fixtures.record("m-deep", "[".repeat(10_000) + "]".repeat(10_000)));

    // WHEN processed
    SQSBatchResponse response = handler.handleRequest(event, null);

    // THEN all are acknowledged; the good one is stored, each bad one recorded with its reason
    assertThat(BatchFailures.of(response)).isEmpty();
    Map<String, String> reasons =
        items().stream()
            .filter(item -> item.get("pk").s().equals(invalidPk()))
            .collect(
                java.util.stream.Collectors.toMap(
                    item -> item.get("sk").s(), item -> item.get("reason").s()));
    assertThat(reasons)
        .containsOnlyKeys(
            "m-not-json",
            "m-empty",
            "m-bad-utf8",
            "m-session-hash",
            "m-timestamp-fraction",
            "m-array",
            "m-no-user",
            "m-trailing",
            "m-1mib",
            "m-deep");
    // where and what, never the body's text (it may hold personal data)
    assertThat(reasons.get("m-not-json"))
        .isEqualTo("body is not JSON: an unrecognized token at line 1, column 5");
    assertThat(reasons.get("m-empty")).isEqualTo("body is empty");
    assertThat(reasons.get("m-bad-utf8"))
        .isEqualTo("body is not valid UTF-8: unpaired surrogate U+DCFF at character 16");
    assertThat(reasons.get("m-session-hash"))
        .isEqualTo("schema: /user/session_id: does not match the regex pattern ^[^#]*$");
    assertThat(reasons.get("m-timestamp-fraction"))
        .isEqualTo("schema: /timestamp: number found, [integer, string] expected");
    assertThat(reasons.get("m-array")).isEqualTo("event is a JSON array, not an object");
    assertThat(reasons.get("m-no-user"))
        .isEqualTo(
            "key pk needs a non-empty string or whole number at /user/session_id (only"
                + " DCMAW_ASYNC_CLIENT_CREDENTIALS_TOKEN_ISSUED, DCMAW_ASYNC_CRI_4XXERROR,"
                + " DCMAW_ASYNC_CRI_5XXERROR may leave it out)");
    assertThat(reasons.get("m-trailing"))
        .startsWith("body is not JSON: an unrecognized token at line 1, column ")
        .doesNotContain("trailing");
    assertThat(reasons.get("m-1mib"))
        .isEqualTo("body is 1048593 bytes; this pipeline accepts at most 262144");
    assertThat(reasons.get("m-deep")).isEqualTo("body is not JSON: nesting deeper than 1000");
    assertThat(keys())
        .contains(SESSION + " TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_START#TIMESTAMP#1763900040")
        .hasSize(11);
    Map<String, AttributeValue> huge =
        items().stream().filter(item -> item.get("sk").s().equals("m-1mib")).findFirst().get();
    assertThat(huge.get("event").s()).hasSize(100 * 1024);
    assertThat(huge.get("bodyTruncated").bool()).isTrue();
    assertThat(huge.get("bodyBytes").n()).isEqualTo("1048593");
    assertThat(huge.get("status").s()).isEqualTo("INVALID");
  }

  @Test
  void throttlingReturnsExactlyTheThrottledMessageForRetry() {
    // GIVEN DynamoDB throttles the writes of one event (every attempt, SDK retries included)
    handler =
        new SqsEventsHandler(
            tables.environment(),
            backends.dynamoDb(FaultInjector.throttling(writesContaining("DCMAW_ASYNC_CRI_END"))),
            backends.sqs());

    // WHEN the batch is processed
    SQSBatchResponse response = handler.handleRequest(Fixtures.sqsEvent("txma-happy.json"), null);

    // THEN only that message goes back; its neighbours are stored
    assertThat(BatchFailures.of(response)).containsExactly("m-2");
    assertThat(keys())
        .containsExactly(
            SESSION + " TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_START#TIMESTAMP#1763900000",
            "SESSION#sess-other TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_START#TIMESTAMP#1763900010");
  }

  @Test
  void serverErrorsReturnExactlyTheFailedMessagesForRetry() {
    handler =
        new SqsEventsHandler(
            tables.environment(),
            backends.dynamoDb(FaultInjector.internalServerError(writesContaining("sess-other"))),
            backends.sqs());

    SQSBatchResponse response = handler.handleRequest(Fixtures.sqsEvent("txma-happy.json"), null);

    assertThat(BatchFailures.of(response)).containsExactly("m-3");
    assertThat(keys()).hasSize(2).allMatch(key -> key.startsWith(SESSION));
  }

  @Test
  void fifoRetryHoldsBackOnlyTheLaterMessagesOfItsOwnGroup() {
    // GIVEN a FIFO batch of two sessions, and the second event of session a throttled
    handler =
        new SqsEventsHandler(
            tables.environment(),
            backends.dynamoDb(FaultInjector.throttling(writesContaining("TIMESTAMP#1763900102"))),
            backends.sqs());

    // WHEN processed
    SQSBatchResponse response = handler.handleRequest(Fixtures.sqsEvent("txma-fifo.json"), null);

    // THEN f-3 is retried, f-5 (later in group a) is skipped and retried, order kept;
    // group b goes on
    assertThat(BatchFailures.of(response)).containsExactly("f-3", "f-5");
    assertThat(keys())
        .containsExactly(
            "SESSION#sess-a TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_START#TIMESTAMP#1763900100",
            "SESSION#sess-b TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_END#TIMESTAMP#1763900103",
            "SESSION#sess-b TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_START#TIMESTAMP#1763900101");
  }

  @Test
  void failedInvalidRecordIsRetriedNotAcknowledged() {
    // GIVEN the INVALID record cannot be written
    handler =
        new SqsEventsHandler(
            tables.environment(),
            backends.dynamoDb(FaultInjector.internalServerError(writesContaining("INVALID#"))),
            backends.sqs());

    SQSBatchResponse response = handler.handleRequest(Fixtures.sqsEvent("txma-invalid.json"), null);

    // THEN every invalid message goes back to the queue; only the good event is stored
    assertThat(BatchFailures.of(response))
        .containsExactly(
            "m-not-json",
            "m-empty",
            "m-bad-utf8",
            "m-session-hash",
            "m-timestamp-fraction",
            "m-array",
            "m-no-user",
            "m-trailing");
    assertThat(keys())
        .containsExactly(SESSION + " TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_START#TIMESTAMP#1763900040");
  }

  @Test
  void dlqPolicySendsInvalidEventsToTheDeadLetterQueueWithTheReason() {
    // GIVEN INVALID_POLICY=dlq and a dead-letter queue
    SqsClient sqs = backends.sqs();
    String dlq = sqs.createQueue(r -> r.queueName("txma-dlq-" + tables.events())).queueUrl();
    Map<String, String> env = new java.util.HashMap<>(tables.environment());
    env.put("INVALID_POLICY", "dlq");
    env.put("DLQ_URL", dlq);
    handler = new SqsEventsHandler(env, dynamoDb, sqs);

    // WHEN a batch with one good and one non-JSON message is processed
    SQSEvent event = Fixtures.sqsEvent("txma-invalid.json");
    event.setRecords(List.of(event.getRecords().get(0), event.getRecords().get(1)));
    SQSBatchResponse response = handler.handleRequest(event, null);

    // THEN the bad body is in the DLQ, as received, with the reason; nothing INVALID is stored
    assertThat(BatchFailures.of(response)).isEmpty();
    List<Message> messages =
        sqs.receiveMessage(
                r ->
                    r.queueUrl(dlq)
                        .maxNumberOfMessages(10)
                        .messageAttributeNames("All")
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
            .messages();
    assertThat(messages).hasSize(1);
    assertThat(messages.get(0).body()).isEqualTo("this is not json {");
    assertThat(messages.get(0).messageAttributes().get("evtctl-invalid-reason").stringValue())
        .isEqualTo("body is not JSON: an unrecognized token at line 1, column 5");
    assertThat(keys())
        .containsExactly(SESSION + " TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_START#TIMESTAMP#1763900040");
  }

  @Test
  void dropPolicyAcknowledgesInvalidEventsAndStoresNothingForThem() {
    Map<String, String> env = new java.util.HashMap<>(tables.environment());
    env.put("INVALID_POLICY", "drop");
    handler = new SqsEventsHandler(env, dynamoDb, backends.sqs());

    SQSBatchResponse response = handler.handleRequest(Fixtures.sqsEvent("txma-invalid.json"), null);

    assertThat(BatchFailures.of(response)).isEmpty();
    assertThat(keys())
        .containsExactly(SESSION + " TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_START#TIMESTAMP#1763900040");
  }

  @Test
  void missingEnvironmentFailsTheWholeInvocationAndWritesNothing() {
    Map<String, String> env = new java.util.HashMap<>(tables.environment());
    env.remove("EVENTS_TABLE_NAME");
    handler = new SqsEventsHandler(env, dynamoDb, backends.sqs());

    assertThatThrownBy(() -> handler.handleRequest(Fixtures.sqsEvent("txma-happy.json"), null))
        .hasMessage("environment variable EVENTS_TABLE_NAME is not set");
    assertThat(keys()).isEmpty();
  }

  @Test
  void wrongEnvironmentValueFailsTheWholeInvocation() {
    Map<String, String> env = new java.util.HashMap<>(tables.environment());
    env.put("INVALID_POLICY", "ignore");
    handler = new SqsEventsHandler(env, dynamoDb, backends.sqs());

    assertThatThrownBy(() -> handler.handleRequest(Fixtures.sqsEvent("txma-happy.json"), null))
        .hasMessage(
            "environment variable INVALID_POLICY invalid policy 'ignore' is not one of record,"
                + " dlq, drop");
  }

  @Test
  void wrongWriteModeFailsTheWholeInvocation() {
    Map<String, String> env = new java.util.HashMap<>(tables.environment());
    env.put("WRITE_MODE", "batch");
    handler = new SqsEventsHandler(env, dynamoDb, backends.sqs());

    assertThatThrownBy(() -> handler.handleRequest(Fixtures.sqsEvent("txma-happy.json"), null))
        .hasMessage(
            "environment variable WRITE_MODE write mode 'batch' is not one of item, transaction");
  }

  /** The core's one check of the settings, its failure named by the variable that gave it. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "TTL_SECONDS|-5|environment variable TTL_SECONDS must be 0 or more, not -5",
        "TXMA_EVENT_TTL_DURATION_IN_SECONDS|-1"
            + "|environment variable TXMA_EVENT_TTL_DURATION_IN_SECONDS must be 0 or more, not -1",
        "CONCURRENCY|0|environment variable CONCURRENCY must be at least 1, not 0",
        "CONCURRENCY|eight|environment variable CONCURRENCY is not a whole number: 'eight'",
        "INVALID_POLICY|dlq"
            + "|environment variable DLQ_URL is not set (the dlq invalid policy needs it)"
      })
  void aSettingTheCoreRefusesFailsTheWholeInvocation(
      String variable, String value, String message) {
    Map<String, String> env = new java.util.HashMap<>(tables.environment());
    env.remove("DLQ_URL");
    env.put(variable, value);
    handler = new SqsEventsHandler(env, dynamoDb, backends.sqs());

    assertThatThrownBy(() -> handler.handleRequest(Fixtures.sqsEvent("txma-happy.json"), null))
        .hasMessage(message);
    assertThat(keys()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"item", "transaction"})
  void tableNotFoundFailsTheWholeBatch(String writeMode) {
    Map<String, String> env = new java.util.HashMap<>(tables.environment());
    env.put("EVENTS_TABLE_NAME", "no-such-table");
    env.put("WRITE_MODE", writeMode);
    handler = new SqsEventsHandler(env, dynamoDb, backends.sqs());

    assertThatThrownBy(() -> handler.handleRequest(Fixtures.sqsEvent("txma-happy.json"), null))
        .isInstanceOf(BatchFailedException.class)
        .hasMessageStartingWith(
            "pipeline txma cannot write to its tables (no-such-table): ResourceNotFoundException");
  }

  @Test
  void accessDeniedFailsTheWholeBatch() {
    handler =
        new SqsEventsHandler(
            tables.environment(),
            backends.dynamoDb(FaultInjector.accessDenied(writesContaining("sess-other"))),
            backends.sqs());

    assertThatThrownBy(() -> handler.handleRequest(Fixtures.sqsEvent("txma-happy.json"), null))
        .isInstanceOf(BatchFailedException.class)
        .hasMessageContaining("AccessDeniedException: injected by FaultInjector");
  }
}
