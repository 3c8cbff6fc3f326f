package dev.evtctl.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every embedded listener is on loopback only: DynamoDB Local's Jetty listened on every interface,
 * so anyone on the network could read the stored personal data with made-up credentials. The whole
 * stack is checked by every socket this process listens on, so a listener nobody knew of (a
 * database server, a metrics port) is found too.
 */
class LoopbackListenersTest {

  @Test
  void dynamoDbLocalListensOnLoopbackOnly() throws IOException {
    try (EmbeddedDynamoDb dynamoDb = EmbeddedDynamoDb.start(0, null)) {
      int port = dynamoDb.endpoint().getPort();

      assertThat(EmbeddedDynamoDb.listenAddresses(dynamoDb)).containsExactly("127.0.0.1");
      try (Socket loopback = new Socket()) {
        loopback.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
        assertThat(loopback.isConnected()).isTrue();
      }
      // and from this machine's other addresses (where it has any), nothing answers
      for (InetAddress address : nonLoopbackAddresses()) {
        assertThatThrownBy(
                () -> {
                  try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(address, port), 2000);
                  }
                })
            .as("%s:%d", address, port)
            .isInstanceOf(IOException.class);
      }
    }
  }

  @Test
  void everyListenerTheLocalStackOpensIsOnLoopbackOnly(@TempDir Path dataDir) throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux's /proc/net/tcp");
    // GIVEN the sockets this JVM listens on before the stack starts
    Set<InetSocketAddress> before = listeners();

    // WHEN the whole stack runs, with a data directory (H2, SQLite files) as `local start` does
    try (LocalBackends local = LocalBackends.start(0, dataDir)) {
      Set<InetSocketAddress> opened = new HashSet<>(listeners());
      opened.removeAll(before);

      // THEN it opened the edge, ElasticMQ and DynamoDB Local listeners, and nothing else that
      // is not on loopback: every listening socket of this process is found, not only the known
      assertThat(opened)
          .extracting(InetSocketAddress::getPort)
          .contains(
              local.endpoint().getPort(),
              local.sqsEndpoint().getPort(),
              local.dynamoDbEndpoint().getPort());
      assertThat(opened)
          .allSatisfy(listener -> assertThat(listener.getAddress().isLoopbackAddress()).isTrue());
      // AND from this machine's other addresses, none answers
      for (InetSocketAddress listener : opened) {
        for (InetAddress address : nonLoopbackAddresses()) {
          assertThatThrownBy(
                  () -> {
                    try (Socket socket = new Socket()) {
                      socket.connect(new InetSocketAddress(address, listener.getPort()), 2000);
                    }
                  })
              .as("%s:%d", address, listener.getPort())
              .isInstanceOf(IOException.class);
        }
      }
    }
  }

  /**
   * The TCP sockets this process listens on (Linux): /proc/net/tcp and tcp6 list every socket on
   * the machine with its inode; this process's are the inodes its /proc/self/fd links name.
   */
  private static Set<InetSocketAddress> listeners() throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
      for (Path descriptor : descriptors.toList()) {
        try {
          String target = Files.readSymbolicLink(descriptor).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    }
    Set<InetSocketAddress> listeners = new HashSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path file = Path.of(table);
      if (!Files.isReadable(file)) {
        continue;
      }
      List<String> lines = Files.readAllLines(file);
      for (String line : lines.subList(1, lines.size())) {
        String[] fields = line.trim().split("\\s+");
        // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
        if (fields[3].equals("0A") && inodes.contains(fields[9])) {
          String[] local = fields[1].split(":");
          listeners.add(
              new InetSocketAddress(
                  InetAddress.getByAddress(littleEndianWords(local[0])),
                  Integer.parseInt(local[1], 16)));
        }
      }
    }
    return listeners;
  }

  /** An address as /proc/net/tcp writes it: hex, each 32-bit word in host (little-endian) order. */
  private static byte[] littleEndianWords(String hex) {
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        int at = (word * 4 + 3 - i) * 2;
        bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    return bytes;
  }

  private static List<InetAddress> nonLoopbackAddresses() throws SocketException {
    return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
        .filter(
            nic -> {
              try {
                return nic.isUp() && !nic.isLoopback();
              } catch (SocketException e) {
                return false;
              }
            })
        .flatMap(nic -> Collections.list(nic.getInetAddresses()).stream())
        .filter(address -> !address.isLinkLocalAddress())
        .toList();
  }
}
