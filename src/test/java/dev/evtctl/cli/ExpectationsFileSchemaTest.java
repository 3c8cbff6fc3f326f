package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evtctl.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An expectations file is checked against schemas/evtctl/expectations.json before anything is
 * queried: each mistake is one line that points at it (a JSON Pointer), and a usage error (exit 2).
 * No backend is needed: nothing is queried.
 */
class ExpectationsFileSchemaTest {

  @TempDir Path dir;

  private CliRun assertFile(String name, String json) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, json);
    return CliRun.of("--endpoint-url", "http://127.0.0.1:9", "assert", "--file", file.toString());
  }

  private String problem(String name) {
    return "evtctl: expectations file " + dir.resolve(name) + ": ";
  }

  @Test
  void aCountOfTheWrongTypeIsNamedByItsPointer() throws IOException {
    CliRun run =
        assertFile(
            "wrong-type.json",
            "{\"table\": \"t\", \"session\": \"s\", \"events\": [{\"name\": \"A\"},"
                + " {\"name\": \"B\"}, {\"name\": \"C\", \"count\": \"2\"}]}");

    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err())
        .isEqualTo(
            problem("wrong-type.json") + "/events/2/count: string found, integer expected\n");
  }

  @Test
  void anUnknownKeyIsRefused() throws IOException {
    CliRun run =
        assertFile(
            "unknown-key.json",
            "{\"table\": \"t\", \"session\": \"s\", \"events\": [{\"name\": \"A\", \"cuont\": 1}]}");

    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err())
        .isEqualTo(
            problem("unknown-key.json")
                + "/events/0/cuont: unknown key (known: name, count, match)\n");
  }

  @Test
  void aMisspeltSelectorIsRefusedNotIgnored() throws IOException {
    CliRun run =
        assertFile(
            "misspelt-selector.json",
            "{\"table\": \"t\", \"sesion\": \"s\", \"events\": [{\"name\": \"A\"}]}");

    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err())
        .isEqualTo(
            problem("misspelt-selector.json")
                + "/sesion: unknown key (known: $schema, pipeline, table, session, tenant, company,"
                + " status, timeout, events)\n");
  }

  @Test
  void aMissingNameIsNamedByItsEvent() throws IOException {
    CliRun run =
        assertFile(
            "missing-name.json",
            "{\"table\": \"t\", \"session\": \"s\", \"events\": [{\"name\": \"A\"}, {\"count\": 1}]}");

    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err())
        .isEqualTo(
            problem("missing-name.json") + "/events/1: required property 'name' not found\n");
  }

  @Test
  void noEventsAtAll() throws IOException {
    CliRun run =
        assertFile("no-events.json", "{\"table\": \"t\", \"session\": \"s\", \"events\": []}");

    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err())
        .isEqualTo(problem("no-events.json") + "/events: must have at least 1 items but found 0\n");
  }

  @Test
  void aMatcherWithTwoRules() throws IOException {
    CliRun run =
        assertFile(
            "two-rules.json",
            "{\"table\": \"t\", \"session\": \"s\", \"events\": [{\"name\": \"A\", \"match\":"
                + " {\"/user/ip\": {\"exists\": true, \"regex\": \"^1\"}}}]}");

    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err())
        .isEqualTo(
            problem("two-rules.json")
                + "/events/0/match/~1user~1ip: must have at most 1 properties\n");
  }
}
