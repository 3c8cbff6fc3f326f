package dev.evtctl.lambda;

import static dev.evtctl.testing.FaultInjector.writesContaining;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.evtctl.testing.BatchFailures;
import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.FaultInjector;
import dev.evtctl.testing.Fixtures;
import dev.evtctl.testing.PipelineTables;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

@ExtendWith(EmbeddedAws.class)
class LedgerHandlerTest {

  private EmbeddedAws.Backends backends;
  private DynamoDbClient dynamoDb;
  private PipelineTables tables;
  private SqsEventsHandler handler;

  @BeforeEach
  void setUp(EmbeddedAws.Backends backends) {
    this.backends = backends;
    dynamoDb = backends.dynamoDb();
    tables = PipelineTables.create(dynamoDb, "ledger");
    handler = new SqsEventsHandler(tables.environment(), dynamoDb, backends.sqs());
  }

  private List<Map<String, AttributeValue>> events() {
    return PipelineTables.scan(dynamoDb, tables.events(), "tenant_id", "sk");
  }

  private List<String> idempotencyKeys() {
    return PipelineTables.scan(dynamoDb, tables.idempotency(), "pk").stream()
        .map(item -> item.get("pk").s())
        .toList();
  }

  @Test
  void writesEachEventWithItsIdempotencyRecord() {
    // GIVEN one event of each of the five types, two tenants, FIFO
    SQSEvent event = Fixtures.sqsEvent("ledger-happy.json");

    // WHEN processed
    SQSBatchResponse response = handler.handleRequest(event, null);

    // THEN five READY events keyed tenant / created_at#event_id, and five idempotency records
    assertThat(BatchFailures.of(response)).isEmpty();
    List<Map<String, AttributeValue>> events = events();
    assertThat(events)
        .extracting(
            item ->
                String.join(
                    " ",
                    item.get("tenant_id").s(),
                    item.get("sk").s(),
                    item.get("event_type").s(),
                    item.get("route").s(),
                    item.get("status").s()))
        .containsExactly(
            "tenant-a 2025-11-23T10:00:00Z#evt-1 user.created user READY",
            "tenant-a 2025-11-23T10:00:01Z#evt-2 monitoring monitoring READY",
            "tenant-b 2025-11-23T10:00:02Z#evt-3 transaction.authorizers transaction READY",
            "tenant-b 2025-11-23T10:00:03Z#evt-4 user.applications user READY",
            "tenant-b 2025-11-23T10:00:04Z#evt-5 integrations integrations READY");
    Map<String, AttributeValue> authorizer = events.get(2);
    assertThat(authorizer)
        .containsOnlyKeys(
            "tenant_id",
            "sk",
            "event_type",
            "status",
            "route",
            "payload",
            "retries",
            "ttl",
            "tenant_id_created_at");
    assertThat(authorizer.get("payload").m())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "transaction_id", AttributeValue.fromS("t-9"),
                "authorizer", AttributeValue.fromS("visa"),
                "decision", AttributeValue.fromS("APPROVED"),
                "amount", AttributeValue.fromN("12.5")));
    assertThat(authorizer.get("retries").n()).isEqualTo("0");
    assertThat(authorizer.get("tenant_id_created_at").s())
        .isEqualTo("tenant-b#2025-11-23T10:00:02Z");
    assertThat(idempotencyKeys())
        .containsExactly(
            "tenant-a#evt-1",
            "tenant-a#evt-2",
            "tenant-b#evt-3",
            "tenant-b#evt-4",
            "tenant-b#evt-5");
  }

  @Test
  void sameEventIdAgainIsADuplicate() {
    SQSEvent event = Fixtures.sqsEvent("ledger-duplicates.json");

    SQSBatchResponse response = handler.handleRequest(event, null);

    assertThat(BatchFailures.of(response)).isEmpty();
    assertThat(events())
        .extracting(item -> item.get("sk").s())
        .containsExactly("2025-11-23T10:00:00Z#evt-1");
    assertThat(idempotencyKeys()).containsExactly("tenant-a#evt-1");
  }

  @Test
  void invalidEventsAreRecordedUnderTheirOwnKeyWhenTheyHaveOne() {
    // GIVEN an unknown type, payloads failing their schemas, no tenant, a bad date
    SQSEvent event = Fixtures.sqsEvent("ledger-invalid.json");

    // WHEN processed
    SQSBatchResponse response = handler.handleRequest(event, null);

    // THEN all are acknowledged and recorded INVALID with their reason; nothing is idempotent
    assertThat(BatchFailures.of(response)).isEmpty();
    Map<String, String> reasons =
        events().stream()
            .collect(
                Collectors.toMap(
                    item -> item.get("tenant_id").s() + " " + item.get("sk").s(),
                    item -> item.get("status").s() + " " + item.get("reason").s()));
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    assertThat(reasons)
        .containsOnly(
            Map.entry(
                "tenant-a 2025-11-23T10:00:00Z#evt-10",
                "INVALID unknown event type 'user.deleted' (pipeline ledger accepts user.created,"
                    + " monitoring, user.applications, transaction.authorizers, integrations)"),
            Map.entry(
                "tenant-a 2025-11-23T10:00:01Z#evt-11",
                "INVALID user.created payload: /payload/email: does not match the email pattern"
                    + " must be a valid RFC 5321 Mailbox"),
            Map.entry(
                "tenant-a 2025-11-23T10:00:02Z#evt-12",
                "INVALID monitoring payload: /payload/level: does not have a value in the"
                    + " enumeration [\"DEBUG\", \"INFO\", \"WARN\", \"ERROR\", \"CRITICAL\"]"),
            Map.entry(
                "INVALID#" + today + " l-no-tenant",
                "INVALID schema: required property 'tenant_id' not found"),
            Map.entry(
                "tenant-a yesterday#evt-14",
                "INVALID schema: /created_at: does not match the date-time pattern must be a valid"
                    + " RFC 3339 date-time"));
    assertThat(idempotencyKeys()).isEmpty();
  }

  @Test
  void invalidRecordsAreFoundByTheStatusIndex() {
    handler.handleRequest(Fixtures.sqsEvent("ledger-invalid.json"), null);
    handler.handleRequest(Fixtures.sqsEvent("ledger-happy.json"), null);

    List<String> invalid =
        dynamoDb
            .query(
                QueryRequest.builder()
                    .tableName(tables.events())
                    .indexName("gsi_status_tenant")
                    .keyConditionExpression("#status = :invalid")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":invalid", AttributeValue.fromS("INVALID")))
                    .build())
            .items()
            .stream()
            .map(item -> item.get("tenant_id_created_at").s())
            .sorted()
            .toList();
    assertThat(invalid).hasSize(5).contains("tenant-a#2025-11-23T10:00:00Z", "tenant-a#yesterday");
  }

  @Test
  void aCorrectedEventReplacesItsInvalidRecord() {
    SQSEvent invalid = Fixtures.sqsEvent("ledger-invalid.json");
    invalid.setRecords(List.of(invalid.getRecords().get(1)));
    handler.handleRequest(invalid, null);
    SQSEvent corrected = Fixtures.sqsEvent("ledger-invalid.json");
    corrected
        .getRecords()
        .get(0)
        .setBody(
            "{\"tenant_id\":\"tenant-a\",\"event_id\":\"evt-11\",\"event_type\":\"user.created\","
                + "\"created_at\":\"2025-11-23T10:00:01Z\","
                + "\"payload\":{\"id\":\"u-1\",\"email\":\"ada@example.com\"}}");
    corrected.setRecords(List.of(corrected.getRecords().get(0)));

    assertThat(BatchFailures.of(handler.handleRequest(corrected, null))).isEmpty();

    assertThat(events())
        .singleElement()
        .satisfies(
            item -> {
              assertThat(item.get("status").s()).isEqualTo("READY");
              assertThat(item).doesNotContainKey("reason");
            });
  }

  @Test
  void throttledTransactionIsRetried() {
    handler =
        new SqsEventsHandler(
            tables.environment(),
            backends.dynamoDb(FaultInjector.throttling(writesContaining("tenant-b#evt-4"))),
            backends.sqs());

    SQSBatchResponse response = handler.handleRequest(Fixtures.sqsEvent("ledger-happy.json"), null);

    // l-4 is retried and l-5, later in tenant-b's group, is skipped; tenant-a goes on
    assertThat(BatchFailures.of(response)).containsExactly("l-4", "l-5");
    assertThat(idempotencyKeys())
        .containsExactly("tenant-a#evt-1", "tenant-a#evt-2", "tenant-b#evt-3");
  }

  @Test
  void missingIdempotencyTableFailsTheInvocation() {
    Map<String, String> env = new java.util.HashMap<>(tables.environment());
    env.remove("IDEMPOTENCY_TABLE_NAME");
    handler = new SqsEventsHandler(env, dynamoDb, backends.sqs());

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> handler.handleRequest(Fixtures.sqsEvent("ledger-happy.json"), null))
        .hasMessage(
            "environment variable IDEMPOTENCY_TABLE_NAME is not set (pipeline ledger needs it)");
    assertThat(events()).isEmpty();
  }
}
