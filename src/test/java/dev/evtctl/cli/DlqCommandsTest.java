package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evtctl.core.pipeline.Json;
import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.processing.MessageProcessor;
import dev.evtctl.core.stack.SeedGenerator;
import dev.evtctl.testing.CliRun;
import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.QueueContents;
import dev.evtctl.testing.QueueDepth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** dlq list, peek, redrive and purge through Evtctl.run, on the embedded backends. */
@ExtendWith(EmbeddedAws.class)
class DlqCommandsTest {

  private String endpoint;
  private SqsClient sqs;
  private String stack;

  @BeforeEach
  void setUp(EmbeddedAws.Backends backends) {
    endpoint = backends.edge();
    sqs = backends.sqs();
    stack = "dlq-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private CliRun evtctl(String... args) {
    List<String> all = new ArrayList<>(List.of("--endpoint-url", endpoint));
    all.addAll(List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  private CliRun createStack(String... extra) {
    List<String> args = new ArrayList<>(List.of("stack", "create", "-p", "txma", "-n", stack));
    args.addAll(List.of(extra));
    CliRun run = evtctl(args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.err()).isZero();
    return run;
  }

  /** Valid TxMA bodies, one session each of two. */
  private static List<SeedGenerator.SeedMessage> events(int count) {
    SeedGenerator generator =
        new SeedGenerator(Pipelines.builtIn("txma"), 7, 2, 0, 0, Instant.now());
    List<SeedGenerator.SeedMessage> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(generator.next());
    }
    return events;
  }

  /** Sends the bodies straight to a queue, each with a reason attribute; returns messageIds. */
  private List<String> send(String queue, List<SeedGenerator.SeedMessage> events, boolean fifo) {
    String url = sqs.getQueueUrl(r -> r.queueName(queue)).queueUrl();
    List<String> ids = new ArrayList<>();
    for (SeedGenerator.SeedMessage event : events) {
      ids.add(
          sqs.sendMessage(
                  r -> {
                    r.queueUrl(url)
                        .messageBody(event.body())
                        .messageAttributes(
                            Map.of(
                                "origin",
                                MessageAttributeValue.builder()
                                    .dataType("String")
                                    .stringValue("test")
                                    .build()));
                    if (fifo) {
                      r.messageGroupId(event.group())
                          .messageDeduplicationId(UUID.randomUUID().toString());
                    }
                  })
              .messageId());
    }
    return ids;
  }

  private List<Message> takeAll(String queue) {
    return QueueContents.takeAll(sqs, queue);
  }

  @Test
  void listShowsEachQueueWithItsDeadLetterQueueAndDepth() throws Exception {
    // GIVEN a stack whose DLQ holds 3 messages
    createStack("--max-receive-count", "4");
    send(stack + "-dlq", events(3), false);

    // WHEN listed
    CliRun list = evtctl("dlq", "list", "--prefix", stack, "-o", "json");

    // THEN the queue, its DLQ, the max receive count and the depth are shown
    assertThat(list.exitCode()).as(list.err()).isZero();
    JsonNode rows = Json.MAPPER.readTree(list.out());
    assertThat(rows).hasSize(1);
    JsonNode row = rows.get(0);
    assertThat(row.get("queue").asText()).isEqualTo(stack);
    assertThat(row.get("dlq").asText()).isEqualTo(stack + "-dlq");
    assertThat(row.get("max_receive_count").asInt()).isEqualTo(4);
    assertThat(row.get("messages").asInt()).isEqualTo(3);
    // seconds, as a number
    assertThat(row.get("oldest_age").isNumber()).as(row.toString()).isTrue();
    // AND the sampled messages were given back
    assertThat(QueueDepth.of(sqs, stack + "-dlq")).isEqualTo(3);
  }

  @Test
  void peekShowsMessagesWithoutConsumingThem() throws Exception {
    // GIVEN 3 messages on the DLQ, one with the reason the invalid policy dlq gives
    createStack();
    List<SeedGenerator.SeedMessage> events = events(3);
    send(stack + "-dlq", events.subList(0, 2), false);
    String url = sqs.getQueueUrl(r -> r.queueName(stack + "-dlq")).queueUrl();
    sqs.sendMessage(
        r ->
            r.queueUrl(url)
                .messageBody("not json")
                .messageAttributes(
                    Map.of(
                        MessageProcessor.INVALID_REASON_ATTRIBUTE,
                        MessageAttributeValue.builder()
                            .dataType("String")
                            .stringValue("body is not JSON")
                            .build())));

    // WHEN peeked twice
    CliRun first = evtctl("dlq", "peek", "-q", stack + "-dlq", "-o", "json");
    CliRun second = evtctl("dlq", "peek", "-q", stack + "-dlq", "--max", "2", "-o", "json");

    // THEN all 3 are shown each time, bodies as JSON, with the reason where there is one
    assertThat(first.exitCode()).as(first.err()).isZero();
    JsonNode shown = Json.MAPPER.readTree(first.out());
    assertThat(shown).hasSize(3);
    Map<String, JsonNode> byBody = new LinkedHashMap<>();
    shown.forEach(doc -> byBody.put(doc.get("body").toString(), doc));
    JsonNode invalid = byBody.get("\"not json\"");
    assertThat(invalid.get("reason").asText()).isEqualTo("body is not JSON");
    assertThat(invalid.get("attributes").get("ApproximateReceiveCount").asText()).isEqualTo("1");
    assertThat(invalid.get("receives_before").asInt()).isZero();
    assertThat(java.time.Instant.parse(invalid.get("first_received").asText()))
        .isAfterOrEqualTo(java.time.Instant.parse(invalid.get("sent").asText()));
    JsonNode valid = byBody.get(Json.MAPPER.readTree(events.get(0).body()).toString());
    assertThat(valid.get("body").get("event_name").isTextual()).isTrue();
    assertThat(valid.get("message_attributes").get("origin").asText()).isEqualTo("test");
    assertThat(valid.get("reason").isNull()).isTrue();
    assertThat(Json.MAPPER.readTree(second.out())).hasSize(2);
    // AND nothing was consumed
    assertThat(QueueDepth.of(sqs, stack + "-dlq")).isEqualTo(3);
  }

  @Test
  void redriveMovesEveryMessageBackWithItsAttributesAndAuditsIt(@TempDir Path dir)
      throws Exception {
    // GIVEN 25 messages on the DLQ
    createStack();
    List<SeedGenerator.SeedMessage> events = events(25);
    List<String> oldIds = send(stack + "-dlq", events, false);
    Path audit = dir.resolve("audit.ndjson");

    // WHEN redriven, with no target given
    CliRun redrive =
        evtctl(
            "dlq", "redrive", "-q", stack + "-dlq", "--audit-file", audit.toString(), "-o", "json");

    // THEN all 25 moved to the queue whose redrive policy names the DLQ
    assertThat(redrive.exitCode()).as(redrive.err()).isZero();
    JsonNode summary = Json.MAPPER.readTree(redrive.out()).get(0);
    assertThat(summary.get("received").asInt()).isEqualTo(25);
    assertThat(summary.get("moved").asInt()).isEqualTo(25);
    assertThat(summary.get("send_failures").asInt()).isZero();
    assertThat(summary.get("delete_failures").asInt()).isZero();
    assertThat(QueueDepth.of(sqs, stack + "-dlq")).isZero();
    List<Message> moved = takeAll(stack);
    assertThat(moved)
        .extracting(Message::body)
        .containsExactlyInAnyOrderElementsOf(
            events.stream().map(SeedGenerator.SeedMessage::body).toList());
    assertThat(moved)
        .allSatisfy(
            m -> assertThat(m.messageAttributes().get("origin").stringValue()).isEqualTo("test"));

    // AND the audit trail starts, then has a sending, a sent and a deleted line for each, in that
    // order, old id to new id
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(audit)) {
      lines.add(Json.MAPPER.readTree(line));
    }
    assertThat(lines).hasSize(1 + 75);
    assertThat(lines.get(0).get("action").asText()).isEqualTo("started");
    for (String oldId : oldIds) {
      assertThat(
              lines.stream()
                  .filter(l -> l.path("message_id").asText().equals(oldId))
                  .map(l -> l.get("action").asText()))
          .containsExactly("sending", "sent", "deleted");
    }
    Map<String, String> newIdByOld = new LinkedHashMap<>();
    lines.stream()
        .filter(l -> l.get("action").asText().equals("sent"))
        .forEach(
            l -> newIdByOld.put(l.get("message_id").asText(), l.get("new_message_id").asText()));
    assertThat(newIdByOld.keySet()).containsExactlyInAnyOrderElementsOf(oldIds);
    assertThat(newIdByOld.values())
        .containsExactlyInAnyOrderElementsOf(moved.stream().map(Message::messageId).toList());
    assertThat(lines.stream().filter(l -> l.get("action").asText().equals("deleted")))
        .extracting(l -> l.get("message_id").asText())
        .containsExactlyInAnyOrderElementsOf(oldIds);
    assertThat(redrive.err()).contains("audit trail: " + audit);
  }

