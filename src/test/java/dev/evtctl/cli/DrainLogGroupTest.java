package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evtctl.core.pipeline.Json;
import dev.evtctl.testing.CliRun;
import dev.evtctl.testing.CloudWatchLogsOutage;
import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.MotoServer;
import dev.evtctl.testing.PipelineTables;
import dev.evtctl.testing.QueueDepth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;

/**
 * `evtctl drain --log-group G` through Evtctl.run: SQS and DynamoDB on the embedded backends (edge
 * endpoint as AWS_ENDPOINT_URL), CloudWatch Logs on a real moto_server as
 * AWS_ENDPOINT_URL_CLOUDWATCH_LOGS. Each drain also writes --log-file, the same lines locally, to
 * compare with what CloudWatch holds. Skipped where moto_server is not installed.
 */
@ExtendWith(EmbeddedAws.class)
class DrainLogGroupTest {

  private static final Pattern STREAM_LINE =
      Pattern.compile(
          "evtctl drain: log lines go to CloudWatch Logs group (\\S+), stream"
              + " (evtctl-drain/\\d{4}/\\d{2}/\\d{2}/\\S+-\\d+)\n");

  private static MotoServer moto;

  private EmbeddedAws.Backends backends;
  private String stack;
  private String group;

  @BeforeEach
  void setUp(EmbeddedAws.Backends backends) {
    this.backends = backends;
    stack = "lg-" + UUID.randomUUID().toString().substring(0, 8);
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

  /** The shell a user would have: the edge for everything, CloudWatch Logs on moto. */
  private Map<String, String> environment(MotoServer logs) {
    return Map.of(
        "AWS_ENDPOINT_URL",
        backends.edge(),
        "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS",
        logs.endpoint().toString());
  }

  private JsonNode seed(int count, String invalidRatio, String duplicateRatio) throws Exception {
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
            String.valueOf(count),
            "--sessions",
            "3",
            "--invalid-ratio",
            invalidRatio,
            "--duplicate-ratio",
            duplicateRatio,
            "--random-seed",
            "21",
            "-o",
            "json");
    assertThat(seed.exitCode()).as(seed.err()).isZero();
    return Json.MAPPER.readTree(seed.out());
  }

  private static int sum(JsonNode rows, String field) {
    int total = 0;
    for (JsonNode row : rows) {
      total += row.get(field).asInt();
    }
    return total;
  }

  private static List<JsonNode> parse(List<String> lines) throws Exception {
    List<JsonNode> parsed = new ArrayList<>();
    for (String line : lines) {
      parsed.add(Json.MAPPER.readTree(line));
    }
    return parsed;
  }

  private static List<JsonNode> withCode(List<JsonNode> lines, String code) {
    return lines.stream().filter(line -> line.path("code").asText().equals(code)).toList();
  }

  private static int total(List<JsonNode> lines, String field) {
    return lines.stream().mapToInt(line -> line.get(field).asInt()).sum();
  }

  /** The one stream the drain named on stderr, with every event CloudWatch holds for it. */
  private List<String> shippedMessages(CliRun drain) {
    Matcher named = STREAM_LINE.matcher(drain.err());
    assertThat(named.find()).as(drain.err()).isTrue();
    assertThat(named.group(1)).isEqualTo(group);
    String stream = named.group(2);
    try (CloudWatchLogsClient logs = moto().logs()) {
      List<LogStream> streams =
          logs.describeLogStreams(request -> request.logGroupName(group)).logStreams();
      assertThat(streams).extracting(LogStream::logStreamName).containsExactly(stream);
      return MotoServer.events(logs, group, stream).stream().map(OutputLogEvent::message).toList();
    }
  }

