package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.evtctl.testing.CliRun;
import dev.evtctl.testing.TourScript;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What {@code --help} prints reads as meant: picocli warns nothing while rendering it (a bare
 * {@code %} in a description is a format specifier to picocli, which then prints a {@code [picocli
 * WARN]} line and the text unformatted), every command shows examples, and each example is a
 * command line the model accepts.
 */
class HelpTextTest {

  /** Every command and subcommand, as the words that name it: [], [dlq], [dlq, redrive], ... */
  static List<List<String>> commandPaths() {
    List<List<String>> paths = new ArrayList<>();
    walk(Evtctl.commandLine(), new ArrayList<>(), paths);
    return paths;
  }

  private static void walk(CommandLine command, List<String> path, List<List<String>> paths) {
    paths.add(List.copyOf(path));
    for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
      if (sub.getKey().equals(sub.getValue().getCommandName())) { // not an alias
        path.add(sub.getKey());
        walk(sub.getValue(), path, paths);
        path.remove(path.size() - 1);
      }
    }
  }

  @Test
  void noHelpTextMakesPicocliWarn() throws Exception {
    List<String> warnings = new ArrayList<>();
    for (List<String> path : commandPaths()) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      String shown = "evtctl " + String.join(" ", args);
      CliRun[] run = new CliRun[1];
      String stderr = capturingStandardError(() -> run[0] = CliRun.of(args.toArray(String[]::new)));
      assertThat(run[0].exitCode()).as(shown).isZero();
      collect(shown, stderr + run[0].err() + run[0].out(), warnings);
      if (!path.isEmpty()) {
        List<String> help = new ArrayList<>(List.of("help"));
        help.addAll(path);
        CliRun[] viaHelp = new CliRun[1];
        String err =
            capturingStandardError(() -> viaHelp[0] = CliRun.of(help.toArray(String[]::new)));
        collect("evtctl " + String.join(" ", help), err + viaHelp[0].err(), warnings);
      }
    }
    assertThat(warnings).isEmpty();
  }

  @Test
  void theManPagesMakePicocliWarnNothing(@TempDir Path out) throws Exception {
    List<String> warnings = new ArrayList<>();
    int[] exit = new int[1];
    String stderr = capturingStandardError(() -> exit[0] = ManPageWriter.write(out.toFile()));
    collect("man pages", stderr, warnings);
    assertThat(exit[0]).isZero();
    assertThat(warnings).isEmpty();
  }

  @Test
  void everyCommandShowsOneOrTwoExamples() {
    for (List<String> path : commandPaths()) {
      CommandSpec spec = spec(path);
      if (spec.userObject() instanceof CommandLine.HelpCommand) {
        continue; // picocli's own; the man page gets ManPageWriter.HELP_EXAMPLES
      }
      String name = "evtctl " + String.join(" ", path);
      assertThat(spec.usageMessage().footerHeading()).as(name).isEqualTo("%nExamples:%n");
      long examples = examples(spec.usageMessage().footer()).size();
      assertThat(CliRun.of(concat(path, "--help")).out()).as(name).contains("Examples:");
      assertThat(
              Arrays.stream(spec.usageMessage().footer())
                  .filter(l -> l.startsWith("  ") && !l.startsWith("    "))
                  .count())
          .as(name + ": examples, each a caption and its command lines")
          .isBetween(1L, 2L);
      assertThat(examples).as(name).isPositive();
    }
  }

  @Test
  void everyExampleIsACommandLineEvtctlAccepts() {
    List<String> lines = new ArrayList<>();
    for (List<String> path : commandPaths()) {
      lines.addAll(examples(spec(path).usageMessage().footer()));
    }
    lines.addAll(examples(ManPageWriter.HELP_EXAMPLES));
    assertThat(lines).hasSizeGreaterThan(30);
    for (String line : lines) {
      List<String> words = TourScript.words(line);
      if (words == null || !words.get(0).equals("evtctl")) {
        continue; // a shell line around evtctl: source <(evtctl completion bash)
      }
      String[] args = words.subList(1, words.size()).toArray(String[]::new);
      // as Evtctl.run parses
      CommandLine commandLine = Evtctl.commandLine().setCaseInsensitiveEnumValuesAllowed(true);
      assertThatCode(() -> commandLine.parseArgs(args)).as(line).doesNotThrowAnyException();
    }
  }

  /** The command lines of a footer: its lines indented by four. */
  private static List<String> examples(String[] footer) {
    return Arrays.stream(footer)
        .filter(line -> line.startsWith("    "))
        .map(line -> String.format(line).strip())
        .toList();
  }

  private static CommandSpec spec(List<String> path) {
    CommandLine command = Evtctl.commandLine();
    for (String name : path) {
      command = command.getSubcommands().get(name);
    }
    return command.getCommandSpec();
  }

  private static String[] concat(List<String> path, String last) {
    List<String> all = new ArrayList<>(path);
    all.add(last);
    return all.toArray(String[]::new);
  }

  private static void collect(String step, String output, List<String> warnings) {
    output
        .lines()
        .filter(line -> line.contains("[picocli WARN]"))
        .forEach(line -> warnings.add(step + ": " + line));
  }

  /**
   * Runs the step with System.err captured: picocli's tracer prints there, to whatever System.err
   * is when {@link CommandLine#tracer()} is asked.
   */
  private static String capturingStandardError(Callable<?> step) throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      step.call();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
