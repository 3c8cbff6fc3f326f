package dev.evtctl.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** A loopback port nobody listens on right now. */
public final class FreePort {

  private FreePort() {}

  static int find() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on loopback", e);
    }
  }

  /**
   * Whether the port can be listened on at this address now. A bind fails at once when a listener
   * holds the port there or on every interface (0.0.0.0, [::]), where a connection to one that is
   * not an HTTP server may hang unanswered.
   */
  public static boolean isFree(String host, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(host, port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