  @Test
  void filterMovesOnlyMatchingMessagesAndGivesTheOthersBackUntouched() throws Exception {
    // GIVEN 12 messages on the DLQ of 2 sessions
    createStack();
    List<SeedGenerator.SeedMessage> events = events(12);
    send(stack + "-dlq", events, false);
    String session = events.get(0).group();
    long ofSession = events.stream().filter(e -> e.group().equals(session)).count();

    // WHEN redriven with a filter on the session
    CliRun redrive =
        evtctl(
            "dlq",
            "redrive",
            "-q",
            stack + "-dlq",
            "--to",
            stack,
            "--filter",
            "/body/user/session_id=" + session,
            "--filter",
            "!/body/no_such_field",
            "--audit-file",
            "/dev/null",
            "-o",
            "json");

    // THEN only that session's messages moved; the others are visible on the DLQ at once
    assertThat(redrive.exitCode()).as(redrive.err()).isZero();
    JsonNode summary = Json.MAPPER.readTree(redrive.out()).get(0);
    assertThat(summary.get("moved").asLong()).isEqualTo(ofSession);
    assertThat(summary.get("left_by_filter").asLong()).isEqualTo(12 - ofSession);
    assertThat(takeAll(stack))
        .allSatisfy(m -> assertThat(m.body()).contains("\"session_id\":\"" + session + "\""))
        .hasSize((int) ofSession);
    List<Message> left = takeAll(stack + "-dlq");
    assertThat(left).hasSize((int) (12 - ofSession));
    assertThat(left).noneSatisfy(m -> assertThat(m.body()).contains(session));
  }

