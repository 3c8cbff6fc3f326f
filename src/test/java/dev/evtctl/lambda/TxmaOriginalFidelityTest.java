package dev.evtctl.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.evtctl.testing.BatchFailures;
import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.Fixtures;
import dev.evtctl.testing.PipelineTables;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The txma pipeline against the behaviour of the system it reproduces: GOV.UK One Login's dequeue
 * Lambda (govuk-one-login/mobile-id-check-async, test-resources), deployed with that function's own
 * environment and nothing else: EVENTS_TABLE_NAME and TXMA_EVENT_TTL_DURATION_IN_SECONDS (900 in
 * its template). The event shapes are those of the original's tests and producers.
 */
@ExtendWith(EmbeddedAws.class)
class TxmaOriginalFidelityTest {

  private static final String UNKNOWN = "SESSION#UNKNOWN";
  private static final List<String> WITHOUT_SESSION =
      List.of(
          "DCMAW_ASYNC_CLIENT_CREDENTIALS_TOKEN_ISSUED",
          "DCMAW_ASYNC_CRI_4XXERROR",
          "DCMAW_ASYNC_CRI_5XXERROR");

  private DynamoDbClient dynamoDb;
  private PipelineTables tables;
  private SqsEventsHandler handler;
  private Map<String, String> originalEnvironment;

  @BeforeEach
  void setUp(EmbeddedAws.Backends backends) {
    dynamoDb = backends.dynamoDb();
    tables = PipelineTables.create(dynamoDb, "txma");
    originalEnvironment =
        Map.of("EVENTS_TABLE_NAME", tables.events(), "TXMA_EVENT_TTL_DURATION_IN_SECONDS", "900");
    handler = new SqsEventsHandler(originalEnvironment, dynamoDb, backends.sqs());
  }

  @Test
  void eventsTheOriginalStoresWithoutASessionGoUnderSessionUnknown() {
    // GIVEN each of the three names the original accepts without a session, with no user, a null
    // user, an empty user and an empty session id; and CRI_START in the same four shapes
    List<SQSEvent.SQSMessage> records = new ArrayList<>();
    Map<String, String> bodyBySortKey = new LinkedHashMap<>();
    List<String> shapes =
        List.of("", ",\"user\":null", ",\"user\":{}", ",\"user\":{\"session_id\":\"\"}");
    int second = 0;
    for (String name : concat(WITHOUT_SESSION, "DCMAW_ASYNC_CRI_START")) {
      for (String shape : shapes) {
        String id = name + "-" + second;
        String body =
            "{\"event_name\":\""
                + name
                + "\",\"timestamp\":"
                + (1736294400 + second++)
                + shape
                + "}";
        records.add(Fixtures.record(id, body));
        bodyBySortKey.put(
            "TXMA#EVENT_NAME#" + name + "#TIMESTAMP#" + (1736294400 + second - 1), body);
      }
    }

    // WHEN the batch is processed
    long before = System.currentTimeMillis() / 1000;
    SQSBatchResponse response = handler.handleRequest(Fixtures.sqsEvent(records), null);
    long after = System.currentTimeMillis() / 1000;

    // THEN all are acknowledged; the twelve are stored under SESSION#UNKNOWN as received, with the
    // original's TTL of 900 s; CRI_START without a session is INVALID, as in the original
    assertThat(BatchFailures.of(response)).isEmpty();
    List<Map<String, AttributeValue>> unknown =
        items().stream().filter(item -> item.get("pk").s().equals(UNKNOWN)).toList();
    List<String> expectedKeys = new ArrayList<>();
    second = 0;
    for (String name : WITHOUT_SESSION) {
      for (int i = 0; i < shapes.size(); i++) {
        expectedKeys.add("TXMA#EVENT_NAME#" + name + "#TIMESTAMP#" + (1736294400 + second++));
      }
    }
    assertThat(unknown)
        .extracting(item -> item.get("sk").s())
        .containsExactlyElementsOf(expectedKeys);
    for (Map<String, AttributeValue> item : unknown) {
      assertThat(item).containsOnlyKeys("pk", "sk", "event", "timeToLiveInSeconds");
      // the event as received: the original stores record.body, without the UNKNOWN it keys by
      assertThat(item.get("event").s()).isEqualTo(bodyBySortKey.get(item.get("sk").s()));
      assertThat(Long.parseLong(item.get("timeToLiveInSeconds").n()))
          .isBetween(before + 900, after + 900);
    }
    Map<String, String> invalid = invalidReasons();
    assertThat(invalid.keySet())
        .containsExactly(
            "DCMAW_ASYNC_CRI_START-12",
            "DCMAW_ASYNC_CRI_START-13",
            "DCMAW_ASYNC_CRI_START-14",
            "DCMAW_ASYNC_CRI_START-15");
    assertThat(invalid.values())
        .containsOnly(
            "key pk needs a non-empty string or whole number at /user/session_id (only"
                + " DCMAW_ASYNC_CLIENT_CREDENTIALS_TOKEN_ISSUED, DCMAW_ASYNC_CRI_4XXERROR,"
                + " DCMAW_ASYNC_CRI_5XXERROR may leave it out)");
  }

