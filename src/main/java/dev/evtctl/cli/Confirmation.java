package dev.evtctl.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The one way a destructive command asks: on a terminal, a y/N question (anything but y is no);
 * elsewhere (a script, CI) never a silent yes, but exit 2 saying to give --yes.
 */
final class Confirmation {

  private Confirmation() {}

  /**
   * @param question the y/N question, without the prompt's "[y/N]"
   * @param withoutTerminal the usage error where nobody can answer, ending in what to give
   * @param declined what is said when the answer is no
   */
  static boolean confirmed(
      String question, String withoutTerminal, String declined, PrintWriter err) {
    var console = System.console();
    if (console == null) {
      throw new CommandFailedException(ExitCode.USAGE, withoutTerminal);
    }
    String answer = console.readLine("%s [y/N] ", question);
    if (answer != null && answer.trim().toLowerCase(Locale.ROOT).startsWith("y")) {
      return true;
    }
    err.println(declined);
    return false;
  }
}
