package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evtctl.core.pipeline.Json;
import dev.evtctl.testing.CliRun;
import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.MotoServer;
import dev.evtctl.testing.TxmaBodies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** evtctl trace end to end on the embedded backends: real drain log lines, queues, audit trails. */
@ExtendWith(EmbeddedAws.class)
class TraceCommandTest {

  @TempDir Path dir;

  private String endpoint;
  private SqsClient sqs;
  private String stack;
  private Path home;

  @BeforeEach
  void setUp(EmbeddedAws.Backends backends) throws Exception {
    endpoint = backends.edge();
    sqs = backends.sqs();
    stack = "trace-" + UUID.randomUUID().toString().substring(0, 8);
    // An EVTCTL_HOME of the test's own: no audit trail of another run is read.
    home = Files.createDirectories(dir.resolve("home"));
  }

  private CliRun evtctl(String... args) {
    List<String> all = new ArrayList<>(List.of("--endpoint-url", endpoint));
    all.addAll(List.of(args));
    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.put("EVTCTL_HOME", home.toString());
    environment.put("COLUMNS", "80");
    return CliRun.in(environment, all.toArray(String[]::new));
  }

  private void createStack(String... extra) {
    List<String> args = new ArrayList<>(List.of("stack", "create", "-p", "txma", "-n", stack));
    args.addAll(List.of(extra));
    CliRun run = evtctl(args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.err()).isZero();
  }

  private String send(String queue, String body) {
    String url = sqs.getQueueUrl(r -> r.queueName(queue)).queueUrl();
    return sqs.sendMessage(r -> r.queueUrl(url).messageBody(body)).messageId();
  }