  @Test
  void timestampsAndSessionIdsGoIntoTheKeysAsTheOriginalWritesThem() {
    // GIVEN the original's own test shapes: a string timestamp ("mockTimestamp"), a numeric
    // string, an ISO time, a whole number written with a fraction, and an integer session id
    SQSEvent event =
        Fixtures.sqsEvent(
            List.of(
                Fixtures.record(
                    "known",
                    "{\"event_name\":\"DCMAW_ASYNC_CRI_START\",\"user\":{\"session_id\":"
                        + "\"49E7D76E-D5FE-4355-B8B4-E90ACA0887C2\"},\"timestamp\":\"mockTimestamp\"}"),
                Fixtures.record(
                    "numeric-string",
                    "{\"event_name\":\"DCMAW_ASYNC_CRI_END\",\"user\":{\"session_id\":\"s-1\"},"
                        + "\"timestamp\":\"1736294400\"}"),
                Fixtures.record(
                    "iso",
                    "{\"event_name\":\"DCMAW_ASYNC_CRI_END\",\"user\":{\"session_id\":\"s-1\"},"
                        + "\"timestamp\":\"2025-01-08T00:00:00.000Z\"}"),
                Fixtures.record(
                    "fraction-zero",
                    "{\"event_name\":\"DCMAW_ASYNC_ABORT_APP\",\"user\":{\"session_id\":\"s-1\"},"
                        + "\"timestamp\":1736294400.0}"),
                Fixtures.record(
                    "integer-session",
                    "{\"event_name\":\"DCMAW_ASYNC_ABORT_APP\",\"user\":{\"session_id\":12345},"
                        + "\"timestamp\":1736294401}")));

    // WHEN processed
    SQSBatchResponse response = handler.handleRequest(event, null);

    // THEN every one is stored, its timestamp and session in the key as text
    assertThat(BatchFailures.of(response)).isEmpty();
    assertThat(keys())
        .containsExactly(
            "SESSION#12345 TXMA#EVENT_NAME#DCMAW_ASYNC_ABORT_APP#TIMESTAMP#1736294401",
            "SESSION#49E7D76E-D5FE-4355-B8B4-E90ACA0887C2"
                + " TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_START#TIMESTAMP#mockTimestamp",
            "SESSION#s-1 TXMA#EVENT_NAME#DCMAW_ASYNC_ABORT_APP#TIMESTAMP#1736294400",
            "SESSION#s-1 TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_END#TIMESTAMP#1736294400",
            "SESSION#s-1 TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_END#TIMESTAMP#2025-01-08T00:00:00.000Z");
  }

