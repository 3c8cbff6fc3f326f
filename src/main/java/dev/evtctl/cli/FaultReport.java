package dev.evtctl.cli;

import dev.evtctl.core.queue.PassingFaults;
import java.io.PrintWriter;
import java.util.List;

/** What a long-running command rode out, and what failed, after its summary: one line each. */
final class FaultReport {

  private FaultReport() {}

  static void print(PrintWriter err, List<String> callFailures, PassingFaults faults) {
    callFailures.forEach(line -> err.println("warning: " + line));
    String retried = faults.describe();
    if (retried != null) {
      err.println("rode out " + retried);
    }
    err.flush();
  }
}