  @Test
  void nativeRedriveHandsTheMoveToSqsAndReportsItsProgress() throws Exception {
    // GIVEN 15 messages on the DLQ
    createStack();
    send(stack + "-dlq", events(15), false);

    // WHEN redriven by SQS's own move task
    CliRun redrive = evtctl("dlq", "redrive", "-q", stack + "-dlq", "--native", "-o", "json");

    // THEN the task completed and moved all 15 back to the source queue
    assertThat(redrive.exitCode()).as(redrive.err()).isZero();
    JsonNode row = Json.MAPPER.readTree(redrive.out()).get(0);
    assertThat(row.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(row.get("moved").asInt()).isEqualTo(15);
    assertThat(redrive.err()).contains("move task");
    assertThat(QueueDepth.of(sqs, stack + "-dlq")).isZero();
    assertThat(QueueDepth.of(sqs, stack)).isEqualTo(15);

    // AND --native refuses what only evtctl's own redrive does
    CliRun filtered =
        evtctl("dlq", "redrive", "-q", stack + "-dlq", "--native", "--filter", "/body");
    assertThat(filtered.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(filtered.err())
        .isEqualTo("evtctl: --native moves every message: no --filter, --max or --dry-run\n");
  }

  @Test
  void aQueueGivenItsDeadLetterQueueLaterIsFoundAndRedrivenBackTo() throws Exception {
    // GIVEN a queue that existed before stack create, which then set its redrive policy with
    // SetQueueAttributes (ElasticMQ itself only knows policies given at CreateQueue)
    sqs.createQueue(r -> r.queueName(stack));
    createStack();
    send(stack + "-dlq", events(4), false);

    // WHEN redriven without --to, by evtctl and by SQS's own move task
    CliRun redrive = evtctl("dlq", "redrive", "-q", stack + "-dlq", "--max", "1", "-o", "json");
    CliRun task = evtctl("dlq", "redrive", "-q", stack + "-dlq", "--native", "-o", "json");

    // THEN both found the source queue, and all four are back on it
    assertThat(redrive.exitCode()).as(redrive.err()).isZero();
    assertThat(task.exitCode()).as(task.err()).isZero();
    assertThat(QueueDepth.of(sqs, stack + "-dlq")).isZero();
    assertThat(QueueDepth.of(sqs, stack)).isEqualTo(4);
    assertThat(Json.MAPPER.readTree(task.out()).get(0).get("status").asText())
        .isEqualTo("COMPLETED");
    assertThat(takeAll(stack)).extracting(Message::body).doesNotHaveDuplicates().hasSize(4);
  }

  @Test
  void dryRunShowsWhatWouldMoveAndMovesNothing() throws Exception {
    // GIVEN 5 messages on the DLQ
    createStack();
    send(stack + "-dlq", events(5), false);

    // WHEN a dry run, even of more than --max
    CliRun dry =
        evtctl("dlq", "redrive", "-q", stack + "-dlq", "--dry-run", "--max", "3", "-o", "json");

    // THEN 3 are shown, and nothing moved
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(Json.MAPPER.readTree(dry.out())).hasSize(3);
    assertThat(dry.err()).contains("dry run: 3 of 3 message(s) received would move");
    assertThat(QueueDepth.of(sqs, stack)).isZero();
    assertThat(QueueDepth.of(sqs, stack + "-dlq")).isEqualTo(5);
  }

  @Test
  void fifoRedriveKeepsGroupsAndTheirOrder() throws Exception {
    // GIVEN a FIFO stack whose DLQ holds 14 messages in 2 groups
    createStack("--fifo");
    List<SeedGenerator.SeedMessage> events = events(14);
    send(stack + "-dlq.fifo", events, true);

    // WHEN redriven
    CliRun redrive =
        evtctl(
            "dlq", "redrive", "-q", stack + "-dlq.fifo", "--audit-file", "/dev/null", "-o", "json");

    // THEN every message is on the FIFO queue in its group, in the order it was sent
    assertThat(redrive.exitCode()).as(redrive.err()).isZero();
    assertThat(redrive.err()).contains("fresh MessageDeduplicationId");
    Map<String, List<String>> sentByGroup = new LinkedHashMap<>();
    events.forEach(
        e -> sentByGroup.computeIfAbsent(e.group(), g -> new ArrayList<>()).add(e.body()));
    Map<String, List<String>> movedByGroup = new LinkedHashMap<>();
    takeAll(stack + ".fifo")
        .forEach(
            m ->
                movedByGroup
                    .computeIfAbsent(
                        m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID),
                        g -> new ArrayList<>())
                    .add(m.body()));
    assertThat(movedByGroup).isEqualTo(sentByGroup);
  }

  @Test
  void badInputIsOneClearLineAndAnExitCode() {
    createStack();
    send(stack + "-dlq", events(101), false);

    CliRun unknown = evtctl("dlq", "redrive", "-q", stack + "-nope");
    assertThat(unknown.exitCode()).isEqualTo(ExitCode.BACKEND);
    assertThat(unknown.err()).startsWith("evtctl: queue " + stack + "-nope does not exist");

    CliRun notADlq = evtctl("dlq", "redrive", "-q", stack);
    assertThat(notADlq.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(notADlq.err())
        .isEqualTo(
            "evtctl: queue "
                + stack
                + " is not the dead-letter queue of any queue (no redrive policy names it):"
                + " give --to Q\n");

    CliRun badFilter = evtctl("dlq", "redrive", "-q", stack + "-dlq", "--filter", "event_name=X");
    assertThat(badFilter.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(badFilter.err()).startsWith("evtctl: filter 'event_name=X' does not parse");

    CliRun badRegex = evtctl("dlq", "redrive", "-q", stack + "-dlq", "--filter", "/body/a=~(");
    assertThat(badRegex.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(badRegex.err()).startsWith("evtctl: filter '/body/a=~(': regex for /body/a");

    CliRun many = evtctl("dlq", "redrive", "-q", stack + "-dlq");
    assertThat(many.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(many.err())
        .isEqualTo(
            "evtctl: about 101 messages would move (more than 100): give --yes, or --dry-run to"
                + " see them first\n");

    CliRun purge = evtctl("dlq", "purge", "-q", stack + "-dlq");
    assertThat(purge.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(purge.err()).contains("give --yes");
    // AND nothing moved or was purged
    assertThat(QueueDepth.of(sqs, stack + "-dlq")).isEqualTo(101);
    assertThat(QueueDepth.of(sqs, stack)).isZero();

    CliRun purged = evtctl("dlq", "purge", "-q", stack + "-dlq", "--yes");
    assertThat(purged.exitCode()).as(purged.err()).isZero();
    assertThat(QueueDepth.of(sqs, stack + "-dlq")).isZero();
  }
}