  @Test
  void otherTimestampTypesAndOversizedSessionsAreInvalidWithAReason() {
    SQSEvent event =
        Fixtures.sqsEvent(
            List.of(
                Fixtures.record(
                    "bool",
                    "{\"event_name\":\"E\",\"user\":{\"session_id\":\"s\"},\"timestamp\":true}"),
                Fixtures.record(
                    "fraction",
                    "{\"event_name\":\"E\",\"user\":{\"session_id\":\"s\"},\"timestamp\":1.5}"),
                Fixtures.record(
                    "negative",
                    "{\"event_name\":\"E\",\"user\":{\"session_id\":\"s\"},\"timestamp\":-1}"),
                Fixtures.record(
                    "empty",
                    "{\"event_name\":\"E\",\"user\":{\"session_id\":\"s\"},\"timestamp\":\"\"}"),
                Fixtures.record(
                    "hash",
                    "{\"event_name\":\"E\",\"user\":{\"session_id\":\"a#b\"},\"timestamp\":1}"),
                Fixtures.record(
                    "long",
                    "{\"event_name\":\"E\",\"user\":{\"session_id\":\""
                        + "é".repeat(1021)
                        + "\"},\"timestamp\":1}")));

    SQSBatchResponse response = handler.handleRequest(event, null);

    assertThat(BatchFailures.of(response)).isEmpty();
    assertThat(invalidReasons())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "bool", "schema: /timestamp: boolean found, [integer, string] expected",
                "fraction", "schema: /timestamp: number found, [integer, string] expected",
                "negative", "schema: /timestamp: must have a minimum value of 0",
                "empty", "schema: /timestamp: must be at least 1 characters long",
                "hash", "schema: /user/session_id: does not match the regex pattern ^[^#]*$",
                // "SESSION#" and 1,021 two-byte characters: 2,050 bytes
                "long", "key pk is 2050 bytes; DynamoDB allows at most 2048"));
  }

  @Test
  void theAllowListIsOffByDefaultAndOnWithTheVariable(EmbeddedAws.Backends backends) {
    // GIVEN a name not on the original's list
    String notListed =
        "{\"event_name\":\"INVALID_EVENT_NAME\",\"user\":{\"session_id\":\"s\"},\"timestamp\":1}";

    // THEN with the original's environment alone it is stored
    assertThat(
            BatchFailures.of(
                handler.handleRequest(
                    Fixtures.sqsEvent(List.of(Fixtures.record("a", notListed))), null)))
        .isEmpty();
    assertThat(keys()).containsExactly("SESSION#s TXMA#EVENT_NAME#INVALID_EVENT_NAME#TIMESTAMP#1");

    // AND with ALLOWED_EVENT_TYPES it is INVALID (the original's "event_name not allowed"),
    // while a listed name is stored
    Map<String, String> env = new LinkedHashMap<>(originalEnvironment);
    env.put("ALLOWED_EVENT_TYPES", "DCMAW_ASYNC_CRI_START, DCMAW_ASYNC_CRI_END");
    SqsEventsHandler allowing = new SqsEventsHandler(env, dynamoDb, backends.sqs());
    String listed =
        "{\"event_name\":\"DCMAW_ASYNC_CRI_END\",\"user\":{\"session_id\":\"s\"},\"timestamp\":2}";
    SQSBatchResponse response =
        allowing.handleRequest(
            Fixtures.sqsEvent(
                List.of(
                    Fixtures.record("b", notListed.replace(":1}", ":3}")),
                    Fixtures.record("c", listed))),
            null);
    assertThat(BatchFailures.of(response)).isEmpty();
    assertThat(invalidReasons())
        .containsExactly(
            Map.entry("b", "event type 'INVALID_EVENT_NAME' is not on the allow-list (2 types)"));
    assertThat(keys())
        .containsExactly(
            "SESSION#s TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_END#TIMESTAMP#2",
            "SESSION#s TXMA#EVENT_NAME#INVALID_EVENT_NAME#TIMESTAMP#1");
  }

  @Test
  void ttlSecondsStaysAnAliasAndTheOriginalsVariableWins(EmbeddedAws.Backends backends) {
    Map<String, String> env = new LinkedHashMap<>(originalEnvironment);
    env.put("TTL_SECONDS", "60");
    long before = System.currentTimeMillis() / 1000;
    new SqsEventsHandler(env, dynamoDb, backends.sqs())
        .handleRequest(
            Fixtures.sqsEvent(
                List.of(
                    Fixtures.record(
                        "a",
                        "{\"event_name\":\"E\",\"user\":{\"session_id\":\"s\"},\"timestamp\":1}"))),
            null);
    env.remove("TXMA_EVENT_TTL_DURATION_IN_SECONDS");
    new SqsEventsHandler(env, dynamoDb, backends.sqs())
        .handleRequest(
            Fixtures.sqsEvent(
                List.of(
                    Fixtures.record(
                        "b",
                        "{\"event_name\":\"E\",\"user\":{\"session_id\":\"s\"},\"timestamp\":2}"))),
            null);
    long after = System.currentTimeMillis() / 1000;

    List<Map<String, AttributeValue>> items = items();
    assertThat(Long.parseLong(items.get(0).get("timeToLiveInSeconds").n()))
        .isBetween(before + 900, after + 900);
    assertThat(Long.parseLong(items.get(1).get("timeToLiveInSeconds").n()))
        .isBetween(before + 60, after + 60);
  }

  private static List<String> concat(List<String> names, String more) {
    List<String> all = new ArrayList<>(names);
    all.add(more);
    return all;
  }

  private List<Map<String, AttributeValue>> items() {
    return PipelineTables.scan(dynamoDb, tables.events(), "pk", "sk");
  }

  private List<String> keys() {
    return items().stream()
        .filter(item -> !item.get("pk").s().startsWith("INVALID#"))
        .map(item -> item.get("pk").s() + " " + item.get("sk").s())
        .toList();
  }

  /** The INVALID records of today, by message id: their reasons. */
  private Map<String, String> invalidReasons() {
    String pk = "INVALID#" + LocalDate.now(ZoneOffset.UTC);
    return items().stream()
        .filter(item -> item.get("pk").s().equals(pk))
        .collect(
            Collectors.toMap(
                item -> item.get("sk").s(),
                item -> item.get("reason").s(),
                (a, b) -> a,
                LinkedHashMap::new));
  }
}
