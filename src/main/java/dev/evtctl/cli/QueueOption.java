package dev.evtctl.cli;

import picocli.CommandLine.Option;

/** -q/--queue, the queue a command works on, by name or URL as awscli takes it. */
final class QueueOption {

  @Option(
      names = {"-q", "--queue"},
      required = true,
      paramLabel = "Q",
      description = "Queue name or URL.")
  String queue;
}
