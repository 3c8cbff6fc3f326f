package dev.evtctl.local;

/** The port the local endpoint was to listen on is taken by another program. */
public final class PortInUseException extends EmbeddedBackendException {

  public PortInUseException(String host, int port) {
    // No cause: the message is the whole reason, on one line (BindException adds nothing).
    super("port " + port + " on " + host + " is already in use", null);
  }
}
