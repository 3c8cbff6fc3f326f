package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The man pages come out of the command model, one per command and subcommand, with what the usage
 * help says. The build runs the same generator (exec-maven-plugin, prepare-package) and turns the
 * pages into target/man/*.1 (DistributionIT checks those).
 */
class ManPagesTest {

  @Test
  void everyCommandGetsAPageWithItsSynopsisAndOptions(@TempDir Path out) throws IOException {
    int exit = generate(out);

    assertThat(exit).isZero();
    Map<String, CommandSpec> commands = commandsByPageName();
    assertThat(commands).containsKeys("evtctl", "evtctl-stack-create", "evtctl-dlq-redrive");
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(file -> file.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(
              commands.keySet().stream().map(name -> name + ".adoc").toList());
    }
    for (Map.Entry<String, CommandSpec> command : commands.entrySet()) {
      String page =
          Files.readString(out.resolve(command.getKey() + ".adoc"), StandardCharsets.UTF_8);
      CommandSpec spec = command.getValue();
      assertThat(page)
          .as(command.getKey())
          .contains(":doctype: manpage")
          .contains("= " + command.getKey() + "(1)")
          .contains("*" + spec.qualifiedName() + "*")
          // a description may hold picocli's %n line breaks
          .contains(String.format(spec.usageMessage().description()[0]).trim());
      for (OptionSpec option : spec.options()) {
        if (!option.hidden()) {
          assertThat(page)
              .as(command.getKey())
              .contains(option.longestName())
              .contains(option.shortestName());
        }
      }
    }
  }

  @Test
  void everyPageHasEnvironmentFilesAndExamples(@TempDir Path out) throws IOException {
    generate(out);

    for (String name : commandsByPageName().keySet()) {
      String page = Files.readString(out.resolve(name + ".adoc"), StandardCharsets.UTF_8);
      assertThat(page)
          .as(name)
          .containsPattern("(?m)^== Environment\\n\\n\\S")
          .containsPattern("(?m)^== Files\\n\\n\\S")
          .containsPattern("(?m)^== +Examples:\\n\\n\\[%hardbreaks]\\n +\\S")
          .contains("*NO_COLOR*::");
      // the order of man-pages(7): ... EXIT STATUS, ENVIRONMENT, FILES, ..., EXAMPLES
      assertThat(page.indexOf("== Environment"))
          .as(name)
          .isLessThan(page.indexOf("== Files"))
          .isLessThan(page.indexOf("Examples:"));
    }
  }

  @Test
  void theEnvironmentSectionNamesWhatTheCommandReads(@TempDir Path out) throws IOException {
    generate(out);

    String drain = Files.readString(out.resolve("evtctl-drain.adoc"), StandardCharsets.UTF_8);
    assertThat(drain)
        .contains("*AWS_REGION*::", "*AWS_DEFAULT_REGION*::", "*AWS_PROFILE*::")
        .contains("*AWS_ENDPOINT_URL*::", "*AWS_ENDPOINT_URL_CLOUDWATCH_LOGS*::")
        .contains("*EVTCTL_TABLE*::", "*EVTCTL_PIPELINE*::", "*EVTCTL_LOCAL_PORT*::")
        .contains("*--log-file* _F_::", "~/.aws/config");
    String start = Files.readString(out.resolve("evtctl-local-start.adoc"), StandardCharsets.UTF_8);
    assertThat(start)
        .contains("*EVTCTL_HOME*::", "$EVTCTL_HOME/local-PORT.json::", "*--data-dir* _DIR_::")
        .doesNotContain("*AWS_REGION*::");
    String redrive =
        Files.readString(out.resolve("evtctl-dlq-redrive.adoc"), StandardCharsets.UTF_8);
    assertThat(redrive).contains("$EVTCTL_HOME/redrive/DLQ-TIME.ndjson::", "*--audit-file* _F_::");
  }

  @Test
  void theTopPageCarriesTheVersionAndTheExitCodes(@TempDir Path out) throws IOException {
    generate(out);

    String page = Files.readString(out.resolve("evtctl.adoc"), StandardCharsets.UTF_8);
    String version = new VersionProvider().getVersion()[0];
    assertThat(page)
        .contains(":mansource: " + version)
        .containsPattern("== +Exit codes:")
        .contains("*0*::\n  success")
        .contains("*3*::\n  expectation not met, validation failed, messages left invalid")
        .contains("*130*::\n  interrupted");
  }

  /** What the build's ManPageGenerator run does, for the whole command tree from the top. */
  private static int generate(Path out) throws IOException {
    return ManPageWriter.write(out.toFile());
  }

  /** Every command of the model under the page name picocli gives it: "evtctl-stack-create". */
  static Map<String, CommandSpec> commandsByPageName() {
    Map<String, CommandSpec> commands = new TreeMap<>();
    List<CommandLine> pending = new ArrayList<>(List.of(Evtctl.commandLine()));
    while (!pending.isEmpty()) {
      CommandLine command = pending.remove(pending.size() - 1);
      CommandSpec spec = command.getCommandSpec();
      if (!spec.usageMessage().hidden()) {
        commands.put(spec.qualifiedName("-"), spec);
      }
      pending.addAll(command.getSubcommands().values());
    }
    return commands;
  }
}
