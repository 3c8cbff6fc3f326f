package dev.evtctl.cli;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT, SIGTERM) on a long-running command: a shutdown hook that asks the work to finish
 * what it has in hand, waits for it, and then waits for the command to print its summary (the JVM
 * halts once its hooks are done), so nothing is lost and the user still sees what was done.
 *
 * <p>The command {@link #add}s the hook before the work, {@link #remove}s it after, and says {@link
 * #summaryPrinted} once the summary is out, whether or not the hook ran.
 */
final class StopOnInterrupt {

  /** What the hook runs: stop, and wait until stopped. */
  interface Stop {
    void run() throws InterruptedException;
  }

  private static final long SUMMARY_WAIT_SECONDS = 10;

  private final CountDownLatch printed = new CountDownLatch(1);
  private final Thread hook;

  /**
   * @param err where to say that the command is stopping
   * @param command the command, as the user typed it ("evtctl drain")
   * @param stop asks the work to stop and waits for it
   * @param afterSummary what must still happen once the summary is printed (closing log shipping)
   */
  StopOnInterrupt(PrintWriter err, String command, Stop stop, Runnable afterSummary) {
    this.hook =
        new Thread(
            () -> {
              err.println("\n" + command + ": stopping; finishing the batches in hand");
              err.flush();
              try {
                stop.run();
                printed.await(SUMMARY_WAIT_SECONDS, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              afterSummary.run();
            },
            "evtctl-stop");
  }

  void add() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  void remove() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // shutting down: the hook is running or has run
    } catch (IllegalArgumentException e) {
      // never added
    }
  }

  /** The summary is out: a running hook may let the JVM halt. */
  void summaryPrinted() {
    printed.countDown();
  }
}
