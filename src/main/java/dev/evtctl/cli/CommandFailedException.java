package dev.evtctl.cli;

/** A command that ran but did not succeed, with the exit code that says how (ExitCode). */
public final class CommandFailedException extends RuntimeException {

  private final int exitCode;

  public CommandFailedException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
