package dev.evtctl.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every embedded listener is on loopback only: DynamoDB Local's Jetty listened on every interface,
 * so anyone on the network could read the stored personal data with made-up credentials.
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
