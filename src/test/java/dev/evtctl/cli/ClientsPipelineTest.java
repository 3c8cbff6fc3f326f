package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.evtctl.core.pipeline.Json;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.stack.TableLayout;
import dev.evtctl.lambda.SqsEventsHandler;
import dev.evtctl.testing.BatchFailures;
import dev.evtctl.testing.CliRun;
import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.Fixtures;
import dev.evtctl.testing.PipelineTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Seed 003's design as a pipeline file with no Java of its own (samples/clients/pipeline.json):
 * through stack create, seed, drain, events, export, replay and the Lambda handler.
 */
@ExtendWith(EmbeddedAws.class)
class ClientsPipelineTest {

  private static final String PIPELINE_FILE = "samples/clients/pipeline.json";

  private EmbeddedAws.Backends backends;
  private String stack;

  @BeforeEach
  void setUp(EmbeddedAws.Backends backends) {
    this.backends = backends;
    stack = "clients-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private CliRun evtctl(String... args) {
    List<String> all = new ArrayList<>(List.of("--endpoint-url", backends.edge()));
    all.addAll(List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  private CliRun ok(String... args) {
    CliRun run = evtctl(args);
    assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err()).isZero();
    return run;
  }

  @Test
  void seedDrainEventsExportAndReplayWorkFromThePipelineFileAlone(@TempDir Path dir)
      throws Exception {
    // GIVEN a stack made from the file: a standard queue, its DLQ, a table keyed client/event
    ok("stack", "create", "--pipeline-file", PIPELINE_FILE, "-n", stack);
    DynamoDbClient dynamoDb = backends.dynamoDb();
    assertThat(dynamoDb.describeTable(r -> r.tableName(stack + "-events")).table().keySchema())
        .extracting(key -> key.attributeName() + " " + key.keyTypeAsString())
        .containsExactly("client_id HASH", "event_id RANGE");

    // WHEN 30 events over 3 clients are seeded, some invalid
    CliRun seed =
        ok(
            "seed",
            "--pipeline-file",
            PIPELINE_FILE,
            "-q",
            stack,
            "--count",
            "30",
            "--tenants",
            "3",
            "--invalid-ratio",
            "0.2",
            "--random-seed",
            "4",
            "-o",
            "json");
    JsonNode groups = Json.MAPPER.readTree(seed.out());
    int valid = 0;
    int invalid = 0;
    for (JsonNode group : groups) {
      valid += group.get("valid").asInt();
      invalid += group.get("invalid").asInt();
    }
    assertThat(valid + invalid).isEqualTo(30);
    assertThat(invalid).isPositive();

    // THEN on the standard queue each message carries its client as MessageGroupId (fair queues)
    SqsClient sqs = backends.sqs();
    String queueUrl = sqs.getQueueUrl(r -> r.queueName(stack)).queueUrl();
    List<Message> peeked =
        sqs.receiveMessage(
                r ->
                    r.queueUrl(queueUrl)
                        .maxNumberOfMessages(10)
                        .visibilityTimeout(0)
                        .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID))
            .messages();
    assertThat(peeked).isNotEmpty();
    assertThat(peeked)
        .allSatisfy(
            m ->
                assertThat(m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID))
                    .matches("client-0[123]"));

    // WHEN drained
    CliRun drain =
        evtctl(
            "drain",
            "--pipeline-file",
            PIPELINE_FILE,
            "-q",
            stack,
            "--idle-timeout",
            "2",
            "-o",
            "json");
    JsonNode summary = Json.MAPPER.readTree(drain.out()).get(0);
    assertThat(drain.exitCode()).as(drain.err()).isEqualTo(ExitCode.NOT_MET);
    assertThat(summary.get("persisted").asInt()).isEqualTo(valid);
    assertThat(summary.get("invalid").asInt()).isEqualTo(invalid);

    // THEN events --tenant finds each client's events, columns from the file
    JsonNode first = groups.get(0);
    String client = first.get("group").asText();
    CliRun events =
        ok(
            "events",
            "--pipeline-file",
            PIPELINE_FILE,
            "--tenant",
            client,
            "-t",
            stack + "-events",
            "-o",
            "csv");
    List<String> rows = events.out().lines().toList();
    assertThat(rows.get(0)).isEqualTo("client,event_id,type,time,reason");
    assertThat(rows).hasSize(1 + first.get("valid").asInt());
    assertThat(rows.subList(1, rows.size())).allMatch(row -> row.startsWith(client + ","));
    CliRun invalidRecords =
        ok(
            "events",
            "--pipeline-file",
            PIPELINE_FILE,
            "--status",
            "INVALID",
            "-t",
            stack + "-events",
            "-o",
            "json");
    assertThat(Json.MAPPER.readTree(invalidRecords.out())).hasSize(invalid);

    // AND export of one client has exactly its items
    Path file = dir.resolve("client.ndjson");
    ok(
        "export",
        "--pipeline-file",
        PIPELINE_FILE,
        "--table",
        stack + "-events",
        "--tenant",
        client,
        "--file",
        file.toString());
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(first.get("valid").asInt());
    for (String line : lines) {
      assertThat(Json.MAPPER.readTree(line).at("/Item/client_id/S").asText()).isEqualTo(client);
    }

