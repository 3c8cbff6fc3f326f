package dev.evtctl.cli;

/** Exit codes, defined once (DESIGN.md, "CLI contract"). */
public final class ExitCode {

  public static final int OK = 0;
  public static final int INTERNAL_ERROR = 1;

  /** Usage or configuration error; picocli's own usage errors exit with it too. */
  public static final int USAGE = 2;

  /** An expectation not met, validation failed, or messages left invalid or unprocessed. */
  public static final int NOT_MET = 3;

  /** The backend failed: unreachable, access denied, not found. */
  public static final int BACKEND = 4;

  /** Interrupted (Ctrl-C): 128 + SIGINT. */
  public static final int INTERRUPTED = 130;

  private ExitCode() {}
}
