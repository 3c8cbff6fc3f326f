package dev.evtctl.local;

import java.net.URI;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/** ElasticMQ, in this process, on a loopback port: SQS with both the JSON and query protocols. */
public final class EmbeddedSqs implements AutoCloseable {

  /** The account id in queue URLs and ARNs, as LocalStack uses. */
  public static final String ACCOUNT_ID = "000000000000";

  public static final String REGION = "us-east-1";

  private final SQSRestServer server;
  private final int port;

  private EmbeddedSqs(SQSRestServer server, int port) {
    this.server = server;
    this.port = port;
  }

  /**
   * @param port the port, or 0 for a free one
   */
  public static EmbeddedSqs start(int port) {
    int chosen = port == 0 ? FreePort.find() : port;
    try {
      SQSRestServer server =
          SQSRestServerBuilder.withInterface("127.0.0.1")
              .withPort(chosen)
              .withServerAddress(new NodeAddress("http", "127.0.0.1", chosen, ""))
              .withAWSAccountId(ACCOUNT_ID)
              .withAWSRegion(REGION)
              .start();
      server.waitUntilStarted();
      return new EmbeddedSqs(server, chosen);
    } catch (RuntimeException e) {
      throw new EmbeddedBackendException("ElasticMQ did not start on port " + chosen, e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  @Override
  public void close() {
    server.stopAndWait();
  }
}