  @Test
  void everyLogLineOfTheDrainIsInTheGroupWithoutBodies(@TempDir Path dir) throws Exception {
    // GIVEN 40 TxMA events on a queue, some invalid, some duplicated
    JsonNode groups = seed(40, "0.15", "0.1");
    int invalid = sum(groups, "invalid");
    int duplicate = sum(groups, "duplicate");
    assertThat(invalid).isPositive();
    Path logFile = dir.resolve("drain.log");

    // WHEN drained with --log-group (the group does not exist yet)
    CliRun drain =
        CliRun.in(
            environment(moto()),
            "drain",
            "-q",
            stack,
            "--idle-timeout",
            "2",
            "--log-group",
            group,
            "--log-file",
            logFile.toString(),
            "-o",
            "json");

    // THEN the drain ends as without it: exit 3 for the invalid ones, every message accounted for
    assertThat(drain.exitCode()).as(drain.err()).isEqualTo(ExitCode.NOT_MET);
    JsonNode summary = Json.MAPPER.readTree(drain.out()).get(0);
    assertThat(summary.get("received").asInt()).isEqualTo(40);
    assertThat(summary.get("invalid").asInt()).isEqualTo(invalid);
    assertThat(drain.err()).doesNotContain("could not be shipped");

    // AND the group was created and holds exactly the lines of the log file, JSON for JSON
    List<String> shipped = shippedMessages(drain);
    List<String> written = Files.readAllLines(logFile);
    assertThat(written).isNotEmpty();
    assertThat(shipped).containsExactlyInAnyOrderElementsOf(written);

    // AND one PROCESSED_MESSAGES line per batch, whose counts add up to the summary's
    List<JsonNode> lines = parse(shipped);
    List<JsonNode> batches = withCode(lines, "PROCESSED_MESSAGES");
    assertThat(batches).isNotEmpty();
    assertThat(total(batches, "messages")).isEqualTo(40);
    assertThat(total(batches, "persisted")).isEqualTo(summary.get("persisted").asInt());
    assertThat(total(batches, "duplicate")).isEqualTo(duplicate);
    assertThat(total(batches, "invalid")).isEqualTo(invalid);
    assertThat(total(batches, "retry")).isZero();

    // AND one INVALID_EVENT line (WARN, with its message id and reason) per invalid message
    List<JsonNode> invalidLines = withCode(lines, "INVALID_EVENT");
    assertThat(invalidLines).hasSize(invalid);
    assertThat(invalidLines)
        .allSatisfy(
            line -> {
              assertThat(line.get("level").asText()).isEqualTo("WARN");
              assertThat(line.get("messageId").asText()).isNotBlank();
              assertThat(line.get("reason").asText()).isNotBlank();
            });
    assertThat(withCode(lines, "DUPLICATE_EVENT")).hasSize(duplicate);

    // AND without --debug: info and up only, and no event body (TxMA bodies carry IP addresses)
    assertThat(lines).noneMatch(line -> line.get("level").asText().equals("DEBUG"));
    assertThat(lines).noneMatch(line -> line.has("body"));
    assertThat(shipped).noneMatch(message -> message.contains("ip_address"));
  }

  @Test
  void withDebugTheDebugLinesAndBodiesGoToo() throws Exception {
    // GIVEN 10 valid TxMA events
    int valid = sum(seed(10, "0", "0"), "valid");
    assertThat(valid).isEqualTo(10);

    // WHEN drained with --debug and --log-group
    CliRun drain =
        CliRun.in(
            environment(moto()),
            "--debug",
            "drain",
            "-q",
            stack,
            "--idle-timeout",
            "2",
            "--log-group",
            group);

    // THEN each persisted event has its DEBUG line in the group, with the body as received
    assertThat(drain.exitCode()).as(drain.err()).isZero();
    List<JsonNode> lines = parse(shippedMessages(drain));
    List<JsonNode> persisted = withCode(lines, "EVENT_PERSISTED");
    assertThat(persisted).hasSize(valid);
    assertThat(persisted)
        .allSatisfy(
            line -> {
              assertThat(line.get("level").asText()).isEqualTo("DEBUG");
              assertThat(line.get("body").asText()).contains("\"ip_address\"");
            });
  }

