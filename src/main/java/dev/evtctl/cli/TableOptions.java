package dev.evtctl.cli;

import dev.evtctl.core.pipeline.DedupeRule;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.stack.StackNames;
import picocli.CommandLine.Option;

/**
 * --table, or the stack naming (queue N → table N-events), or EVTCTL_TABLE; the idempotency table
 * follows the same naming (N-idempotency).
 */
final class TableOptions {

  @Option(
      names = {"-t", "--table"},
      paramLabel = "T",
      defaultValue = "${env:EVTCTL_TABLE}",
      description = "Events table (default: from --queue, N → N-events, or EVTCTL_TABLE).")
  String table;

  record Tables(String events, String idempotency) {}

  /** The tables, from --table or derived from the queue (which may be null). */
  Tables resolve(String queue, Pipeline pipeline) {
    StackNames stack = queue == null ? null : StackNames.fromQueue(queue);
    String events = table != null ? table : stack != null ? stack.eventsTable() : null;
    if (events == null) {
      throw new CommandFailedException(
          ExitCode.USAGE, "which table? give --table T (or --queue, or set EVTCTL_TABLE)");
    }
    String idempotency = null;
    if (pipeline.dedupeRule() == DedupeRule.IDEMPOTENCY_TABLE) {
      idempotency =
          events.endsWith("-events")
              ? events.substring(0, events.length() - "-events".length()) + "-idempotency"
              : events + "-idempotency";
    }
    return new Tables(events, idempotency);
  }
}
