package dev.evtctl.core.queue;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * SQS's own redrive: a move task (StartMessageMoveTask) from a dead-letter queue, followed
 * (ListMessageMoveTasks) until it ends.
 */
public final class NativeMove {

  /** StartMessageMoveTask's MaxNumberOfMessagesPerSecond: 1 to 500. */
  public static final int MIN_RATE = 1;

  public static final int MAX_RATE = 500;

  /** How often the task's progress is read. */
  private static final Duration POLL = Duration.ofSeconds(1);

  private final DeadLetterQueues queues;

  public NativeMove(DeadLetterQueues queues) {
    this.queues = queues;
  }

  /**
   * Starts the move and reports its progress until it ends.
   *
   * @param targetUrl the target, or null: back to each message's source
   * @param perSecond the rate, or null: as fast as SQS goes
   * @return the task's last state
   */
  public DeadLetterQueues.MoveProgress run(
      String deadLetterUrl,
      String targetUrl,
      Integer perSecond,
      Consumer<DeadLetterQueues.MoveProgress> progressed)
      throws InterruptedException {
    queues.startMove(deadLetterUrl, targetUrl, perSecond);
    DeadLetterQueues.MoveProgress progress;
    do {
      Thread.sleep(POLL.toMillis());
      progress = queues.moveProgress(deadLetterUrl);
      progressed.accept(progress);
    } while (!progress.finished());
    return progress;
  }

  /** Whether the move ended with every message moved. */
  public static boolean completed(DeadLetterQueues.MoveProgress progress) {
    return progress.status().equals("COMPLETED");
  }
}
