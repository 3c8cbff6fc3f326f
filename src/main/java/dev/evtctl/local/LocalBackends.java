package dev.evtctl.local;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * ElasticMQ and DynamoDB Local in this process behind one edge endpoint, like LocalStack on port
 * 4566: what {@code evtctl local start} and {@code evtctl demo} run. Expired items are swept from
 * tables with TTL enabled ({@link ExpiredItemSweep}), which DynamoDB Local alone never does.
 */
public final class LocalBackends implements AutoCloseable {

  public static final int DEFAULT_PORT = 4566;

  /** Time between sweeps of expired items. */
  public static final Duration DEFAULT_TTL_SWEEP = Duration.ofSeconds(60);

  private static final String HOST = "127.0.0.1";

  private final EmbeddedDynamoDb dynamoDb;
  private final EmbeddedSqs sqs;
  private final EdgeEndpoint edge;
  private final ExpiredItemSweep sweep;

  private LocalBackends(
      EmbeddedDynamoDb dynamoDb, EmbeddedSqs sqs, EdgeEndpoint edge, ExpiredItemSweep sweep) {
    this.dynamoDb = dynamoDb;
    this.sqs = sqs;
    this.edge = edge;
    this.sweep = sweep;
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
   */
  public static LocalBackends start(int port, Path dataDir, Set<String> allowedOrigins) {
    return start(port, dataDir, allowedOrigins, DEFAULT_TTL_SWEEP);
  }

  /**
   * @param ttlSweep time between sweeps of expired items; zero: none
   * @throws PortInUseException at once, before any backend starts, when the port is taken
   */
  public static LocalBackends start(
      int port, Path dataDir, Set<String> allowedOrigins, Duration ttlSweep) {
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
      return new LocalBackends(
          dynamoDb, sqs, edge, new ExpiredItemSweep(dynamoDb.endpoint(), ttlSweep));
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

  /** Sweeps expired items now, whatever the interval; returns how many were deleted. */
  long sweepExpiredItems() {
    return sweep.sweep();
  }

  @Override
  public void close() {
    sweep.close();
    edge.close();
    sqs.close();
    dynamoDb.close();
  }
}
