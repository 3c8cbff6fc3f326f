package dev.evtctl.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A web page must not drive the local endpoint: a form a page posts (Origin, no signature), a DNS
 * rebinding (a foreign Host) and an unsigned request are refused before they reach SQS.
 */
class EdgeBrowserGuardTest {

  private static final String SIGNED =
      "Authorization: AWS4-HMAC-SHA256 Credential=test/20261201/us-east-1/sqs/aws4_request,"
          + " SignedHeaders=host, Signature=0\r\n";

  /** A raw HTTP/1.1 request, so that Host and Origin are exactly what a browser would send. */
  private static String post(URI endpoint, String host, String extraHeaders, String form)
      throws IOException {
    try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
      byte[] body = form.getBytes(StandardCharsets.UTF_8);
      String request =
          "POST / HTTP/1.1\r\nHost: "
              + host
              + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
              + body.length
              + "\r\nConnection: close\r\n"
              + extraHeaders
              + "\r\n";
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String status(String response) {
    return response.substring(0, response.indexOf("\r\n"));
  }

  @Test
  void formsFromWebPagesForeignHostsAndUnsignedRequestsAreRefused() throws IOException {
    try (LocalBackends local = LocalBackends.start(0, null)) {
      URI edge = local.endpoint();
      String own = "127.0.0.1:" + edge.getPort();
      String create = "Action=CreateQueue&QueueName=";

      // a page on evil.example posting a form: Origin, no Authorization
      String fromPage = post(edge, own, "Origin: http://evil.example\r\n", create + "from-page");
      assertThat(status(fromPage)).isEqualTo("HTTP/1.1 403 Forbidden");
      assertThat(fromPage)
          .contains(
              "requests from web pages are refused (Origin http://evil.example); evtctl local"
                  + " start --allow-origin ORIGIN allows one");
      // DNS rebinding: the page's own name resolved to 127.0.0.1, signed or not
      String rebound = post(edge, "evil.example:" + edge.getPort(), SIGNED, create + "rebound");
      assertThat(status(rebound)).isEqualTo("HTTP/1.1 403 Forbidden");
      assertThat(rebound).contains("Host evil.example:" + edge.getPort() + " is not this endpoint");
      // no signature at all
      String unsigned = post(edge, own, "", create + "unsigned");
      assertThat(status(unsigned)).isEqualTo("HTTP/1.1 403 Forbidden");
      assertThat(unsigned).contains("unsigned requests are refused");

      // THEN none of those queues exists, and a signed request from this machine works
      String list = post(edge, "localhost:" + edge.getPort(), SIGNED, "Action=ListQueues");
      assertThat(status(list)).isEqualTo("HTTP/1.1 200 OK");
      assertThat(list)
          .doesNotContain("from-page")
          .doesNotContain("rebound")
          .doesNotContain("unsigned");
      assertThat(status(post(edge, own, SIGNED, create + "signed"))).isEqualTo("HTTP/1.1 200 OK");
    }
  }

  @Test
  void anOriginTheUserAllowsIsServed() throws IOException {
    try (LocalBackends local = LocalBackends.start(0, null, Set.of("http://localhost:3000"))) {
      URI edge = local.endpoint();
      String own = "127.0.0.1:" + edge.getPort();

      assertThat(
              status(
                  post(
                      edge,
                      own,
                      "Origin: http://localhost:3000\r\n",
                      "Action=CreateQueue&QueueName=allowed")))
          .isEqualTo("HTTP/1.1 200 OK");
      assertThat(status(post(edge, own, "Origin: http://other.example\r\n", "Action=ListQueues")))
          .isEqualTo("HTTP/1.1 403 Forbidden");
    }
  }
}
