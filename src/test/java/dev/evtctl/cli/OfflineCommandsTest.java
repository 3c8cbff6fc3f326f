package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evtctl.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands that need no backend: --version, --help, validate, schemas; and their errors. */
class OfflineCommandsTest {

  private static final String SAMPLE = "src/test/resources/samples/txma.ndjson";

  @Test
  void versionComesFromTheBuild() {
    CliRun run = CliRun.of("--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("evtctl 0.1.0-SNAPSHOT\nJava ");
  }

  @Test
  void aRunBuildsTheModelOfTheSubcommandsItNamesOnly() {
    assertThat(Evtctl.reachableSubcommands("--version")).isEmpty();
    assertThat(Evtctl.reachableSubcommands("-o", "json", "events", "--session", "s"))
        .containsExactly(EventsCommand.class);
    assertThat(Evtctl.reachableSubcommands("events", "--session", "drain"))
        .containsExactly(DrainCommand.class, EventsCommand.class);
    assertThat(Evtctl.reachableSubcommands("--help"))
        .hasSameElementsAs(
            Evtctl.commandLine().getCommandSpec().subcommands().values().stream()
                .map(sub -> sub.getCommandSpec().userObject().getClass())
                .toList());
    assertThat(Evtctl.reachableSubcommands("--version", "--help")).hasSize(16);
  }

  @Test
  void helpListsEveryCommandAndShowsOne() {
    CliRun all = CliRun.of("help");
    assertThat(all.exitCode()).as(all.err()).isZero();
    assertThat(all.out()).contains("drain").contains("dlq").contains("schemas").contains("help");

    CliRun drain = CliRun.of("help", "drain");
    assertThat(drain.exitCode()).as(drain.err()).isZero();
    assertThat(drain.out()).startsWith("Usage: evtctl drain").contains("--give-up-after");
  }

  @Test
  void bareEvtctlIsAUsageErrorWithTheUsageOnStderr() {
    CliRun bare = CliRun.of();

    assertThat(bare.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(bare.out()).isEmpty();
    assertThat(bare.err()).startsWith("evtctl: a command is needed\nUsage: evtctl");
  }

  @Test
  void completionOffersPipelinesSchemasStatusesAndWriteModes() throws Exception {
    String bash = java.nio.file.Files.readString(java.nio.file.Path.of("completions/evtctl.bash"));
    assertThat(bash)
        .contains("(\"txma\" \"ledger\" \"messages\") # --pipeline values")
        .contains("(\"INVALID\" \"READY\" \"Processed\" \"Invalid\") # --status values")
        .contains("(\"item\" \"transaction\") # --write-mode values")
        .contains("(\"txma/audit-event\" \"ledger/envelope\"");
  }

  @Test
  void aMistypedSubcommandIsStillMetWithSuggestions() {
    CliRun run = CliRun.of("sede");

    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err()).contains("sede").contains("seed");
  }

  @Test
  void aFileThatCannotBeWrittenIsOneLineAndExitTwo() {
    CliRun run =
        CliRun.of(
            "--endpoint-url",
            "http://127.0.0.1:9",
            "export",
            "--table",
            "t",
            "--file",
            "/nonexistent-dir/out.ndjson");

    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err())
        .isEqualTo("evtctl: /nonexistent-dir/out.ndjson: no such file or directory\n");
  }

  @Test
  void everyCommandsHelpFitsEightyColumns() {
    List<List<String>> commands = new ArrayList<>();
    collect(Evtctl.commandLine(), new ArrayList<>(), commands);
    assertThat(commands).hasSizeGreaterThan(25);
    for (List<String> command : commands) {
      List<String> args = new ArrayList<>(command);
      args.add("--help");
      CliRun run = CliRun.of(args.toArray(String[]::new));
      assertThat(run.exitCode()).as(String.join(" ", args)).isZero();
      assertThat(run.out().lines())
          .as(String.join(" ", args))
          .allSatisfy(
              line -> assertThat(line.codePointCount(0, line.length())).isLessThanOrEqualTo(80));
    }
  }

