package dev.evtctl.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Dead-letter queues: what is in them, and putting it back. */
@Command(
    name = "dlq",
    footerHeading = "%nExamples:%n",
    footer = {
      "  What the dead-letter queues hold, then put one back:",
      "    evtctl --local dlq list",
      "    evtctl --local dlq redrive --queue audit-dlq"
    },
    mixinStandardHelpOptions = true,
    description = "Dead-letter queues: list, peek, redrive, purge.",
    subcommands = {
      DlqListCommand.class,
      DlqPeekCommand.class,
      DlqRedriveCommand.class,
      DlqPurgeCommand.class
    })
final class DlqCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
