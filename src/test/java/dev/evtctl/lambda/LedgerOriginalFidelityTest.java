package dev.evtctl.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.evtctl.testing.BatchFailures;
import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.Fixtures;
import dev.evtctl.testing.PipelineTables;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The ledger pipeline against the system it reproduces, MihailProcudin/event-processor: its
 * seeder's five samples (cmd/seeder), an event without created_at, a redelivery after the
 * idempotency row expired, an INVALID event without a payload.
 */
@ExtendWith(EmbeddedAws.class)
class LedgerOriginalFidelityTest {

  private static final String NOW = "2026-12-01T10:00:00Z";

  private DynamoDbClient dynamoDb;
  private PipelineTables tables;
  private SqsEventsHandler handler;

  @BeforeEach
  void setUp(EmbeddedAws.Backends backends) {
    dynamoDb = backends.dynamoDb();
    tables = PipelineTables.create(dynamoDb, "ledger");
    handler = new SqsEventsHandler(tables.environment(), dynamoDb, backends.sqs());
  }

  /** The real seeder's envelope: tenant-a, route default, created_at now, a payload. */
  private static String seederSample(String eventId, String type, String payload) {
    return "{\"tenant_id\":\"tenant-a\",\"event_id\":\""
        + eventId
        + "\",\"event_type\":\""
        + type
        + "\",\"route\":\"default\",\"created_at\":\""
        + NOW
        + "\",\"payload\":"
        + payload
        + "}";
  }

  @Test
  void theRealSeedersFiveSamplesAreAllReady() {
    // GIVEN the five samples cmd/seeder publishes, with every optional field it sets
    SQSEvent event =
        event(
            record(
                "s1",
                seederSample(
                    "e-1",
                    "user.created",
                    "{\"id\":\"7d1c2f4e-0b1a-4c3d-9e8f-1a2b3c4d5e6f\",\"email\":\"user@example.com\"}")),
            record(
                "s2",
                seederSample(
                    "e-2",
                    "monitoring",
                    "{\"timestamp\":\""
                        + NOW
                        + "\",\"level\":\"INFO\",\"message\":\"seeder health check ok\","
                        + "\"source\":\"seeder\",\"labels\":{\"env\":\"dev\",\"region\":\"us-east-1\"},"
                        + "\"metrics\":{\"latency_ms\":12.3}}")),
            record(
                "s3",
                seederSample(
                    "e-3",
                    "user.applications",
                    "{\"app_id\":\"app-123\",\"user_id\":\"u-1\",\"action\":\"install\","
                        + "\"metadata\":{\"platform\":\"android\",\"version\":\"1.0.0\"},"
                        + "\"timestamp\":\""
                        + NOW
                        + "\"}")),
            record(
                "s4",
                seederSample(
                    "e-4",
                    "transaction.authorizers",
                    "{\"transaction_id\":\"t-1\",\"authorizer\":\"risk-engine\",\"decision\":\"APPROVED\","
                        + "\"reason\":\"score high\",\"amount\":123.45,\"currency\":\"USD\","
                        + "\"timestamp\":\""
                        + NOW
                        + "\"}")),
            record(
                "s5",
                seederSample(
                    "e-5",
                    "integrations",
                    "{\"integration_id\":\"int-abc\",\"provider\":\"stripe\",\"event\":\"webhook.received\","
                        + "\"payload\":{\"type\":\"invoice.paid\",\"id\":\"i-1\"},\"timestamp\":\""
                        + NOW
                        + "\"}")));

    // WHEN processed
    long before = Instant.now().getEpochSecond();
    SQSBatchResponse response = handler.handleRequest(event, null);
    long after = Instant.now().getEpochSecond();

    // THEN five READY items, route "default" as sent, payload maps as sent
    assertThat(BatchFailures.of(response)).isEmpty();
    List<Map<String, AttributeValue>> items = events();
    assertThat(items)
        .extracting(
            item ->
                String.join(
                    " ",
                    item.get("tenant_id").s(),
                    item.get("sk").s(),
                    item.get("event_type").s(),
                    item.get("status").s(),
                    item.get("route").s(),
                    item.get("retries").n(),
                    item.get("tenant_id_created_at").s()))
        .containsExactly(
            "tenant-a " + NOW + "#e-1 user.created READY default 0 tenant-a#" + NOW,
            "tenant-a " + NOW + "#e-2 monitoring READY default 0 tenant-a#" + NOW,
            "tenant-a " + NOW + "#e-3 user.applications READY default 0 tenant-a#" + NOW,
            "tenant-a " + NOW + "#e-4 transaction.authorizers READY default 0 tenant-a#" + NOW,
            "tenant-a " + NOW + "#e-5 integrations READY default 0 tenant-a#" + NOW);
    assertThat(items).allSatisfy(item -> assertThat(item).doesNotContainKey("reason"));
    assertThat(items.get(1).get("payload").m().get("metrics"))
        .isEqualTo(AttributeValue.fromM(Map.of("latency_ms", AttributeValue.fromN("12.3"))));
    assertThat(items.get(3).get("payload").m().get("amount"))
        .isEqualTo(AttributeValue.fromN("123.45"));

    // AND each idempotency row carries created_at (the processing time, as the original's) and
    // event_type, with a 7-day ttl
    List<Map<String, AttributeValue>> rows = idempotencyRows();
    assertThat(rows)
        .extracting(row -> row.get("pk").s() + " " + row.get("event_type").s())
        .containsExactly(
            "tenant-a#e-1 user.created",
            "tenant-a#e-2 monitoring",
            "tenant-a#e-3 user.applications",
            "tenant-a#e-4 transaction.authorizers",
            "tenant-a#e-5 integrations");
    for (Map<String, AttributeValue> row : rows) {
      assertThat(row).containsOnlyKeys("pk", "created_at", "event_type", "ttl");
      assertThat(Instant.parse(row.get("created_at").s()).getEpochSecond())
          .isBetween(before, after);
      assertThat(Long.parseLong(row.get("ttl").n())).isBetween(before + 604800, after + 604800);
    }
  }