  private static void collect(
      picocli.CommandLine command, List<String> path, List<List<String>> commands) {
    commands.add(path);
    command
        .getSubcommands()
        .forEach(
            (name, sub) -> {
              if (!name.equals("help")) {
                List<String> deeper = new ArrayList<>(path);
                deeper.add(name);
                collect(sub, deeper, commands);
              }
            });
  }

  @Test
  void validateReportsEachLineAndExitsThreeWhenAnyIsInvalid() {
    CliRun run = CliRun.of("validate", SAMPLE, "-o", "csv");

    assertThat(run.exitCode()).isEqualTo(ExitCode.NOT_MET);
    assertThat(run.out())
        .isEqualTo(
            "event,result,detail\n"
                + "1,VALID,SESSION#sess-1 | TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_START#TIMESTAMP#1763900000\n"
                + "2,VALID,SESSION#sess-1 | TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_END#TIMESTAMP#1763900009\n"
                + "3,INVALID,\"schema: /timestamp: number found, [integer, string] expected\"\n");
    assertThat(run.err()).isEqualTo("3 event(s): 2 valid, 1 invalid (pipeline txma)\n");
  }

  @Test
  void aNumberBeyondBigDecimalIsAnInvalidLineNotAnInternalError(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("huge.ndjson");
    Files.writeString(file, "{\"a\": 1}\n{\"event_name\": 1e9999999990}\n1e9999999990\n");

    CliRun run = CliRun.of("validate", file.toString(), "-o", "csv");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.NOT_MET);
    String reason = "INVALID,body is not JSON: a number out of range";
    assertThat(run.out().lines())
        .containsExactly(
            "event,result,detail",
            "1,INVALID,schema: required property 'event_name' not found; required property"
                + " 'timestamp' not found",
            "2," + reason,
            "3," + reason);
  }

  @Test
  void aSchemaFileWithANumberBeyondBigDecimalIsAUsageError(@TempDir Path dir) throws IOException {
    String txma =
        new String(
            getClass().getClassLoader().getResourceAsStream("pipelines/txma.json").readAllBytes(),
            java.nio.charset.StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("pipeline.json"),
        txma.replace("\"schema\": \"txma/audit-event\"", "\"schema\": \"huge.json\""));
    Files.writeString(
        dir.resolve("huge.json"), "{\"type\": \"object\", \"maximum\": 1e9999999990}");

    CliRun run =
        CliRun.of("validate", "--pipeline-file", dir.resolve("pipeline.json").toString(), SAMPLE);

    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err())
        .startsWith("evtctl: cannot read schema " + dir.resolve("huge.json") + ": ")
        .contains("Exponent overflow")
        .hasLineCount(1);
  }

  @Test
  void validateReadsNdjsonLineByLineEvenWhenTheFirstLineIsNotJson(@TempDir Path dir)
      throws Exception {
    // GIVEN NDJSON whose first line is broken (it was read as one document, one INVALID row)
    Path file = dir.resolve("events.ndjson");
    Files.writeString(
        file,
        "not json\n"
            + "{\"event_name\":\"DCMAW_ASYNC_CRI_START\",\"timestamp\":1,\"user\":{\"session_id\":\"s\"}}\n");

    CliRun run = CliRun.of("validate", file.toString(), "-o", "csv");

    assertThat(run.exitCode()).isEqualTo(ExitCode.NOT_MET);
    assertThat(run.out().lines())
        .containsExactly(
            "event,result,detail",
            "1,INVALID,\"body is not JSON: an unrecognized token at line 1, column 4\"",
            "2,VALID,SESSION#s | TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_START#TIMESTAMP#1");
    assertThat(run.err()).isEqualTo("2 event(s): 1 valid, 1 invalid (pipeline txma)\n");
  }

  @Test
  void validateWritesNdjsonWithGlobalOptionsAfterTheCommand() {
    CliRun run = CliRun.of("validate", "--pipeline", "txma", SAMPLE, "--output", "ndjson");

    assertThat(run.out().lines())
        .containsExactly(
            "{\"event\":\"1\",\"result\":\"VALID\",\"detail\":\"SESSION#sess-1 | TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_START#TIMESTAMP#1763900000\"}",
            "{\"event\":\"2\",\"result\":\"VALID\",\"detail\":\"SESSION#sess-1 | TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_END#TIMESTAMP#1763900009\"}",
            "{\"event\":\"3\",\"result\":\"INVALID\",\"detail\":\"schema: /timestamp: number found, [integer, string] expected\"}");
  }

  @Test
  void theShippedSamplesAreValidAndTheInvalidOnesSayWhy() {
    for (String pipeline : new String[] {"txma", "ledger", "messages"}) {
      CliRun run = CliRun.of("validate", "-p", pipeline, "samples/" + pipeline + ".ndjson");
      assertThat(run.exitCode()).as(run.err()).isZero();
    }
    CliRun invalid = CliRun.of("validate", "samples/txma-invalid.ndjson", "-o", "csv");
    assertThat(invalid.exitCode()).isEqualTo(ExitCode.NOT_MET);
    assertThat(invalid.out().lines())
        .containsExactly(
            "event,result,detail",
            "1,INVALID,\"schema: /timestamp: boolean found, [integer, string] expected;"
                + " /user/session_id: does not match the regex pattern ^[^#]*$\"",
            "2,INVALID,\"key pk needs a non-empty string or whole number at /user/session_id (only"
                + " DCMAW_ASYNC_CLIENT_CREDENTIALS_TOKEN_ISSUED, DCMAW_ASYNC_CRI_4XXERROR,"
                + " DCMAW_ASYNC_CRI_5XXERROR may leave it out)\"",
            "3,INVALID,schema: /event_name: does not match the regex pattern ^[^#]+$",
            "4,INVALID,\"body is not JSON: an unrecognized token at line 1, column 4\"");
  }

  @Test
  void badInputGetsOneLineAndAUsageExitCode() {
    assertThat(CliRun.of("validate", "--pipeline", "nope", SAMPLE))
        .isEqualTo(
            new CliRun(
                ExitCode.USAGE,
                "",
                "evtctl: unknown pipeline 'nope' (built in: txma, ledger, messages; or --pipeline-file"
                    + " FILE)\n"));
    assertThat(CliRun.of("validate", "no-such.ndjson"))
        .isEqualTo(new CliRun(ExitCode.USAGE, "", "evtctl: no such file: no-such.ndjson\n"));
    assertThat(CliRun.of("validate", "--pipeline-file", "no-such.json", SAMPLE).err())
        .isEqualTo("evtctl: pipeline file no-such.json does not exist\n");
    CliRun typo = CliRun.of("validat");
    assertThat(typo.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(typo.err()).contains("Did you mean: evtctl validate");
    assertThat(CliRun.of("-o", "yaml", "schemas", "list").err())
        .startsWith("evtctl: Invalid value for option '--output': expected one of [table, json,");
  }

  @Test
  void schemasListAndShow() {
    CliRun list = CliRun.of("schemas", "list", "-o", "csv");
    assertThat(list.out().lines())
        .containsExactly(
            "name,draft,title",
            "txma/audit-event,2020-12,TxMA audit event",
            "ledger/envelope,2020-12,Ledger event envelope",
            "ledger/user.created,07,user.created payload",
            "ledger/monitoring,07,monitoring payload",
            "ledger/user.applications,07,user.applications payload",
            "ledger/transaction.authorizers,07,transaction.authorizers payload",
            "ledger/integrations,07,integrations payload",
            "messages/message,2020-12,Company message");

    CliRun show = CliRun.of("schemas", "show", "monitoring", "-o", "ndjson");
    assertThat(show.out()).startsWith("{\"$schema\":\"http://json-schema.org/draft-07/schema#\"");
    assertThat(show.out())
        .contains("\"enum\":[\"DEBUG\",\"INFO\",\"WARN\",\"ERROR\",\"CRITICAL\"]");

    CliRun unknown = CliRun.of("schemas", "show", "user.deleted");
    assertThat(unknown.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(unknown.err())
        .startsWith("evtctl: no schema 'user.deleted' (known: txma/audit-event,");
    assertThat(Arrays.asList(unknown.err().split("\n"))).hasSize(1);
  }
}
