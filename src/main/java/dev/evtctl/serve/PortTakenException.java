package dev.evtctl.serve;

/** The address serve was to listen on is taken by another program. */
public final class PortTakenException extends RuntimeException {

  public PortTakenException(String host, int port) {
    // No cause: the message is the whole reason, on one line (BindException adds nothing).
    super("port " + port + " on " + host + " is already in use", null, false, false);
  }
}
