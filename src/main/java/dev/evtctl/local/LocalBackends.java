package dev.evtctl.local;

import java.net.URI;
import java.nio.file.Path;
import java.util.Set;

/**
 * ElasticMQ and DynamoDB Local in this process behind one edge endpoint, like LocalStack on port
 * 4566: what {@code evtctl local start} and {@code evtctl demo} run.
 */
public final class LocalBackends implements AutoCloseable {

  public static final int DEFAULT_PORT = 4566;

  private static final String HOST = "127.0.0.1";

  private final EmbeddedDynamoDb dynamoDb;
  private final EmbeddedSqs sqs;
  private final EdgeEndpoint edge;

  private LocalBackends(EmbeddedDynamoDb dynamoDb, EmbeddedSqs sqs, EdgeEndpoint edge) {
    this.dynamoDb = dynamoDb;
    this.sqs = sqs;
    this.edge = edge;
  }

  /**
   * @param port the edge port (0 for a free one)
   * @param dataDir where tables, queues and messages are kept across restarts, or null
   */
  public static LocalBackends start(int port, Path dataDir) {
    return start(port, dataDir, Set.of());
  }

  /**
   * @param allowedOrigins browser origins the edge serves ({@code *}: any); none by default
   * @throws PortInUseException at once, before any backend starts, when the port is taken
   */
  public static LocalBackends start(int port, Path dataDir, Set<String> allowedOrigins) {
    if (port != 0 && !FreePort.isFree(HOST, port)) {
      throw new PortInUseException(HOST, port);
    }
    int edgePort = port == 0 ? FreePort.find() : port;
    EmbeddedDynamoDb dynamoDb =
        EmbeddedDynamoDb.start(0, dataDir == null ? null : dataDir.resolve("dynamodb"));
    EmbeddedSqs sqs = null;
    try {
      sqs = EmbeddedSqs.start(0, edgePort, dataDir == null ? null : dataDir.resolve("sqs"));
      EdgeEndpoint edge =
          EdgeEndpoint.start(HOST, edgePort, sqs.endpoint(), dynamoDb.endpoint(), allowedOrigins);
      return new LocalBackends(dynamoDb, sqs, edge);
    } catch (RuntimeException e) {
      if (sqs != null) {
        sqs.close();
      }
      dynamoDb.close();
      throw e;
    }
  }

  /** The one endpoint for both services. */
  public URI endpoint() {
    return edge.endpoint();
  }

  public URI sqsEndpoint() {
    return sqs.endpoint();
  }

  public URI dynamoDbEndpoint() {
    return dynamoDb.endpoint();
  }

  @Override
  public void close() {
    edge.close();
    sqs.close();
    dynamoDb.close();
  }
}
