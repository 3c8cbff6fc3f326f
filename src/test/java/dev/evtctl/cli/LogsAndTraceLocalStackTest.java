package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evtctl.core.pipeline.Json;
import dev.evtctl.testing.CliRun;
import dev.evtctl.testing.TxmaBodies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.containers.localstack.LocalStackContainer.Service;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * {@code logs} and {@code trace} on a CloudWatch Logs group that a drain against LocalStack wrote,
 * every service (SQS, DynamoDB, CloudWatch Logs) LocalStack's: the operator's path end to end, as
 * on AWS. Skipped (not failed) where no Docker engine runs.
 *
 * <p>Pinned to 4.14.0, as {@code LocalStackHandlerTest}: later images will not start without a
 * LOCALSTACK_AUTH_TOKEN.
 */
@Testcontainers(disabledWithoutDocker = true)
class LogsAndTraceLocalStackTest {

  @Container
  static final LocalStackContainer localstack =
      new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.14.0"))
          .withServices(Service.SQS, Service.DYNAMODB, Service.CLOUDWATCHLOGS);

  private static final String SESSION = "sess-localstack";

  @TempDir Path dir;

  private Map<String, String> environment;

  @BeforeEach
  void setUp() {
    environment = new HashMap<>(System.getenv());
    environment.put("EVTCTL_HOME", dir.resolve("home").toString());
    environment.put("AWS_ENDPOINT_URL", localstack.getEndpoint().toString());
    environment.put("AWS_REGION", localstack.getRegion());
    environment.put("AWS_ACCESS_KEY_ID", localstack.getAccessKey());
    environment.put("AWS_SECRET_ACCESS_KEY", localstack.getSecretKey());
  }

  private CliRun evtctl(int exitCode, String... args) {
    CliRun run = CliRun.in(environment, args);
    assertThat(run.exitCode()).as(String.join(" ", args) + "\n" + run.err()).isEqualTo(exitCode);
    return run;
  }

  private static List<JsonNode> ndjson(CliRun run) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : run.out().lines().toList()) {
      lines.add(Json.MAPPER.readTree(line));
    }
    return lines;
  }

  @Test
  void logsAndTraceReadWhatADrainShippedToTheGroup() throws Exception {
    // GIVEN a stack, two events of one session and one of another seeded, and a drain that logs
    // to a group and, the same lines, to a file (--debug: EVENT_PERSISTED is a debug line)
    String stack = "logs-trace";
    String group = "/evtctl/localstack/" + stack;
    evtctl(0, "stack", "create", "--pipeline", "txma", "--name", stack);
    long now = Instant.now().getEpochSecond();
    Path events = dir.resolve("events.ndjson");
    Files.write(
        events,
        List.of(
            TxmaBodies.event(SESSION, "DCMAW_ASYNC_CRI_START", now),
            TxmaBodies.event(SESSION, "DCMAW_ASYNC_CRI_END", now + 5),
            TxmaBodies.event("sess-other", "DCMAW_ASYNC_CRI_START", now)));
    evtctl(0, "seed", "-q", stack, "--pipeline", "txma", "--file", events.toString());
    Path logFile = dir.resolve("drain.ndjson");
    evtctl(
        0,
        "--debug",
        "drain",
        "-q",
        stack,
        "--idle-timeout",
        "2",
        "--log-group",
        group,
        "--log-file",
        logFile.toString());

    // WHEN the session's lines are read from the group
    List<JsonNode> fromGroup =
        ndjson(evtctl(0, "logs", "--group", group, "--session", SESSION, "-o", "ndjson"));

    // THEN exactly its two stored events, the same lines as the drain's file holds
    assertThat(fromGroup)
        .extracting(
            line -> line.get("code").asText(),
            line -> line.get("sessionId").asText(),
            line -> line.get("eventName").asText())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "EVENT_PERSISTED", SESSION, "DCMAW_ASYNC_CRI_START"),
            org.assertj.core.groups.Tuple.tuple("EVENT_PERSISTED", SESSION, "DCMAW_ASYNC_CRI_END"));
    assertThat(fromGroup)
        .isEqualTo(
            ndjson(
                evtctl(
                    0,
                    "logs",
                    "--file",
                    logFile.toString(),
                    "--session",
                    SESSION,
                    "-o",
                    "ndjson")));

    // AND trace finds each event of the session stored, from the group's lines
    JsonNode trace =
        Json.MAPPER.readTree(
            evtctl(0, "trace", SESSION, "--log-group", group, "-q", stack, "-o", "json").out());
    assertThat(trace).hasSize(2);
    for (JsonNode traced : trace) {
      assertThat(traced.get("logs_searched").asBoolean()).isTrue();
      assertThat(traced.get("verdict").asText()).isEqualTo("stored");
    }

    // AND a group that does not exist is one line and exit 4
    CliRun missing = evtctl(ExitCode.BACKEND, "logs", "--group", group + "-missing");
    assertThat(missing.err())
        .isEqualTo("evtctl: CloudWatch Logs group " + group + "-missing does not exist\n");
  }
}
