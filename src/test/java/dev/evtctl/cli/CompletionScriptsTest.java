package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evtctl.testing.CliRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The checked-in completion scripts match the command model. When a command or option changes,
 * regenerate them: ./mvnw test -Dtest=CompletionScriptsTest -Devtctl.updateCompletions=true
 */
class CompletionScriptsTest {

  @Test
  void checkedInScriptsAreCurrent() throws IOException {
    assertCurrent(Path.of("completions/evtctl.bash"), CompletionCommand.Shell.bash);
    assertCurrent(Path.of("completions/_evtctl"), CompletionCommand.Shell.zsh);
  }

  @Test
  void completionCommandPrintsTheScript() {
    CliRun run = CliRun.of("completion", "bash");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo(CompletionCommand.script(CompletionCommand.Shell.bash));
    assertThat(run.out()).contains("validate").contains("schemas");
  }

  private static void assertCurrent(Path file, CompletionCommand.Shell shell) throws IOException {
    String generated = CompletionCommand.script(shell);
    if (Boolean.getBoolean("evtctl.updateCompletions")) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, generated, StandardCharsets.UTF_8);
    }
    assertThat(Files.exists(file)).as(file + " exists").isTrue();
    assertThat(Files.readString(file, StandardCharsets.UTF_8))
        .as(file + " is out of date: regenerate with -Devtctl.updateCompletions=true")
        .isEqualTo(generated);
  }
}
