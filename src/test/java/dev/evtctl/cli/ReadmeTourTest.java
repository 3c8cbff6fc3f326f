package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evtctl.local.LocalBackends;
import dev.evtctl.testing.CliRun;
import dev.evtctl.testing.TourScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tours work as written: every command the README, docs/tour.md and docs/operator-guide.md
 * (which go on from it, in that order) and docs/ci.md tell a reader to type runs in-process against
 * embedded SQS and DynamoDB started for that document alone, as on a new user's machine, and exits
 * with the code the document states (0 where it states none). A document that drifts from the code
 * fails the build.
 *
 * <p>What the test cannot run is skipped, each with its reason in the report: commands other than
 * evtctl ({@code aws}, {@code sed}, {@code moto_server}), {@code evtctl local start|stop|status}
 * (the test starts the same backends itself), shell pipes, redirections and substitutions, and
 * {@code --log-group} (CloudWatch Logs needs an emulator; DrainLogGroupTest covers it). {@code
 * export} lines set the environment the later commands get. {@code --local} becomes {@code
 * --endpoint-url} of the embedded edge (it names the fixed port 4566, which other processes on this
 * machine may hold). Relative paths resolve in a scratch directory, as if the reader ran the tour
 * there, except those under {@code samples/}, which are the repository's.
 */
class ReadmeTourTest {

  private static final Path REPOSITORY = Path.of("").toAbsolutePath();

  /** Options whose value is a file; relative ones resolve in the scratch directory. */
  private static final Set<String> FILE_OPTIONS =
      Set.of("--file", "--audit-file", "--log-file", "--junit-xml", "--pipeline-file");

  private static final List<AutoCloseable> STARTED = new ArrayList<>();

  @TempDir static Path scratch;

  @AfterAll
  static void stopBackends() throws Exception {
    for (AutoCloseable backends : STARTED) {
      backends.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> theReadmeTourAndItsSequelsInDocsWorkAsWritten() throws IOException {
    return tour("README.md", "docs/tour.md", "docs/operator-guide.md");
  }

  @TestFactory
  Stream<DynamicTest> theCiJobInDocsCiWorksAsWritten() throws IOException {
    return tour("docs/ci.md");
  }

  /** The documents' steps, in order, on one fresh local stack and in one scratch directory. */
  private static Stream<DynamicTest> tour(String... documents) throws IOException {
    Tour tour = new Tour(Files.createDirectories(scratch.resolve(documents[0].replace('/', '-'))));
    List<DynamicTest> tests = new ArrayList<>();
    for (String document : documents) {
      List<TourScript.Step> steps = TourScript.of(REPOSITORY.resolve(document), document);
      assertThat(steps).as(document + " shows commands").isNotEmpty();
      for (TourScript.Step step : steps) {
        String title =
            step instanceof TourScript.Command command
                ? "$ " + command.text() + " → exit " + command.exits()
                : "writes " + ((TourScript.File) step).name();
        tests.add(
            DynamicTest.dynamicTest(
                step.document() + ":" + step.line() + " " + title, () -> tour.take(step)));
      }
    }
    return tests.stream();
  }

  /** A reader going through the documents: their shell's environment, directory and backends. */
  private static final class Tour {
    private final Path directory;
    private final Map<String, String> environment = new HashMap<>();
    private LocalBackends backends;

    Tour(Path directory) throws IOException {
      this.directory = directory;
      // Where a CI job's files go: the launcher has built the jar there.
      Files.createDirectories(directory.resolve("target"));
    }

    void take(TourScript.Step step) throws IOException {
      if (step instanceof TourScript.File file) {
        Files.writeString(directory.resolve(file.name()), file.content());
        return;
      }
      TourScript.Command command = (TourScript.Command) step;
      List<String> words = TourScript.words(command.text());
      skipUnless(words != null, "a shell pipe, redirection or substitution", command);
      if (words.get(0).equals("export")) {
        for (String assignment : words.subList(1, words.size())) {
          int equals = assignment.indexOf('=');
          environment.put(assignment.substring(0, equals), assignment.substring(equals + 1));
        }
        return;
      }
      skipUnless(
          words.get(0).equals("./evtctl"),
          "not evtctl: the test runs evtctl commands only",
          command);
      skipUnless(
          !words.contains("local"),
          "evtctl local: the test starts the same backends itself",
          command);
      skipUnless(
          !words.contains("--log-group"),
          "--log-group needs a CloudWatch Logs emulator (DrainLogGroupTest runs one)",
          command);
      String[] args = arguments(words.subList(1, words.size()));
      CliRun run = CliRun.in(environment, args);
      String shown =
          "$ " + command.text() + "\n" + run.out() + run.err() + "exit " + run.exitCode() + "\n";
      // The surefire report keeps what each command printed (redirectTestOutputToFile).
      System.out.println(shown);
      assertThat(command.exits())
          .as(
              command.document()
                  + ":"
                  + command.line()
                  + " states exit "
                  + command.exits()
                  + ", the command exits "
                  + run.exitCode()
                  + ":\n"
                  + shown)
          .contains(run.exitCode());
    }

    /** Skips the step, saying why in the report and in the test's output. */
    private static void skipUnless(boolean runs, String reason, TourScript.Command command) {
      if (!runs) {
        System.out.println("skipped, " + reason + ": $ " + command.text() + "\n");
        Assumptions.abort(reason);
      }
    }

    private String[] arguments(List<String> words) {
      List<String> args = new ArrayList<>();
      for (int i = 0; i < words.size(); i++) {
        String word = words.get(i);
        if (word.equals("--local")) {
          args.add("--endpoint-url");
          args.add(backends().endpoint().toString());
        } else if (i > 0 && FILE_OPTIONS.contains(words.get(i - 1))
            || word.startsWith("samples/")) {
          args.add(path(word));
        } else {
          args.add(word);
        }
      }
      return args.toArray(String[]::new);
    }

    private String path(String word) {
      Path path = Path.of(word);
      if (path.isAbsolute()) {
        return word;
      }
      return (word.startsWith("samples/") ? REPOSITORY : directory).resolve(path).toString();
    }

    /** Started at the first command that needs them, as `local start` would be. */
    private LocalBackends backends() {
      if (backends == null) {
        backends = LocalBackends.start(0, null);
        STARTED.add(backends);
      }
      return backends;
    }
  }
}