  @Test
  void aGroupThatCannotBeWrittenStopsTheDrainBeforeItStarts() throws Exception {
    // GIVEN 10 events on a queue, and CloudWatch Logs (moto with IAM on) where the drain's keys
    // are denied every logs action
    seed(10, "0", "0");
    try (MotoServer iam = MotoServer.start(Map.of("INITIAL_NO_AUTH_ACTION_COUNT", "3"))) {
      iam.query("iam", "Action=CreateUser&Version=2010-05-08&UserName=drainer");
      iam.query(
          "iam",
          "Action=PutUserPolicy&Version=2010-05-08&UserName=drainer&PolicyName=no-logs"
              + "&PolicyDocument="
              + java.net.URLEncoder.encode(
                  "{\"Version\":\"2012-10-17\",\"Statement\":["
                      + "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},"
                      + "{\"Effect\":\"Deny\",\"Action\":\"logs:*\",\"Resource\":\"*\"}]}",
                  java.nio.charset.StandardCharsets.UTF_8));
      String key = iam.query("iam", "Action=CreateAccessKey&Version=2010-05-08&UserName=drainer");
      Map<String, String> environment =
          Map.of(
              "AWS_ENDPOINT_URL",
              backends.edge(),
              "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS",
              iam.endpoint().toString(),
              "AWS_ACCESS_KEY_ID",
              between(key, "<AccessKeyId>", "</AccessKeyId>"),
              "AWS_SECRET_ACCESS_KEY",
              between(key, "<SecretAccessKey>", "</SecretAccessKey>"));

      // WHEN drained with --log-group
      CliRun drain = CliRun.in(environment, "drain", "-q", stack, "--log-group", group);

      // THEN exit 4 with one line naming the group and the denial, and nothing was drained
      assertThat(drain.exitCode()).as(drain.err()).isEqualTo(ExitCode.BACKEND);
      assertThat(drain.err().lines()).hasSize(1);
      assertThat(drain.err())
          .startsWith("evtctl: cannot write to CloudWatch Logs group " + group + ": ")
          // moto answers IAM denials in XML, which the JSON protocol of CloudWatch Logs cannot
          // read: the status is what is left (AWS itself says AccessDeniedException and why)
          .contains("HTTP 403 Forbidden (access denied)");
      assertThat(drain.out()).isEmpty();
      assertThat(QueueDepth.of(backends.sqs(), stack)).isEqualTo(10);
      assertThat(PipelineTables.scan(backends.dynamoDb(), stack + "-events", "pk", "sk")).isEmpty();
    }
  }

  private static String between(String text, String start, String end) {
    int from = text.indexOf(start) + start.length();
    return text.substring(from, text.indexOf(end, from));
  }

  @Test
  void cloudWatchGoingAwayMidRunLosesNoMessageAndIsReportedInOneLine(@TempDir Path dir)
      throws Exception {
    // GIVEN 30 valid events on a queue
    JsonNode groups = seed(30, "0", "0");
    int valid = sum(groups, "valid");
    assertThat(valid).isEqualTo(30);
    Path logFile = dir.resolve("drain.log");

    // WHEN CloudWatch Logs becomes unreachable once the drain has created its stream
    CliRun drain;
    try (AutoCloseable outage = CloudWatchLogsOutage.begin()) {
      drain =
          CliRun.in(
              environment(moto()),
              "drain",
              "-q",
              stack,
              "--idle-timeout",
              "2",
              "--log-group",
              group,
              "--log-file",
              logFile.toString(),
              "-o",
              "json");
    }

    // THEN the drain did all its work and exits with its own code
    assertThat(drain.exitCode()).as(drain.err()).isZero();
    JsonNode summary = Json.MAPPER.readTree(drain.out()).get(0);
    assertThat(summary.get("received").asInt()).isEqualTo(30);
    assertThat(summary.get("persisted").asInt()).isEqualTo(valid);
    assertThat(QueueDepth.of(backends.sqs(), stack)).isZero();
    assertThat(PipelineTables.scan(backends.dynamoDb(), stack + "-events", "pk", "sk"))
        .hasSize(valid);

    // AND one stderr line at the end says how many log lines were not shipped, and why
    int lines = Files.readAllLines(logFile).size();
    assertThat(lines).isPositive();
    List<String> err = drain.err().lines().toList();
    assertThat(err.get(err.size() - 1))
        .startsWith(
            "evtctl drain: "
                + lines
                + " log events could not be shipped to CloudWatch Logs group "
                + group
                + ": cannot reach http://127.0.0.1:")
        .contains("Connection refused");
    assertThat(err).filteredOn(line -> line.contains("could not be shipped")).hasSize(1);
    assertThat(shippedMessages(drain)).isEmpty();
  }