    // AND replay of that client into another stack stores the same items there
    String other = stack + "-replay";
    ok("stack", "create", "--pipeline-file", PIPELINE_FILE, "-n", other);
    ok(
        "replay",
        "--pipeline-file",
        PIPELINE_FILE,
        "--tenant",
        client,
        "-t",
        stack + "-events",
        "--to-queue",
        other);
    ok("drain", "--pipeline-file", PIPELINE_FILE, "-q", other, "--idle-timeout", "2");
    assertThat(PipelineTables.scan(dynamoDb, other + "-events", "client_id", "event_id"))
        .isEqualTo(
            PipelineTables.scan(dynamoDb, stack + "-events", "client_id", "event_id").stream()
                .filter(item -> item.get("client_id").s().equals(client))
                .toList());
  }

  @Test
  void theLambdaLoadsThePipelineFile() {
    // GIVEN the handler configured with PIPELINE_FILE and a table laid out from the file
    Pipeline pipeline = Pipelines.fromFile(Path.of(PIPELINE_FILE));
    DynamoDbClient dynamoDb = backends.dynamoDb();
    String table = "clients-" + UUID.randomUUID().toString().substring(0, 8) + "-events";
    new TableLayout(pipeline).createEventsTable(dynamoDb, table);
    SqsEventsHandler handler =
        new SqsEventsHandler(
            Map.of("PIPELINE_FILE", PIPELINE_FILE, "EVENTS_TABLE_NAME", table),
            dynamoDb,
            backends.sqs());
    String placed =
        "{\"client_id\":\"client-01\",\"event_id\":\"e-1\",\"type\":\"order.placed\","
            + "\"timestamp\":\"2026-12-01T10:00:00Z\",\"data\":{\"order_id\":\"o-1\",\"amount\":12.5}}";
    String unknownType = placed.replace("e-1", "e-2").replace("order.placed", "order.lost");
    String conflicting = placed.replace("o-1", "o-9");

    // WHEN a batch with a good event, an unknown type, the same event again and other content
    // under its id is handled
    SQSBatchResponse response =
        handler.handleRequest(
            Fixtures.sqsEvent(
                List.of(
                    Fixtures.record("m1", placed),
                    Fixtures.record("m2", unknownType),
                    Fixtures.record("m3", placed),
                    Fixtures.record("m4", conflicting))),
            null);

    // THEN nothing is retried; the event is stored once with its attributes, the rest recorded
    assertThat(BatchFailures.of(response)).isEmpty();
    List<Map<String, AttributeValue>> items =
        PipelineTables.scan(dynamoDb, table, "client_id", "event_id");
    Map<String, AttributeValue> stored = items.get(items.size() - 1);
    assertThat(stored)
        .isEqualTo(
            Map.of(
                "client_id", AttributeValue.fromS("client-01"),
                "event_id", AttributeValue.fromS("e-1"),
                "event", AttributeValue.fromS(placed),
                "type", AttributeValue.fromS("order.placed"),
                "timestamp", AttributeValue.fromS("2026-12-01T10:00:00Z"),
                "data",
                    AttributeValue.fromM(
                        Map.of(
                            "order_id", AttributeValue.fromS("o-1"),
                            "amount", AttributeValue.fromN("12.5")))));
    assertThat(items.subList(0, items.size() - 1))
        .extracting(item -> item.get("event_id").s() + " " + item.get("reason").s())
        .containsExactly(
            "m2 schema: /type: does not have a value in the enumeration [\"order.placed\","
                + " \"order.shipped\", \"account.updated\"]",
            "m4 conflict: client_id client-01 is already stored with different content");
  }

  /**
   * Two messages carrying one event (one key, other content) in one batch: the first in the batch
   * wins, as in a function that handles its batch in order. Processed at once, they raced, and
   * about half the time the second was stored.
   */
  @Test
  void theFirstOfTwoMessagesForOneEventWinsInEveryBatch() {
    Pipeline pipeline = Pipelines.fromFile(Path.of(PIPELINE_FILE));
    DynamoDbClient dynamoDb = backends.dynamoDb();
    String table = "clients-" + UUID.randomUUID().toString().substring(0, 8) + "-events";
    new TableLayout(pipeline).createEventsTable(dynamoDb, table);
    SqsEventsHandler handler =
        new SqsEventsHandler(
            Map.of("PIPELINE_FILE", PIPELINE_FILE, "EVENTS_TABLE_NAME", table),
            dynamoDb,
            backends.sqs());
    for (int batch = 0; batch < 10; batch++) {
      List<com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage> records =
          new ArrayList<>();
      for (int pair = 0; pair < 5; pair++) {
        String first =
            "{\"client_id\":\"client-01\",\"event_id\":\"e-"
                + batch
                + "-"
                + pair
                + "\",\"type\":\"order.placed\",\"timestamp\":\"2026-12-01T10:00:00Z\","
                + "\"data\":{\"order_id\":\"first\",\"amount\":1}}";
        records.add(Fixtures.record("m" + batch + "-" + pair + "-a", first));
        records.add(
            Fixtures.record("m" + batch + "-" + pair + "-b", first.replace("first", "second")));
      }
      assertThat(BatchFailures.of(handler.handleRequest(Fixtures.sqsEvent(records), null)))
          .isEmpty();
    }
    // THEN each event is stored with the first message's content, and the second is recorded
    // as a conflict
    List<Map<String, AttributeValue>> items =
        PipelineTables.scan(dynamoDb, table, "client_id", "event_id");
    List<Map<String, AttributeValue>> events =
        items.stream().filter(item -> item.get("client_id").s().equals("client-01")).toList();
    assertThat(events).hasSize(50);
    assertThat(events)
        .allSatisfy(
            item ->
                assertThat(item.get("data").m().get("order_id").s())
                    .as(item.get("event_id").s())
                    .isEqualTo("first"));
    List<Map<String, AttributeValue>> conflicts =
        items.stream().filter(item -> item.get("client_id").s().startsWith("INVALID#")).toList();
    assertThat(conflicts).hasSize(50);
    assertThat(conflicts)
        .allSatisfy(
            item -> {
              assertThat(item.get("event_id").s()).endsWith("-b");
              assertThat(item.get("reason").s()).startsWith("conflict: ");
            });
  }
}
