package dev.evtctl.core.queue;

import dev.evtctl.core.pipeline.InvalidSettingException;
import java.util.concurrent.TimeUnit;

/**
 * Holds a sender to a rate: the n-th message goes no earlier than n / rate seconds after the first,
 * whichever thread sends it. A schedule rather than a token bucket, so a slow moment is made up
 * afterwards and the rate over the whole run is the rate asked for.
 */
public final class Pacer {

  private final double perSecond;
  private long started;
  private long permits;

  /** A pacer at this many messages a second; null or 0 for no limit. */
  public static Pacer of(Double perSecond) {
    return new Pacer(perSecond == null ? 0 : perSecond);
  }

  private Pacer(double perSecond) {
    if (perSecond < 0) {
      throw new InvalidSettingException("a rate must be more than 0, not " + perSecond);
    }
    this.perSecond = perSecond;
  }

  /** Waits until {@code count} more messages may go. */
  public void acquire(int count) throws InterruptedException {
    if (perSecond == 0) {
      return;
    }
    long due;
    synchronized (this) {
      if (permits == 0) {
        started = System.nanoTime();
      }
      due = started + (long) (permits / perSecond * TimeUnit.SECONDS.toNanos(1));
      permits += count;
    }
    long wait = due - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }
}
