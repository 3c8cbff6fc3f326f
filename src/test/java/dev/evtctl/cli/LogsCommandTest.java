package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evtctl.core.logs.CloudWatchLogs;
import dev.evtctl.core.logs.LiveTail;
import dev.evtctl.core.logs.LiveTailUnsupportedException;
import dev.evtctl.core.logs.LogFilter;
import dev.evtctl.core.logs.LogLine;
import dev.evtctl.core.pipeline.Json;
import dev.evtctl.testing.CliRun;
import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.MotoServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;

/**
 * `evtctl logs` on the lines a real drain wrote: the same drain's --log-file and --log-group (a
 * real moto_server; those tests are skipped where it is not installed) read back with each flag,
 * the same lines from both; Lambda-shaped lines (the Powertools keys) beside drain's; broken lines
 * shown raw; the errors and their exit codes.
 */
@ExtendWith(EmbeddedAws.class)
class LogsCommandTest {

  private static MotoServer moto;

  private EmbeddedAws.Backends backends;
  private String stack;
  private String group;

  @BeforeEach
  void setUp(EmbeddedAws.Backends backends) {
    this.backends = backends;
    stack = "lq-" + UUID.randomUUID().toString().substring(0, 8);
    group = "/evtctl/test/" + stack;
  }

  @AfterAll
  static void stopMoto() {
    if (moto != null) {
      moto.close();
      moto = null;
    }
  }

  private static MotoServer moto() {
    if (moto == null) {
      moto = MotoServer.start();
    }
    return moto;
  }

  private Map<String, String> environment() {
    return Map.of(
        "AWS_ENDPOINT_URL",
        backends.edge(),
        "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS",
        moto().endpoint().toString());
  }

  /** Lines as the Lambda writes them: Powertools' keys beside the ids (ledger: tenantId). */
  private static final List<String> LAMBDA_LINES =
      List.of(
          "{\"timestamp\":\"2026-12-01T10:00:00.100Z\",\"level\":\"WARN\",\"message\":\"invalid"
              + " event\",\"code\":\"INVALID_EVENT\",\"pipeline\":\"ledger\",\"messageId\":\"m-lambda-1\","
              + "\"tenantId\":\"t-1\",\"eventType\":\"user.created\",\"reason\":\"payload: email is"
              + " missing\",\"service\":\"ledger-dequeue\",\"cold_start\":true,"
              + "\"function_request_id\":\"req-1\",\"xray_trace_id\":\"1-5759e988-bd862e3fe1be46a994272793\"}",
          "{\"timestamp\":\"2026-12-01T10:00:00.200Z\",\"level\":\"INFO\",\"message\":\"processed\","
              + "\"code\":\"PROCESSED_MESSAGES\",\"pipeline\":\"ledger\",\"messages\":2,\"persisted\":1,"
              + "\"invalid\":1,\"service\":\"ledger-dequeue\",\"cold_start\":true,"
              + "\"function_request_id\":\"req-1\"}",
          "{\"timestamp\":\"2026-12-01T10:00:01.000Z\",\"level\":\"ERROR\",\"message\":\"cannot"
              + " write\",\"code\":\"ERROR_WRITING_EVENT_TO_EVENTS_TABLE\",\"pipeline\":\"ledger\","
              + "\"messageId\":\"m-lambda-2\",\"tenantId\":\"t-2\",\"eventType\":\"monitoring\","
              + "\"service\":\"ledger-dequeue\",\"cold_start\":false,\"function_request_id\":\"req-2\"}");