  @Test
  void ctrlCShipsTheLastLogLinesBeforeTheProcessEnds(@TempDir Path dir) throws Exception {
    // GIVEN 1,500 events on a queue
    seed(1500, "0.05", "0");
    Path logFile = dir.resolve("drain.log");

    // WHEN `evtctl drain --follow --log-group G` runs in its own JVM and is interrupted (SIGTERM
    // runs the shutdown hooks, as Ctrl-C's SIGINT does) once it has stored some events
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                Evtctl.class.getName(),
                "drain",
                "-q",
                stack,
                "--follow",
                "--concurrency",
                "2",
                "--log-group",
                group,
                "--log-file",
                logFile.toString())
            .redirectOutput(dir.resolve("out.txt").toFile())
            .redirectError(dir.resolve("err.txt").toFile());
    builder.environment().putAll(environment(moto()));
    Process drain = builder.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline
        && PipelineTables.scan(backends.dynamoDb(), stack + "-events", "pk", "sk").size() < 100) {
      Thread.sleep(100);
    }
    drain.destroy();
    assertThat(drain.waitFor(90, TimeUnit.SECONDS)).isTrue();

    // THEN every line the drain logged, up to its last batch, is in CloudWatch
    CliRun run = new CliRun(drain.exitValue(), "", Files.readString(dir.resolve("err.txt")));
    assertThat(run.err()).contains("evtctl drain: stopping; finishing the batches in hand");
    assertThat(run.err()).doesNotContain("could not be shipped");
    List<String> written = Files.readAllLines(logFile);
    assertThat(written).anyMatch(line -> line.contains("PROCESSED_MESSAGES"));
    assertThat(shippedMessages(run)).containsExactlyInAnyOrderElementsOf(written);
  }

  @Test
  void localWithoutACloudWatchEndpointSaysWhereToPointIt() {
    CliRun drain = CliRun.in(Map.of(), "--local", "drain", "-q", "audit", "--log-group", "g");

    assertThat(drain.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(drain.err())
        .isEqualTo(
            "evtctl: --log-group: the edge endpoint of --local serves SQS and DynamoDB, not"
                + " CloudWatch Logs: point AWS_ENDPOINT_URL_CLOUDWATCH_LOGS at a CloudWatch Logs"
                + " endpoint (e.g. moto_server or LocalStack)\n");
  }

  @Test
  void theEdgeEndpointSaysItDoesNotServeCloudWatchLogs() throws Exception {
    seed(1, "0", "0");

    CliRun drain =
        CliRun.in(
            Map.of("AWS_ENDPOINT_URL", backends.edge()),
            "drain",
            "-q",
            stack,
            "--log-group",
            group);

    assertThat(drain.exitCode()).isEqualTo(ExitCode.BACKEND);
    assertThat(drain.err())
        .isEqualTo(
            "evtctl: cannot write to CloudWatch Logs group "
                + group
                + ": UnknownService: the evtctl edge endpoint serves SQS and DynamoDB, not logs:"
                + " point AWS_ENDPOINT_URL_CLOUDWATCH_LOGS at a CloudWatch Logs endpoint\n");
    assertThat(QueueDepth.of(backends.sqs(), stack)).isEqualTo(1);
  }
}
