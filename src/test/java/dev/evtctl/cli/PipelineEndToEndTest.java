package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evtctl.core.pipeline.Json;
import dev.evtctl.testing.CliRun;
import dev.evtctl.testing.EmbeddedAws;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** seed → drain → events → assert for each pipeline, through Evtctl.run, on the edge endpoint. */
@ExtendWith(EmbeddedAws.class)
class PipelineEndToEndTest {

  private String endpoint;
  private String stack;

  @BeforeEach
  void setUp(EmbeddedAws.Backends backends) {
    endpoint = backends.edge();
    stack = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private CliRun evtctl(String... args) {
    List<String> all = new ArrayList<>(List.of("--endpoint-url", endpoint));
    all.addAll(List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  private static JsonNode json(CliRun run) throws Exception {
    return Json.MAPPER.readTree(run.out());
  }

  private static int sum(JsonNode rows, String field) {
    int total = 0;
    for (JsonNode row : rows) {
      total += row.get(field).asInt();
    }
    return total;
  }

  @ParameterizedTest
  @ValueSource(strings = {"item", "transaction"})
  void txmaSeedDrainEventsAssert(String writeMode, @TempDir Path dir) throws Exception {
    // GIVEN a stack and 60 seeded events over 2 sessions, some invalid, some duplicated
    assertThat(evtctl("stack", "create", "-p", "txma", "-n", stack).exitCode()).isZero();
    CliRun seed =
        evtctl(
            "seed",
            "-q",
            stack,
            "--count",
            "60",
            "--sessions",
            "2",
            "--invalid-ratio",
            "0.1",
            "--duplicate-ratio",
            "0.1",
            "--random-seed",
            "11",
            "-o",
            "json");
    assertThat(seed.exitCode()).as(seed.err()).isZero();
    JsonNode groups = json(seed);
    int valid = sum(groups, "valid");
    int invalid = sum(groups, "invalid");
    int duplicate = sum(groups, "duplicate");
    assertThat(valid + invalid + duplicate).isEqualTo(60);
    assertThat(invalid).isPositive();
    assertThat(duplicate).isPositive();

    // WHEN drained
    CliRun drain =
        evtctl(
            "drain", "-q", stack, "--write-mode", writeMode, "--idle-timeout", "2", "-o", "json");

    // THEN every message has its outcome, and exit 3 says some were left invalid
    assertThat(drain.exitCode()).as(drain.err()).isEqualTo(ExitCode.NOT_MET);
    JsonNode summary = json(drain).get(0);
    assertThat(summary.get("received").asInt()).isEqualTo(60);
    assertThat(summary.get("persisted").asInt()).isEqualTo(valid);
    assertThat(summary.get("duplicate").asInt()).isEqualTo(duplicate);
    assertThat(summary.get("invalid").asInt()).isEqualTo(invalid);
    assertThat(summary.get("retry").asInt()).isZero();

    // AND each session's events are there, the stored event shown as JSON
    JsonNode first = groups.get(0);
    String session = first.get("group").asText();
    CliRun events = evtctl("events", "--session", session, "-t", stack + "-events", "-o", "json");
    assertThat(events.exitCode()).isZero();
    JsonNode stored = json(events);
    assertThat(stored).hasSize(first.get("valid").asInt());
    assertThat(stored.get(0).get("event").get("user").get("session_id").asText())
        .isEqualTo(session);
    String name = stored.get(0).get("event").get("event_name").asText();
    long sameName = 0;
    for (JsonNode event : stored) {
      sameName += event.get("event").get("event_name").asText().equals(name) ? 1 : 0;
    }

    // AND --expect holds at once for what is there, and fails (exit 3) for what is not
    CliRun expected =
        evtctl(
            "events",
            "--session",
            session,
            "-t",
            stack + "-events",
            "--expect",
            name + "=" + sameName,
            "-o",
            "csv");
    assertThat(expected.exitCode()).as(expected.err()).isZero();
    assertThat(expected.err())
        .contains("met:     expected " + name + "=" + sameName + ", found " + sameName);
    CliRun missing =
        evtctl(
            "events",
            "--session",
            session,
            "-t",
            stack + "-events",
            "--expect",
            "DCMAW_ASYNC_CRI_STARTT",
            "--timeout",
            "1s",
            "-o",
            "csv");
    assertThat(missing.exitCode()).isEqualTo(ExitCode.NOT_MET);
    assertThat(missing.err())
        .contains("NOT MET: expected DCMAW_ASYNC_CRI_STARTT (at least 1), found 0")
        .contains("closest: a similar name: DCMAW_ASYNC_CRI_START");

    // AND assert --file checks fields and writes JUnit XML
    Path expectations = dir.resolve("expectations.json");
    Files.writeString(
        expectations,
        "{\"pipeline\":\"txma\",\"table\":\""
            + stack
            + "-events\",\"session\":\""
            + session
            + "\","
            + "\"events\":[{\"name\":\""
            + name
            + "\",\"count\":"
            + sameName
            + ","
            + "\"match\":{\"/user/ip_address\":{\"exists\":true},\"/restricted\":{\"absent\":true},"
            + "\"/user/session_id\":{\"equals\":\""
            + session
            + "\"},"
            + "\"/component_id\":{\"regex\":\"https://.*\"}}},"
            + "{\"name\":\""
            + name
            + "\",\"match\":{\"/restricted\":{\"exists\":true}}}]}");
    Path junit = dir.resolve("report.xml");
    CliRun assertion =
        evtctl("assert", "--file", expectations.toString(), "--junit-xml", junit.toString());
    assertThat(assertion.exitCode()).isEqualTo(ExitCode.NOT_MET);
    assertThat(assertion.out().lines())
        .first()
        .asString()
        .startsWith(
            "met:     expected " + name + "=" + sameName + " where /user/ip_address exists");
    assertThat(assertion.out())
        .contains("NOT MET: expected " + name + " (at least 1) where /restricted exists, found 0");
    String xml = Files.readString(junit);
    assertThat(xml)
        .contains("<testsuite name=\"evtctl assert expectations.json\" tests=\"2\" failures=\"1\"");
    assertThat(xml).contains("fails /restricted exists");
  }

  @Test
  void ledgerOnFifoQueuesKeepsEveryTenantsEvents() throws Exception {
    assertThat(evtctl("stack", "create", "-p", "ledger", "-n", stack, "--fifo").exitCode())
        .isZero();
    CliRun seed =
        evtctl(
            "seed",
            "-p",
            "ledger",
            "-q",
            stack + ".fifo",
            "--count",
            "40",
            "--tenants",
            "3",
            "--invalid-ratio",
            "0.1",
            "--random-seed",
            "5",
            "-o",
            "json");
    JsonNode groups = json(seed);

    CliRun drain =
        evtctl("drain", "-p", "ledger", "-q", stack + ".fifo", "--idle-timeout", "2", "-o", "json");

    JsonNode summary = json(drain).get(0);
    assertThat(summary.get("received").asInt()).isEqualTo(40);
    assertThat(summary.get("persisted").asInt()).isEqualTo(sum(groups, "valid"));
    assertThat(summary.get("invalid").asInt()).isEqualTo(sum(groups, "invalid"));
    for (JsonNode group : groups) {
      CliRun events =
          evtctl(
              "events",
              "-p",
              "ledger",
              "--tenant",
              group.get("group").asText(),
              "-t",
              stack + "-events",
              "--status",
              "READY",
              "-o",
              "json");
      assertThat(json(events)).as(events.err()).hasSize(group.get("valid").asInt());
    }
    CliRun invalid =
        evtctl(
            "events", "-p", "ledger", "--status", "INVALID", "-t", stack + "-events", "-o", "json");
    assertThat(json(invalid)).hasSize(sum(groups, "invalid"));
    assertThat(json(invalid).get(0).get("reason").asText()).isNotBlank();
  }

  @Test
  void messagesAreFoundByCompany() throws Exception {
    assertThat(evtctl("stack", "create", "-p", "messages", "-n", stack).exitCode()).isZero();
    JsonNode groups =
        json(
            evtctl(
                "seed",
                "-p",
                "messages",
                "-q",
                stack,
                "--count",
                "12",
                "--sessions",
                "2",
                "--random-seed",
                "3",
                "-o",
                "json"));

    CliRun drain = evtctl("drain", "-p", "messages", "-q", stack, "--idle-timeout", "2");

    assertThat(drain.exitCode()).as(drain.err()).isZero();
    String company = groups.get(0).get("group").asText();
    CliRun events =
        evtctl(
            "events",
            "-p",
            "messages",
            "--company",
            company,
            "-t",
            stack + "-events",
            "-o",
            "ndjson");
    assertThat(events.out().lines()).hasSize(groups.get(0).get("valid").asInt());
    assertThat(events.out().lines()).allMatch(line -> line.contains("\"status\":\"Processed\""));
  }

  @Test
  void badInputGetsOneClearLineAndItsExitCode() throws Exception {
    CliRun unknownQueue = evtctl("drain", "-q", "no-such-queue");
    assertThat(unknownQueue.exitCode()).isEqualTo(ExitCode.BACKEND);
    assertThat(unknownQueue.err())
        .isEqualTo(
            "evtctl: queue no-such-queue does not exist (create it with: evtctl stack create"
                + " --pipeline P --name no-such-queue)\n");

    assertThat(evtctl("stack", "create", "-p", "txma", "-n", stack).exitCode()).isZero();
    evtctl("seed", "-q", stack, "--count", "3", "--random-seed", "1");
    CliRun unknownTable =
        evtctl("drain", "-q", stack, "--table", "no-such-table", "--idle-timeout", "1");
    assertThat(unknownTable.exitCode()).isEqualTo(ExitCode.BACKEND);
    assertThat(unknownTable.err())
        .startsWith(
            "evtctl: pipeline txma cannot write to its tables (no-such-table): ResourceNotFoundException");
    // nothing was acknowledged: all three are still on the queue, visible again
    CliRun status = evtctl("stack", "status", "-p", "txma", "-n", stack, "-o", "json");
    assertThat(json(status).get(0).get("messages").asInt()).isEqualTo(3);
    assertThat(json(status).get(0).get("in_flight").asInt()).isZero();

    CliRun badFlag = evtctl("drain", "-q", stack, "--batch-size", "11");
    assertThat(badFlag.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(badFlag.err()).isEqualTo("evtctl: batch size must be 1 to 10, not 11\n");

    CliRun notANumber = evtctl("seed", "-q", stack, "--count", "many");
    assertThat(notANumber.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(notANumber.err())
        .startsWith("evtctl: Invalid value for option '--count': 'many' is not an int");

    CliRun unreachable =
        CliRun.of(
            "--endpoint-url", "http://127.0.0.1:9", "stack", "status", "-p", "txma", "-n", stack);
    assertThat(unreachable.exitCode()).isEqualTo(ExitCode.BACKEND);
    assertThat(unreachable.err())
        .startsWith("evtctl: cannot reach http://127.0.0.1:9: ")
        .contains("is 'evtctl local start' running?");

    CliRun noProfile =
        CliRun.of(
            "--profile",
            "evtctl-no-such-profile",
            "--region",
            "eu-west-2",
            "stack",
            "status",
            "-p",
            "txma",
            "-n",
            stack);
    assertThat(noProfile.exitCode()).as(noProfile.err()).isEqualTo(ExitCode.USAGE);
    assertThat(noProfile.err())
        .isEqualTo("evtctl: The config profile (evtctl-no-such-profile) could not be found\n");

    CliRun noTable = evtctl("events", "--session", "s");
    assertThat(noTable.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(noTable.err())
        .isEqualTo("evtctl: which table? give --table T (or --queue, or set EVTCTL_TABLE)\n");
  }

  @Test
  void anExpectationsFileThatIsNotValidIsAUsageError(@TempDir Path dir) throws Exception {
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"pipeline\": \"txma\",\n \"events\": [ }");
    CliRun notJson = evtctl("assert", "--file", broken.toString());
    assertThat(notJson.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(notJson.err())
        .startsWith("evtctl: expectations file " + broken + " is not JSON: ")
        .contains("(line 2)");

    Path noSelector = dir.resolve("no-selector.json");
    Files.writeString(noSelector, "{\"table\": \"t\", \"events\": [{\"name\": \"X\"}]}");
    assertThat(evtctl("assert", "--file", noSelector.toString()).err())
        .isEqualTo(
            "evtctl: expectations file "
                + noSelector
                + ": give one of \"session\", \"tenant\", \"company\", \"status\"\n");

    Path badMatcher = dir.resolve("bad-matcher.json");
    Files.writeString(
        badMatcher,
        "{\"table\": \"t\", \"session\": \"s\", \"events\": [{\"name\": \"X\", \"match\": {\"/a\": {\"like\": 1}}}]}");
    CliRun bad = evtctl("assert", "--file", badMatcher.toString());
    assertThat(bad.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(bad.err())
        .isEqualTo(
            "evtctl: expectations file "
                + badMatcher
                + ": /events/0/match/~1a/like: unknown key (known: equals, regex, exists, absent)\n");
  }
}
