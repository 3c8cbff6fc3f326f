package dev.evtctl.cli;

import java.io.PrintWriter;

/**
 * Ctrl-C (SIGINT, SIGTERM) on a long-running command: a shutdown hook that asks the work to finish
 * what it has in hand, and waits for it, so nothing is lost.
 */
final class StopOnInterrupt {

  /** What the hook runs: stop, and wait until stopped. */
  interface Stop {
    void run() throws InterruptedException;
  }

  private StopOnInterrupt() {}

  /** A hook (not yet added) that says what is happening and runs the stop. */
  static Thread hook(PrintWriter err, String command, Stop stop) {
    return new Thread(
        () -> {
          err.println("\n" + command + ": stopping; finishing the batches in hand");
          err.flush();
          try {
            stop.run();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        },
        "evtctl-stop");
  }

  static void add(Thread hook) {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  static void remove(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // shutting down: the hook is running or has run
    } catch (IllegalArgumentException e) {
      // never added
    }
  }
}
