package dev.evtctl.core.logs;

/**
 * The CloudWatch Logs endpoint does not serve StartLiveTail (an emulator: moto_server answers it
 * 500, its in-process mock 404 "Not yet implemented", LocalStack 501); a follow polls instead.
 */
public final class LiveTailUnsupportedException extends RuntimeException {

  public LiveTailUnsupportedException(Throwable cause) {
    super("the CloudWatch Logs endpoint does not serve StartLiveTail", cause);
  }
}
