package dev.evtctl.serve;

/**
 * A request that cannot be answered as asked: its HTTP status and a one-line reason a person can
 * act on (never an event body, a user id or an IP address).
 */
final class RequestFailedException extends RuntimeException {

  private final int status;

  RequestFailedException(int status, String reason) {
    super(reason, null, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }
}
