package dev.evtctl.core.processing;

/** How one SQS message ended (DESIGN.md, "Outcomes and batch semantics"). */
public enum Outcome {
  /** Written to the events table; the message is acknowledged. */
  PERSISTED,
  /** Its business key was already written with the same content; acknowledged. */
  DUPLICATE,
  /** Not an event this pipeline accepts; acknowledged after the invalid policy ran. */
  INVALID,
  /** A failure that may pass on a second try; the message goes back to the queue. */
  RETRY,
  /** FIFO only: an earlier message of its group got RETRY; it goes back, order kept. */
  SKIPPED;

  /** Whether the message must stay on the queue (Lambda batchItemFailures). */
  public boolean returnsToQueue() {
    return this == RETRY || this == SKIPPED;
  }
}
