package dev.evtctl.cli;

/** A command that ran but did not succeed, with the exit code that says how (ExitCode). */
final class CommandFailedException extends RuntimeException {

  private final int exitCode;

  CommandFailedException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
