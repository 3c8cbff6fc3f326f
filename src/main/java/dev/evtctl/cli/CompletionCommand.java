package dev.evtctl.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Shell completion, generated from the command model (checked in under completions/). */
@Command(
    name = "completion",
    footerHeading = "%nExamples:%n",
    footer = {
      "  bash, for this shell, or zsh, kept in a file of fpath:",
      "    source <(evtctl completion bash)",
      "    evtctl completion zsh > ~/.zfunc/_evtctl"
    },
    mixinStandardHelpOptions = true,
    description = {
      "Print the shell completion script. bash: source <(evtctl completion bash) zsh:  source <(evtctl completion zsh)"
    })
final class CompletionCommand implements Runnable {

  enum Shell {
    bash,
    zsh
  }

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
  Shell shell;

  @Override
  public void run() {
    spec.commandLine().getOut().print(script(shell));
    spec.commandLine().getOut().flush();
  }

  static String script(Shell shell) {
    String bash = AutoComplete.bash("evtctl", Evtctl.commandLine());
    return shell == Shell.bash
        ? bash
        // picocli's script runs in zsh through bashcompinit.
        : "#compdef evtctl\nautoload -U +X compinit && compinit\n"
            + "autoload -U +X bashcompinit && bashcompinit\n"
            + bash;
  }
}