  private JsonNode traceJson(int exitCode, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("trace"));
    all.addAll(List.of(args));
    all.addAll(List.of("-o", "json"));
    CliRun run = evtctl(all.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.err() + run.out()).isEqualTo(exitCode);
    return Json.MAPPER.readTree(run.out());
  }

  /** Each step as "source step message_id": the timeline's shape, exactly. */
  private static List<String> steps(JsonNode event) {
    List<String> steps = new ArrayList<>();
    for (JsonNode step : event.get("steps")) {
      steps.add(
          step.get("source").asText()
              + " "
              + step.get("step").asText()
              + " "
              + step.get("message_id").asText());
    }
    return steps;
  }

  @Test
  void aStoredEventShowsWhatDrainLoggedAndItsItem() throws Exception {
    // GIVEN an event drained with its log lines in a file (--debug: EVENT_PERSISTED is a debug
    // line)
    createStack();
    long now = Instant.now().getEpochSecond();
    String id = send(stack, TxmaBodies.event("sess-stored", "DCMAW_ASYNC_CRI_START", now));
    Path log = dir.resolve("drain.log");
    CliRun drain =
        evtctl(
            "--debug", "drain", "-q", stack, "--idle-timeout", "1", "--log-file", log.toString());
    assertThat(drain.exitCode()).as(drain.err()).isZero();
    Files.writeString(log, "not a JSON line\n", java.nio.file.StandardOpenOption.APPEND);

    // WHEN traced by its messageId
    JsonNode trace = traceJson(0, id, "-q", stack, "--log-file", log.toString());

    // THEN one event: what drain logged, then the item, and the verdict stored
    assertThat(trace).hasSize(1);
    JsonNode event = trace.get(0);
    assertThat(event.get("id").asText()).isEqualTo(id);
    assertThat(event.get("logs_searched").asBoolean()).isTrue();
    assertThat(event.get("event").asText()).isEqualTo("DCMAW_ASYNC_CRI_START");
    assertThat(event.get("verdict").asText()).isEqualTo("stored");
    assertThat(event.get("key").asText())
        .isEqualTo("SESSION#sess-stored TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_START#TIMESTAMP#" + now);
    assertThat(steps(event)).containsExactly("drain PERSISTED " + id, "table stored null");

    // AND the table format is a timeline that fits 80 columns
    CliRun table = evtctl("trace", id, "-q", stack, "--log-file", log.toString());
    assertThat(table.exitCode()).as(table.err()).isZero();
    assertThat(table.out().lines()).first().isEqualTo("DCMAW_ASYNC_CRI_START: stored");
    assertThat(table.out().lines())
        .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
    assertThat(table.out()).contains("PERSISTED").contains(id);
  }

  @Test
  void aLogGroupIsSearchedAsAFileIsAndAMissingOneExitsFour() throws Exception {
    // GIVEN an event drained with its log lines shipped to a CloudWatch Logs group (moto's server)
    try (MotoServer moto = MotoServer.start()) {
      Map<String, String> environment = new HashMap<>(System.getenv());
      environment.put("EVTCTL_HOME", home.toString());
      environment.put("AWS_ENDPOINT_URL", endpoint);
      environment.put("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", moto.endpoint().toString());
      createStack();
      long now = Instant.now().getEpochSecond();
      String id = send(stack, TxmaBodies.event("sess-group", "DCMAW_ASYNC_CRI_START", now));
      String group = "/evtctl/trace/" + stack;
      CliRun drain =
          CliRun.in(
              environment,
              "--debug",
              "drain",
              "-q",
              stack,
              "--idle-timeout",
              "1",
              "--log-group",
              group);
      assertThat(drain.exitCode()).as(drain.err()).isZero();

      // WHEN traced from the group
      CliRun run =
          CliRun.in(environment, "trace", id, "-q", stack, "--log-group", group, "-o", "json");

      // THEN the same timeline as from a file: what drain logged, then the item
      assertThat(run.exitCode()).as(run.err()).isZero();
      JsonNode event = Json.MAPPER.readTree(run.out()).get(0);
      assertThat(event.get("logs_searched").asBoolean()).isTrue();
      assertThat(event.get("verdict").asText()).isEqualTo("stored");
      assertThat(steps(event)).containsExactly("drain PERSISTED " + id, "table stored null");

      // AND a group that does not exist is one line and exit 4
      CliRun missing =
          CliRun.in(environment, "trace", id, "-q", stack, "--log-group", group + "-missing");
      assertThat(missing.exitCode()).isEqualTo(ExitCode.BACKEND);
      assertThat(missing.err().strip().lines()).hasSize(1);
      assertThat(missing.err()).contains(group + "-missing");
    }
  }

  /** The JSON lines of a log file with this code. */
  private static List<JsonNode> linesOf(Path log, String code) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      JsonNode json = Json.readTree(line);
      if (code.equals(json.path("code").asText())) {
        lines.add(json);
      }
    }
    return lines;
  }

  @Test
  void aSeededEventStartsWithItsSentLine() throws Exception {
    // GIVEN an event seeded and drained, both with their log lines in one file
    createStack();
    long now = Instant.now().getEpochSecond();
    Path events = dir.resolve("events.ndjson");
    Files.writeString(events, TxmaBodies.event("sess-sent", "DCMAW_ASYNC_CRI_START", now) + "\n");
    Path log = dir.resolve("drain.log");
    CliRun seed =
        evtctl("seed", "-q", stack, "--file", events.toString(), "--log-file", log.toString());
    assertThat(seed.exitCode()).as(seed.err()).isZero();
    CliRun drain =
        evtctl("drain", "-q", stack, "--idle-timeout", "1", "--log-file", log.toString());
    assertThat(drain.exitCode()).as(drain.err()).isZero();

    // THEN seed logged one MESSAGE_SENT line: the messageId, queue and ids, never the body
    List<JsonNode> sent = linesOf(log, "MESSAGE_SENT");
    assertThat(sent).hasSize(1);
    JsonNode line = sent.get(0);
    String id = line.get("messageId").asText();
    assertThat(line.get("queue").asText()).isEqualTo(stack);
    assertThat(line.get("sender").asText()).isEqualTo("seed");
    assertThat(line.get("sessionId").asText()).isEqualTo("sess-sent");
    assertThat(line.get("eventName").asText()).isEqualTo("DCMAW_ASYNC_CRI_START");
    assertThat(line.toString()).doesNotContain("203.0.113.7").doesNotContain("user_id");

    // AND the session's trace starts with it
    JsonNode trace = traceJson(0, "sess-sent", "-q", stack, "--log-file", log.toString());
    assertThat(trace).hasSize(1);
    assertThat(steps(trace.get(0))).containsExactly("seed sent " + id, "table stored null");
    assertThat(trace.get(0).get("steps").get(0).get("detail").asText()).isEqualTo("to " + stack);
    assertThat(trace.get(0).get("verdict").asText()).isEqualTo("stored");
  }

  @Test
  void importAndReplayLogWhatTheySent() throws Exception {
    // GIVEN a stored event
    createStack();
    long now = Instant.now().getEpochSecond();
    send(stack, TxmaBodies.event("sess-again", "DCMAW_ASYNC_CRI_START", now));
    assertThat(evtctl("drain", "-q", stack, "--idle-timeout", "1").exitCode()).isZero();
    Path log = dir.resolve("sent.log");

    // WHEN it is replayed, exported and imported, each with a log file
    CliRun replay =
        evtctl(
            "replay", "--session", "sess-again", "--to-queue", stack, "--log-file", log.toString());
    assertThat(replay.exitCode()).as(replay.err()).isZero();
    Path export = dir.resolve("queue.ndjson");
    CliRun exported = evtctl("export", "--queue", stack, "--file", export.toString());
    assertThat(exported.exitCode()).as(exported.err()).isZero();
    CliRun imported =
        evtctl("import", "--file", export.toString(), "-q", stack, "--log-file", log.toString());
    assertThat(imported.exitCode()).as(imported.err()).isZero();

    // THEN one MESSAGE_SENT line each, with the sender and the session
    assertThat(linesOf(log, "MESSAGE_SENT"))
        .extracting(l -> l.get("sender").asText() + " " + l.get("sessionId").asText())
        .containsExactly("replay sess-again", "import sess-again");
  }

  @Test
  void aRetriedMessageShowsItsBackoff() throws Exception {
    // GIVEN an event whose write failed once (one receive, then the drain stops)
    createStack();
    long now = Instant.now().getEpochSecond();
    String id = send(stack, TxmaBodies.event("sess-retry", "DCMAW_ASYNC_CRI_START", now));
    Path log = dir.resolve("drain.log");
    CliRun drain =
        evtctl(
            "drain",
            "-q",
            stack,
            "--fail-writes",
            "100%",
            "--max-messages",
            "1",
            "--log-file",
            log.toString());
    assertThat(drain.exitCode()).as(drain.err()).isEqualTo(ExitCode.NOT_MET);

    // THEN drain logged when it comes back: 1 s after its first receive
    List<JsonNode> backoffs = linesOf(log, "RETRY_BACKOFF");
    assertThat(backoffs).hasSize(1);
    assertThat(backoffs.get(0).get("messageId").asText()).isEqualTo(id);
    assertThat(backoffs.get(0).get("sessionId").asText()).isEqualTo("sess-retry");
    assertThat(backoffs.get(0).get("receiveCount").asInt()).isEqualTo(1);
    assertThat(backoffs.get(0).get("backoffSeconds").asInt()).isEqualTo(1);

    // AND, once it is visible again, the trace shows the RETRY, the backoff and the queue
    Thread.sleep(2000);
    JsonNode event = traceJson(0, id, "-q", stack, "--log-file", log.toString()).get(0);
    assertThat(steps(event))
        // the queue's row is at the time the message was sent, with its age
        .containsExactly("queue waiting " + id, "drain RETRY " + id, "drain returned " + id);
    assertThat(event.get("steps").get(2).get("detail").asText())
        .isEqualTo("back in 1 s, receive 1");
    assertThat(event.get("verdict").asText()).isEqualTo("on the queue after 1 receive");
  }

  @Test
  void withTheBackendsGoneTheLogsStillAnswer() throws Exception {
    // GIVEN an event's log lines, and an endpoint where nothing listens any more
    createStack();
    long now = Instant.now().getEpochSecond();
    String id = send(stack, TxmaBodies.event("sess-gone", "DCMAW_ASYNC_CRI_START", now));
    Path log = dir.resolve("drain.log");
    CliRun drain =
        evtctl(
            "--debug", "drain", "-q", stack, "--idle-timeout", "1", "--log-file", log.toString());
    assertThat(drain.exitCode()).as(drain.err()).isZero();
    String gone = "http://127.0.0.1:" + dev.evtctl.testing.CloudWatchLogsOutage.deadPort();
    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.put("EVTCTL_HOME", home.toString());

    // WHEN traced there
    CliRun run =
        CliRun.in(
            environment,
            "--endpoint-url",
            gone,
            "trace",
            id,
            "-q",
            stack,
            "--log-file",
            log.toString(),
            "-o",
            "json");

    // THEN the logs answer, and trace says what it could not search
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(steps(Json.MAPPER.readTree(run.out()).get(0)))
        .containsExactly("drain PERSISTED " + id);
    assertThat(run.err())
        .contains("the queues and the table were not searched: cannot reach " + gone);

    // AND an id the logs do not hold is a backend error there (exit 4), not "known nowhere"
    CliRun unknown =
        CliRun.in(
            environment,
            "--endpoint-url",
            gone,
            "trace",
            "no-such-id",
            "-q",
            stack,
            "--log-file",
            log.toString());
    assertThat(unknown.exitCode()).as(unknown.err()).isEqualTo(ExitCode.BACKEND);
    assertThat(unknown.err()).contains("cannot reach " + gone).doesNotContain("known nowhere");
  }

  @Test
  void anInvalidEventShowsItsReasonFromTheLogsAndItsRecord() throws Exception {
    // GIVEN an event the schema rejects, drained with a log file
    createStack();
    String id = send(stack, TxmaBodies.event("sess-invalid", "DCMAW_ASYNC_CRI_START", -1));
    Path log = dir.resolve("drain.log");
    CliRun drain =
        evtctl("drain", "-q", stack, "--idle-timeout", "1", "--log-file", log.toString());
    assertThat(drain.exitCode()).as(drain.err()).isEqualTo(ExitCode.NOT_MET);

    // WHEN traced
    JsonNode trace = traceJson(0, id, "-q", stack, "--log-file", log.toString());

    // THEN its INVALID line and INVALID record, and the reason in the verdict
    JsonNode event = trace.get(0);
    String reason = event.get("steps").get(0).get("reason").asText();
    assertThat(reason).isEqualTo("schema: /timestamp: must have a minimum value of 0");
    assertThat(event.get("verdict").asText()).isEqualTo("invalid: " + reason);
    assertThat(steps(event)).containsExactly("drain INVALID " + id, "table INVALID null");
    assertThat(event.get("steps").get(0).get("detail").asText()).isEqualTo("policy record");
    assertThat(event.get("steps").get(1).get("reason").asText()).isEqualTo(reason);
  }

  @Test
  void aRedrivenEventJoinsItsOldAndNewMessageIds() throws Exception {
    // GIVEN an event whose writes failed until it went to the DLQ, then redriven and stored
    createStack("--max-receive-count", "2");
    long now = Instant.now().getEpochSecond();
    String old = send(stack, TxmaBodies.event("sess-redriven", "DCMAW_ASYNC_CRI_END", now));
    Path failing = dir.resolve("failing.log");
    CliRun drain =
        evtctl(
            "drain",
            "-q",
            stack,
            "--fail-writes",
            "100%",
            "--idle-timeout",
            "5",
            "--log-file",
            failing.toString());
    assertThat(drain.exitCode()).as(drain.err()).isNotEqualTo(ExitCode.INTERNAL_ERROR);
    assertThat(traceJson(0, old, "-q", stack).get(0).get("verdict").asText())
        .startsWith("in the DLQ after ");
    Path audit = dir.resolve("redrive.ndjson");
    CliRun redrive =
        evtctl("dlq", "redrive", "-q", stack + "-dlq", "--audit-file", audit.toString());
    assertThat(redrive.exitCode()).as(redrive.err()).isZero();
    Path log = dir.resolve("drain.log");
    Files.copy(failing, log);
    CliRun again =
        evtctl(
            "--debug", "drain", "-q", stack, "--idle-timeout", "1", "--log-file", log.toString());
    assertThat(again.exitCode()).as(again.err()).isZero();
    String renamed =
        Files.readAllLines(audit).stream()
            .map(line -> Json.MAPPER.valueToTree(parse(line)))
            .map(JsonNode.class::cast)
            .filter(line -> line.path("action").asText().equals("sent"))
            .findFirst()
            .orElseThrow()
            .get("new_message_id")
            .asText();
    assertThat(renamed).isNotEqualTo(old);

    // WHEN traced by the old messageId, and by the new one
    JsonNode byOld =
        traceJson(
            0, old, "-q", stack, "--log-file", log.toString(), "--audit-file", audit.toString());
    JsonNode byNew =
        traceJson(
            0,
            renamed,
            "-q",
            stack,
            "--log-file",
            log.toString(),
            "--audit-file",
            audit.toString());

    // THEN one event, carried by both messageIds: the retries, the redrive, the write, the item
    for (JsonNode trace : List.of(byOld, byNew)) {
      assertThat(trace).hasSize(1);
      JsonNode event = trace.get(0);
      assertThat(event.get("message_ids"))
          .extracting(JsonNode::asText)
          .containsExactlyInAnyOrder(old, renamed);
      assertThat(event.get("verdict").asText()).isEqualTo("stored");
      List<String> steps = steps(event);
      assertThat(steps).contains("redrive redriven " + old, "drain PERSISTED " + renamed);
      assertThat(steps.get(0)).isEqualTo("drain RETRY " + old);
      assertThat(steps.subList(steps.indexOf("redrive redriven " + old), steps.size()))
          .containsExactly(
              "redrive redriven " + old, "drain PERSISTED " + renamed, "table stored null");
      JsonNode redriven = event.get("steps").get(steps.indexOf("redrive redriven " + old));
      assertThat(redriven.get("new_message_id").asText()).isEqualTo(renamed);
    }
  }

  private static JsonNode parse(String line) {
    try {
      return Json.readTree(line);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void anEventStillOnTheQueueIsPeekedAndGivenBack() throws Exception {
    // GIVEN an event no one has drained
    createStack();
    String id = send(stack, TxmaBodies.event("sess-waiting", "DCMAW_ASYNC_CRI_START", 1763900000));

    // WHEN traced twice, with no log source
    CliRun first = evtctl("trace", id, "-q", stack, "-o", "json");
    JsonNode second = traceJson(0, id, "-q", stack);

    // THEN it is on the queue; the logs were not searched, and trace says so
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.err()).contains("logs were not searched");
    JsonNode event = Json.MAPPER.readTree(first.out()).get(0);
    assertThat(event.get("verdict").asText()).isEqualTo("on the queue after 0 receives");
    assertThat(steps(event)).containsExactly("queue waiting " + id);
    assertThat(event.get("steps").get(0).get("age").isNumber()).isTrue();
    assertThat(event.get("logs_searched").asBoolean()).isFalse();
    // each trace received it once, as dlq peek does, and gave it back
    assertThat(second.get(0).get("verdict").asText()).isEqualTo("on the queue after 1 receive");
    String url = sqs.getQueueUrl(r -> r.queueName(stack)).queueUrl();
    List<Message> left =
        sqs.receiveMessage(
                r ->
                    r.queueUrl(url)
                        .maxNumberOfMessages(10)
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
            .messages();
    assertThat(left).extracting(Message::messageId).containsExactly(id);
    assertThat(left.get(0).attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
        .isEqualTo("3");
  }

  @Test
  void aLogFileAndALogGroupTogetherAreAUsageError() {
    CliRun run = CliRun.of("trace", "any-id", "--log-file", "a.ndjson", "--log-group", "g");

    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo("evtctl: --log-file and --log-group are mutually exclusive (give one)\n");
  }

  @Test
  void anIdKnownNowhereExitsThree() throws Exception {
    // GIVEN a stack that never saw the id
    createStack();
    send(stack, TxmaBodies.event("sess-other", "DCMAW_ASYNC_CRI_START", 1763900000));
    String unknown = UUID.randomUUID().toString();

    // WHEN traced
    CliRun run = evtctl("trace", unknown, "-q", stack);

    // THEN exit 3, saying where it looked, and nothing on stdout
    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.NOT_MET);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .contains(unknown + " is known nowhere; searched queue: " + stack + " (1 message peeked)")
        .contains("table: " + stack + "-events")
        .contains("logs were not searched");
  }

  @Test
  void aSessionGetsOneVerdictPerEvent() throws Exception {
    // GIVEN a session with one event stored, one invalid, one waiting, one in the DLQ
    createStack();
    String session = "sess-" + UUID.randomUUID().toString().substring(0, 8);
    long now = Instant.now().getEpochSecond();
    send(stack, TxmaBodies.event(session, "DCMAW_ASYNC_CRI_START", now));
    String invalid = send(stack, TxmaBodies.event(session, "DCMAW_ASYNC_CRI_END", -1));
    Path log = dir.resolve("drain.log");
    CliRun drain =
        evtctl("drain", "-q", stack, "--idle-timeout", "1", "--log-file", log.toString());
    assertThat(drain.exitCode()).as(drain.err()).isEqualTo(ExitCode.NOT_MET);
    String waiting = send(stack, TxmaBodies.event(session, "DCMAW_ASYNC_ABORT_APP", now + 1));
    String dead =
        send(stack + "-dlq", TxmaBodies.event(session, "DCMAW_ASYNC_CRI_5XXERROR", now + 2));
    send(stack, TxmaBodies.event("sess-someone-else", "DCMAW_ASYNC_CRI_START", now));

    // WHEN the session is traced
    JsonNode trace = traceJson(0, session, "-q", stack, "--log-file", log.toString());

    // THEN one block per event of the session, each with its verdict
    assertThat(trace).allSatisfy(e -> assertThat(e.get("group").asBoolean()).isTrue());
    Map<String, String> verdicts = new HashMap<>();
    trace.forEach(e -> verdicts.put(e.get("event").asText(), e.get("verdict").asText()));
    assertThat(verdicts).hasSize(4);
    assertThat(verdicts.get("DCMAW_ASYNC_CRI_START")).isEqualTo("stored");
    assertThat(verdicts.get("DCMAW_ASYNC_CRI_END"))
        .isEqualTo("invalid: schema: /timestamp: must have a minimum value of 0");
    assertThat(verdicts.get("DCMAW_ASYNC_ABORT_APP")).isEqualTo("on the queue after 0 receives");
    assertThat(verdicts.get("DCMAW_ASYNC_CRI_5XXERROR")).isEqualTo("in the DLQ after 0 receives");
    List<String> ids = new ArrayList<>();
    trace.forEach(e -> e.get("message_ids").forEach(m -> ids.add(m.asText())));
    assertThat(ids).containsExactlyInAnyOrder(invalid, waiting, dead);
  }

  @Test
  void businessIdsOfLedgerAndMessagesFindTheirEvents() throws Exception {
    // GIVEN a ledger event drained with its log lines, and a messages event drained without
    String ledger = stack;
    String messages = stack + "-m";
    for (String[] s : new String[][] {{"ledger", ledger}, {"messages", messages}}) {
      CliRun create = evtctl("stack", "create", "-p", s[0], "-n", s[1]);
      assertThat(create.exitCode()).as(create.err()).isZero();
    }
    String eventId = "evt-" + UUID.randomUUID();
    String id =
        send(
            ledger,
            "{\"tenant_id\":\"tenant-trace\",\"event_id\":\""
                + eventId
                + "\",\"event_type\":\"user.created\",\"created_at\":\"2025-11-23T10:00:00Z\","
                + "\"payload\":{\"id\":\"u-1\",\"email\":\"ada@example.com\"}}");
    Path log = dir.resolve("drain.log");
    CliRun drain =
        evtctl(
            "--debug",
            "drain",
            "-p",
            "ledger",
            "-q",
            ledger,
            "--idle-timeout",
            "1",
            "--log-file",
            log.toString());
    assertThat(drain.exitCode()).as(drain.err()).isZero();
    String messageKey = UUID.randomUUID().toString();
    send(
        messages,
        "{\"metadata\":{\"message_time\":\"2023-12-10T22:02:38Z\",\"company_id\":\"co-trace\","
            + "\"message_id\":\""
            + messageKey
            + "\"},\"data\":{\"order_id\":\"a929b88e\",\"order_amount\":20}}");
    CliRun drained = evtctl("drain", "-p", "messages", "-q", messages, "--idle-timeout", "1");
    assertThat(drained.exitCode()).as(drained.err()).isZero();

    // WHEN each is traced by its business id
    JsonNode byEventId =
        traceJson(0, eventId, "-p", "ledger", "-q", ledger, "--log-file", log.toString());
    JsonNode byMessageKey = traceJson(0, messageKey, "-p", "messages", "-q", messages);

    // THEN the ledger event: its PERSISTED line joined to its item by the logged ids
    assertThat(byEventId).hasSize(1);
    assertThat(byEventId.get(0).get("verdict").asText()).isEqualTo("stored");
    assertThat(byEventId.get(0).get("key").asText())
        .isEqualTo("tenant-trace 2025-11-23T10:00:00Z#" + eventId);
    assertThat(steps(byEventId.get(0)))
        .containsExactly("drain PERSISTED " + id, "table stored null");
    // AND the messages event: its item, read by its key
    assertThat(byMessageKey).hasSize(1);
    assertThat(byMessageKey.get(0).get("verdict").asText()).isEqualTo("stored");
    assertThat(byMessageKey.get(0).get("key").asText()).isEqualTo(messageKey);
    assertThat(steps(byMessageKey.get(0))).containsExactly("table stored null");
  }
}
