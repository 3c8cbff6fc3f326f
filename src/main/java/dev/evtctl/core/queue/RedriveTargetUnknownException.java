package dev.evtctl.core.queue;

import dev.evtctl.core.stack.StackNames;
import java.util.List;

/** A dead-letter queue named by no redrive policy, or by several: its target must be given. */
public final class RedriveTargetUnknownException extends RuntimeException {

  private final List<String> sources;

  RedriveTargetUnknownException(String deadLetter, List<String> sources) {
    super(
        sources.isEmpty()
            ? "queue "
                + StackNames.queueName(deadLetter)
                + " is not the dead-letter queue of any queue (no redrive policy names it)"
            : "queue "
                + StackNames.queueName(deadLetter)
                + " is the dead-letter queue of "
                + sources.size()
                + " queues ("
                + String.join(", ", sources.stream().map(StackNames::queueName).toList())
                + ")");
    this.sources = List.copyOf(sources);
  }

  /** The queues whose redrive policy names the dead-letter queue (none, or more than one). */
  public List<String> sources() {
    return sources;
  }
}