  @Test
  void withoutCreatedAtTheProcessingTimeKeysTheEvent() {
    String body =
        "{\"tenant_id\":\"tenant-a\",\"event_id\":\"e-9\",\"event_type\":\"user.created\","
            + "\"payload\":{\"id\":\"u-9\",\"email\":\"u9@example.com\"}}";

    long before = Instant.now().getEpochSecond();
    SQSBatchResponse response = handler.handleRequest(event(record("m", body)), null);
    long after = Instant.now().getEpochSecond();

    assertThat(BatchFailures.of(response)).isEmpty();
    Map<String, AttributeValue> item = events().get(0);
    String created = item.get("sk").s().substring(0, item.get("sk").s().indexOf('#'));
    assertThat(Instant.parse(created).getEpochSecond()).isBetween(before, after);
    assertThat(item.get("sk").s()).isEqualTo(created + "#e-9");
    assertThat(item.get("tenant_id_created_at").s()).isEqualTo("tenant-a#" + created);
    assertThat(item.get("status").s()).isEqualTo("READY");
    // no route in the envelope: the type's first segment (DESIGN.md; the original writes none)
    assertThat(item.get("route").s()).isEqualTo("user");
  }

  @Test
  void aRedeliveryAfterItsIdempotencyRowExpiredIsADuplicateNotAnOverwrite() {
    // GIVEN an event stored, and its idempotency row gone as DynamoDB's TTL removes it
    String body =
        seederSample("e-1", "user.created", "{\"id\":\"u-1\",\"email\":\"a@example.com\"}");
    assertThat(BatchFailures.of(handler.handleRequest(event(record("m1", body)), null))).isEmpty();
    Map<String, AttributeValue> stored = events().get(0);
    dynamoDb.deleteItem(
        r ->
            r.tableName(tables.idempotency())
                .key(Map.of("pk", AttributeValue.fromS("tenant-a#e-1"))));

    // WHEN the same event comes again (a redrive: a new message id), its payload changed
    String again = body.replace("a@example.com", "b@example.com");
    SQSBatchResponse response = handler.handleRequest(event(record("m2", again)), null);

    // THEN it is acknowledged as a duplicate: the stored event is untouched, no row is written
    assertThat(BatchFailures.of(response)).isEmpty();
    assertThat(events()).containsExactly(stored);
    assertThat(idempotencyRows()).isEmpty();
  }

  @Test
  void anInvalidEventWithoutAPayloadStoresAnEmptyMapAndACorrectionReplacesIt() {
    // GIVEN an event of a known type without its payload
    String missing =
        "{\"tenant_id\":\"tenant-a\",\"event_id\":\"e-7\",\"event_type\":\"user.created\","
            + "\"created_at\":\""
            + NOW
            + "\"}";
    assertThat(BatchFailures.of(handler.handleRequest(event(record("m1", missing)), null)))
        .isEmpty();

    // THEN it is INVALID under its own key, with an empty payload map and the reason
    Map<String, AttributeValue> invalid = events().get(0);
    assertThat(invalid.get("sk").s()).isEqualTo(NOW + "#e-7");
    assertThat(invalid.get("status").s()).isEqualTo("INVALID");
    assertThat(invalid.get("payload")).isEqualTo(AttributeValue.fromM(Map.of()));
    assertThat(invalid.get("reason").s())
        .isEqualTo("schema: required property 'payload' not found");

    // AND the corrected event, same tenant and id, replaces the INVALID record (evtctl's
    // fix-and-resend path; the original keeps the INVALID row and refuses the correction)
    String corrected =
        missing.replace("}", ",\"payload\":{\"id\":\"u-7\",\"email\":\"u7@example.com\"}}");
    assertThat(BatchFailures.of(handler.handleRequest(event(record("m2", corrected)), null)))
        .isEmpty();
    Map<String, AttributeValue> fixed = events().get(0);
    assertThat(events()).hasSize(1);
    assertThat(fixed.get("status").s()).isEqualTo("READY");
    assertThat(fixed).doesNotContainKey("reason");
    assertThat(fixed.get("payload").m().get("email"))
        .isEqualTo(AttributeValue.fromS("u7@example.com"));
  }

  private static SQSEvent event(SQSEvent.SQSMessage... records) {
    return Fixtures.sqsEvent(List.of(records));
  }

  /** A record of the tenant's FIFO message group, received for the first time. */
  private static SQSEvent.SQSMessage record(String messageId, String body) {
    return Fixtures.record(
        messageId, body, Map.of("ApproximateReceiveCount", "1", "MessageGroupId", "tenant-a"));
  }

  private List<Map<String, AttributeValue>> events() {
    return PipelineTables.scan(dynamoDb, tables.events(), "tenant_id", "sk");
  }

  private List<Map<String, AttributeValue>> idempotencyRows() {
    return PipelineTables.scan(dynamoDb, tables.idempotency(), "pk");
  }
}
