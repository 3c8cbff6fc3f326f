package dev.evtctl.cli;

/**
 * The documented range of a numeric option, checked before anything runs: a value out of range is
 * one line and exit 2, never a thread pool of 100,000 or a queue whose DLQ is never reached.
 */
final class OptionBounds {

  /** Receivers or senders at once: beyond this the machine, not SQS, is the limit. */
  static final int MAX_CONCURRENCY = 64;

  private OptionBounds() {}

  static void check(String option, long value, long min, long max) {
    if (value < min || value > max) {
      throw new CommandFailedException(
          ExitCode.USAGE,
          option
              + " must be "
              + (max == Long.MAX_VALUE ? "at least " + min : min + " to " + max)
              + ", not "
              + value);
    }
  }
}
