package dev.evtctl.core.queue;

import dev.evtctl.core.stack.StackNames;
import java.util.List;

/**
 * Where a redrive moves messages from and to, and about how many wait: the target given, or else
 * the one queue whose redrive policy names the dead-letter queue.
 *
 * @param source the dead-letter queue's URL
 * @param target the target queue's URL
 * @param targetGiven whether the target was given (a native move without one sends each message
 *     back to its own source)
 * @param waiting messages visible in the dead-letter queue when {@link #counted} (-1 before: a
 *     native move needs no count)
 */
public record RedrivePlan(String source, String target, boolean targetGiven, long waiting) {

  /**
   * The plan for a dead-letter queue and a target (null: its one source).
   *
   * @throws RedriveTargetUnknownException when no target is given and the dead-letter queue is not
   *     the dead-letter queue of exactly one queue
   */
  public static RedrivePlan of(DeadLetterQueues queues, String source, String target) {
    String resolved = target != null ? target : sourceOf(queues, source);
    return new RedrivePlan(source, resolved, target != null, -1);
  }

  /** The same plan with the dead-letter queue's depth read now. */
  public RedrivePlan counted(DeadLetterQueues queues) {
    return new RedrivePlan(source, target, targetGiven, queues.depth(source, false).visible());
  }

  /** Whether the target is the dead-letter queue itself. */
  public boolean targetIsSource() {
    return target.equals(source);
  }

  /** How many messages would move: those waiting, at most {@code max} (0: all). */
  public long toMove(long max) {
    return max > 0 ? Math.min(max, waiting) : waiting;
  }

  /** Whether either queue is FIFO: messages keep their group and get a fresh deduplication id. */
  public boolean fifo() {
    return isFifo(source) || isFifo(target);
  }

  private static String sourceOf(DeadLetterQueues queues, String deadLetter) {
    List<String> sources = queues.sourcesOf(deadLetter);
    if (sources.size() == 1) {
      return sources.get(0);
    }
    throw new RedriveTargetUnknownException(deadLetter, sources);
  }

  private static boolean isFifo(String queueUrl) {
    return StackNames.queueName(queueUrl).endsWith(".fifo");
  }
}