  /** A drain of seeded TxMA events with --log-file and --log-group, the lines parsed. */
  private List<JsonNode> drained(Path logFile) throws Exception {
    Map<String, String> edge = Map.of("AWS_ENDPOINT_URL", backends.edge());
    CliRun created = CliRun.in(edge, "stack", "create", "-p", "txma", "-n", stack);
    assertThat(created.exitCode()).as(created.err()).isZero();
    CliRun seed =
        CliRun.in(
            edge,
            "seed",
            "-q",
            stack,
            "--count",
            "30",
            "--sessions",
            "3",
            "--invalid-ratio",
            "0.2",
            "--duplicate-ratio",
            "0.1",
            "--random-seed",
            "7");
    assertThat(seed.exitCode()).as(seed.err()).isZero();
    CliRun drain =
        CliRun.in(
            environment(),
            "drain",
            "-q",
            stack,
            "--idle-timeout",
            "2",
            "--log-group",
            group,
            "--log-file",
            logFile.toString());
    assertThat(drain.exitCode()).as(drain.err()).isEqualTo(ExitCode.NOT_MET);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(logFile)) {
      lines.add(Json.MAPPER.readTree(line));
    }
    return lines;
  }

  private static List<JsonNode> ndjson(CliRun run) throws Exception {
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : run.out().split("\n")) {
      if (!line.isBlank()) {
        lines.add(Json.MAPPER.readTree(line));
      }
    }
    return lines;
  }

  private static String text(JsonNode line, String key) {
    return line.hasNonNull(key) ? line.get(key).asText() : null;
  }

  @Test
  void eachFlagGivesTheSameLinesFromTheFileAndTheGroup(@TempDir Path dir) throws Exception {
    // GIVEN a drain's lines in a file and in a group, and the Lambda's lines added to both
    Path logFile = dir.resolve("drain.ndjson");
    List<JsonNode> drainLines = drained(logFile);
    Files.write(logFile, LAMBDA_LINES, StandardOpenOption.APPEND);
    try (CloudWatchLogsClient logs = moto().logs()) {
      logs.createLogStream(r -> r.logGroupName(group).logStreamName("2026/12/01/[$LATEST]abc"));
      List<InputLogEvent> events = new ArrayList<>();
      for (String line : LAMBDA_LINES) {
        JsonNode parsed = Json.MAPPER.readTree(line);
        events.add(
            InputLogEvent.builder()
                .timestamp(Instant.parse(parsed.get("timestamp").asText()).toEpochMilli())
                .message(line)
                .build());
      }
      logs.putLogEvents(
          r -> r.logGroupName(group).logStreamName("2026/12/01/[$LATEST]abc").logEvents(events));
    }
    List<JsonNode> all = new ArrayList<>(drainLines);
    for (String line : LAMBDA_LINES) {
      all.add(Json.MAPPER.readTree(line));
    }
    JsonNode invalid =
        drainLines.stream()
            .filter(line -> "INVALID_EVENT".equals(text(line, "code")))
            .findFirst()
            .orElseThrow();
    JsonNode withSession =
        drainLines.stream()
            .filter(line -> line.has("sessionId") && line.has("eventName"))
            .findFirst()
            .orElseThrow();
    String session = text(withSession, "sessionId");
    String eventName = text(withSession, "eventName");
    String messageId = text(invalid, "messageId");

    Map<List<String>, Predicate<JsonNode>> cases = new java.util.LinkedHashMap<>();
    cases.put(List.of(), line -> true);
    cases.put(
        List.of("--code", "INVALID_EVENT"), line -> "INVALID_EVENT".equals(text(line, "code")));
    cases.put(List.of("--session", session), line -> session.equals(text(line, "sessionId")));
    cases.put(List.of("--tenant", "t-1"), line -> "t-1".equals(text(line, "tenantId")));
    cases.put(
        List.of("--message-id", messageId), line -> messageId.equals(text(line, "messageId")));
    cases.put(
        List.of("--event-name", eventName), line -> eventName.equals(text(line, "eventName")));
    cases.put(
        List.of("--event-name", "monitoring"),
        line -> "monitoring".equals(text(line, "eventType")));
    cases.put(
        List.of("--level", "warn"), line -> List.of("WARN", "ERROR").contains(text(line, "level")));
    cases.put(
        List.of("--code", "INVALID_EVENT", "--session", session),
        line ->
            "INVALID_EVENT".equals(text(line, "code")) && session.equals(text(line, "sessionId")));
    cases.put(
        List.of("--until", "2026-12-01T10:00:00.500Z"),
        line ->
            !Instant.parse(text(line, "timestamp").replace("+00:00", "Z"))
                .isAfter(Instant.parse("2026-12-01T10:00:00.500Z")));
    cases.put(
        List.of("--since", "2026-12-01T10:00:00.150Z", "--until", "2026-12-01T10:00:01Z"),
        line -> LAMBDA_LINES.subList(1, 3).contains(line.toString()));

    for (var entry : cases.entrySet()) {
      List<String> flags = entry.getKey();
      List<JsonNode> expected = all.stream().filter(entry.getValue()).toList();
      // WHEN read with these flags from the file and from the group
      List<String> fromFile = new ArrayList<>(List.of("logs", "--file", logFile.toString()));
      fromFile.addAll(flags);
      fromFile.addAll(List.of("-o", "ndjson"));
      List<String> fromGroup = new ArrayList<>(List.of("logs", "--group", group));
      fromGroup.addAll(flags);
      fromGroup.addAll(List.of("-o", "ndjson"));
      List<JsonNode> file = ndjson(CliRun.in(environment(), fromFile.toArray(String[]::new)));
      List<JsonNode> logGroup = ndjson(CliRun.in(environment(), fromGroup.toArray(String[]::new)));
      // THEN both give exactly the lines the flags select
      assertThat(file).as("file %s", flags).containsExactlyElementsOf(expected);
      assertThat(logGroup).as("group %s", flags).containsExactlyInAnyOrderElementsOf(expected);
    }

    // AND a table shows the ids in snake_case columns
    CliRun table = CliRun.in(environment(), "logs", "--group", group, "--tenant", "t-1");
    assertThat(table.exitCode()).as(table.err()).isZero();
    assertThat(table.out().lines().findFirst().orElseThrow())
        .contains("time", "level", "code", "message_id", "tenant_id", "event_name", "message");
    assertThat(table.out()).contains("m-lambda-1", "user.created", "invalid event");
  }

  @Test
  void aMissingGroupIsOneClearLineAndExit4() {
    CliRun run = CliRun.in(environment(), "logs", "--group", "/no/such/group");
    assertThat(run.exitCode()).isEqualTo(ExitCode.BACKEND);
    assertThat(run.err()).contains("CloudWatch Logs group /no/such/group does not exist");
    assertThat(run.err().lines().count()).isEqualTo(1);
  }

  @Test
  void everyPageIsRead() {
    // GIVEN 10,050 events in two streams: more than one FilterLogEvents page (10,000 at most)
    try (CloudWatchLogsClient logs = moto().logs()) {
      logs.createLogGroup(r -> r.logGroupName(group));
      long start = Instant.now().minusSeconds(600).toEpochMilli();
      for (String stream : List.of("a", "b")) {
        logs.createLogStream(r -> r.logGroupName(group).logStreamName(stream));
        for (int call = 0; call < (stream.equals("a") ? 1 : 1); call++) {
          List<InputLogEvent> events = new ArrayList<>();
          int count = stream.equals("a") ? 10_000 : 50;
          for (int i = 0; i < count; i++) {
            String code = i % 100 == 0 ? "INVALID_EVENT" : "EVENT_PERSISTED";
            events.add(
                InputLogEvent.builder()
                    .timestamp(start + i)
                    .message(
                        "{\"level\":\"INFO\",\"code\":\""
                            + code
                            + "\",\"messageId\":\""
                            + stream
                            + "-"
                            + i
                            + "\"}")
                    .build());
          }
          logs.putLogEvents(r -> r.logGroupName(group).logStreamName(stream).logEvents(events));
        }
      }
      // WHEN read through the CLI, and through the engine with small pages
      CliRun run = CliRun.in(environment(), "logs", "--group", group, "-o", "csv");
      CliRun invalid =
          CliRun.in(
              environment(), "logs", "--group", group, "--code", "INVALID_EVENT", "-o", "csv");
      int small = new CloudWatchLogs(logs, group, 7).find(LogFilter.message("b-3")).size();

      // THEN every line is there
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out().lines().count()).isEqualTo(1 + 10_050);
      assertThat(invalid.out().lines().count()).isEqualTo(1 + 100 + 1);
      assertThat(small).isEqualTo(1);
    }
  }

  @Test
  void followPicksUpALineWrittenAfterItStarted() throws Exception {
    // GIVEN a group with one line
    try (CloudWatchLogsClient logs = moto().logs()) {
      logs.createLogGroup(r -> r.logGroupName(group));
      logs.createLogStream(r -> r.logGroupName(group).logStreamName("s"));
      put(logs, "{\"level\":\"INFO\",\"code\":\"PROCESSED_MESSAGES\",\"messages\":1}");
      // WHEN followed, and a line is written afterwards
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int[] exit = {-1};
      Thread follow =
          new Thread(
              () ->
                  exit[0] =
                      Evtctl.run(
                          new PrintWriter(out, true),
                          new PrintWriter(err, true),
                          environment(),
                          "logs",
                          "--group",
                          group,
                          "--follow",
                          "-o",
                          "ndjson"));
      follow.start();
      awaitOutput(out, "PROCESSED_MESSAGES");
      put(logs, "{\"level\":\"WARN\",\"code\":\"INVALID_EVENT\",\"messageId\":\"late\"}");
      awaitOutput(out, "late");
      follow.interrupt();
      follow.join(10_000);

      // THEN both lines came, once each, and the follow ended with 0; moto has no StartLiveTail,
      // so it polled, and said nothing of it
      assertThat(follow.isAlive()).isFalse();
      assertThat(exit[0]).as(err.toString()).isZero();
      assertThat(err.toString()).isEmpty();
      assertThat(out.toString().lines().toList())
          .containsExactly(
              "{\"level\":\"INFO\",\"code\":\"PROCESSED_MESSAGES\",\"messages\":1}",
              "{\"level\":\"WARN\",\"code\":\"INVALID_EVENT\",\"messageId\":\"late\"}");
    }
  }

  @Test
  void motoAnswersStartLiveTailAsAnEndpointWithoutIt() throws Exception {
    // GIVEN a group on moto_server, which answers StartLiveTail 500 (its log: "The start_live_tail
    // action has not been implemented"; moto's in-process mock answers 404)
    try (CloudWatchLogsClient logs = moto().logs();
        CloudWatchLogsAsyncClient live = moto().logsAsync()) {
      logs.createLogGroup(r -> r.logGroupName(group));
      String arn =
          logs.describeLogGroups(r -> r.logGroupNamePrefix(group)).logGroups().get(0).arn();
      List<LogLine> shown = new ArrayList<>();
      LiveTail.Listener listener =
          new LiveTail.Listener() {
            @Override
            public void started() {
              throw new AssertionError("no session starts on moto");
            }

            @Override
            public void lines(List<LogLine> lines) {
              shown.addAll(lines);
            }
          };

      // WHEN tailed live, THEN the tail says the endpoint does not serve it (a follow polls)
      assertThatThrownBy(
              () -> new LiveTail(live).follow(arn.replaceAll(":\\*$", ""), LogFilter.ALL, listener))
          .isInstanceOf(LiveTailUnsupportedException.class)
          .cause()
          .isInstanceOf(AwsServiceException.class)
          .extracting(e -> ((AwsServiceException) e).statusCode())
          .isEqualTo(500);
      assertThat(shown).isEmpty();
    }
  }

  @Test
  void aMissingGroupEndsAFollowAtOnceWithExit4() {
    CliRun run = CliRun.in(environment(), "logs", "--group", "/no/such/group", "--follow");
    assertThat(run.exitCode()).isEqualTo(ExitCode.BACKEND);
    assertThat(run.err())
        .isEqualTo("evtctl: CloudWatch Logs group /no/such/group does not exist\n");
  }

  private void put(CloudWatchLogsClient logs, String message) {
    logs.putLogEvents(
        r ->
            r.logGroupName(group)
                .logStreamName("s")
                .logEvents(
                    InputLogEvent.builder()
                        .timestamp(System.currentTimeMillis())
                        .message(message)
                        .build()));
  }

  static void awaitOutput(StringWriter out, String text) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!out.toString().contains(text) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(out.toString()).contains(text);
  }

  @Test
  void brokenLinesOfAFileAreShownRaw(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("mixed.log");
    Files.writeString(
        file,
        LAMBDA_LINES.get(0)
            + "\nSTART RequestId: req-1 Version: $LATEST\n{\"level\":\"INFO\",\"code\":\n"
            + LAMBDA_LINES.get(1),
        StandardCharsets.UTF_8);
    CliRun table = CliRun.of("logs", "--file", file.toString());
    CliRun ndjson = CliRun.of("logs", "--file", file.toString(), "-o", "ndjson");
    CliRun csv = CliRun.of("logs", "--file", file.toString(), "-o", "csv");
    CliRun filtered =
        CliRun.of("logs", "--file", file.toString(), "--code", "INVALID_EVENT", "-o", "ndjson");

    assertThat(table.exitCode()).as(table.err()).isZero();
    assertThat(table.out()).contains("START RequestId: req-1 Version: $LATEST");
    assertThat(ndjson(ndjson))
        .extracting(JsonNode::toString)
        .containsExactly(
            LAMBDA_LINES.get(0),
            "{\"raw\":\"START RequestId: req-1 Version: $LATEST\"}",
            "{\"raw\":\"{\\\"level\\\":\\\"INFO\\\",\\\"code\\\":\"}",
            LAMBDA_LINES.get(1));
    assertThat(csv.out().lines().toList())
        .hasSize(5)
        .contains(",,,,,,,START RequestId: req-1 Version: $LATEST,");
    assertThat(ndjson(filtered))
        .extracting(JsonNode::toString)
        .containsExactly(LAMBDA_LINES.get(0));
  }

  @Test
  void ctrlCEndsAFollowWithExit130(@TempDir Path dir) throws Exception {
    // GIVEN logs --follow on a file, in a process of its own
    Path file = dir.resolve("follow.log");
    Files.writeString(file, LAMBDA_LINES.get(0) + "\n");
    Process follow =
        dev.evtctl.testing.EvtctlProcess.start(
            dir, Map.of(), "logs", "--file", file.toString(), "--follow", "-o", "ndjson");
    Path out = dir.resolve("out.txt");
    awaitFile(out, "m-lambda-1");
    // WHEN a line is appended, and then the process gets SIGTERM (as Ctrl-C, the shutdown hooks)
    Files.writeString(file, LAMBDA_LINES.get(2) + "\n", StandardOpenOption.APPEND);
    awaitFile(out, "m-lambda-2");
    follow.destroy();
    // THEN it ends as an interrupted command does (130), both lines shown
    assertThat(follow.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(follow.exitValue())
        .as(Files.readString(dir.resolve("err.txt")))
        .isEqualTo(ExitCode.INTERRUPTED);
    assertThat(Files.readAllLines(out)).containsExactly(LAMBDA_LINES.get(0), LAMBDA_LINES.get(2));
  }

  private static void awaitFile(Path file, String text) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline
        && !(Files.exists(file) && Files.readString(file).contains(text))) {
      Thread.sleep(100);
    }
    assertThat(Files.readString(file)).contains(text);
  }

  @Test
  void badInputIsAUsageError(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("x.log");
    Files.writeString(file, LAMBDA_LINES.get(0) + "\n");
    CliRun since = CliRun.of("logs", "--file", file.toString(), "--since", "yesterday");
    assertThat(since.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(since.err()).contains("'yesterday' is neither a time");
    CliRun none = CliRun.of("logs", "--code", "INVALID_EVENT");
    assertThat(none.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(none.err()).contains("--group G, --file F or --local");
    CliRun missing = CliRun.of("logs", "--file", dir.resolve("nope.log").toString());
    assertThat(missing.exitCode()).isEqualTo(ExitCode.USAGE);
    CliRun level = CliRun.of("logs", "--file", file.toString(), "--level", "loud");
    assertThat(level.exitCode()).isEqualTo(ExitCode.USAGE);
  }

  @Test
  void aDrainAgainstTheLocalStackKeepsItsLinesForLogsLocal(@TempDir Path home) throws Exception {
    // GIVEN a drain with --local (the embedded edge's port) and nothing said about its lines
    String port = String.valueOf(java.net.URI.create(backends.edge()).getPort());
    Map<String, String> env = Map.of("EVTCTL_HOME", home.toString());
    CliRun created =
        CliRun.in(env, "--local=" + port, "stack", "create", "-p", "txma", "-n", stack);
    assertThat(created.exitCode()).as(created.err()).isZero();
    CliRun seed =
        CliRun.in(
            env,
            "--local=" + port,
            "seed",
            "-q",
            stack,
            "--count",
            "10",
            "--invalid-ratio",
            "0.3",
            "--random-seed",
            "3");
    assertThat(seed.exitCode()).as(seed.err()).isZero();
    CliRun drain = CliRun.in(env, "--local=" + port, "drain", "-q", stack, "--idle-timeout", "1");
    assertThat(drain.exitCode()).as(drain.err()).isIn(ExitCode.OK, ExitCode.NOT_MET);

    // THEN its lines are in the home, private to the user, and logs --local reads them
    Path lines = home.resolve("logs").resolve("local-" + port + ".ndjson");
    assertThat(lines).exists();
    if (lines.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(lines)))
          .isEqualTo("rw-------");
    }
    CliRun logs =
        CliRun.in(env, "--local=" + port, "logs", "--code", "PROCESSED_MESSAGES", "-o", "json");
    assertThat(logs.exitCode()).as(logs.err()).isZero();
    JsonNode found = Json.MAPPER.readTree(logs.out());
    assertThat(found).isNotEmpty();
    int messages = 0;
    for (JsonNode line : found) {
      messages += line.get("messages").asInt();
    }
    assertThat(messages).isEqualTo(10);
    // AND the stored events' EVENT_PERSISTED lines (debug) are there too, ids only, no body
    CliRun persisted =
        CliRun.in(env, "--local=" + port, "logs", "--code", "EVENT_PERSISTED", "-o", "json");
    JsonNode stored = Json.MAPPER.readTree(persisted.out());
    assertThat(stored).isNotEmpty();
    assertThat(stored).allSatisfy(line -> assertThat(line.has("sessionId")).isTrue());
    assertThat(Files.readString(lines)).doesNotContain("ip_address").doesNotContain("\"body\"");
  }
}
