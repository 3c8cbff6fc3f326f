package dev.evtctl.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local, in this process, listening on loopback only. {@code -sharedDb}: every client sees
 * the same tables whatever access key and region it signs with, as on LocalStack.
 */
public final class EmbeddedDynamoDb implements AutoCloseable {

  private final DynamoDBProxyServer server;
  private final int port;

  private EmbeddedDynamoDb(DynamoDBProxyServer server, int port) {
    this.server = server;
    this.port = port;
  }

  /**
   * @param port the port, or 0 for a free one
   * @param dataDir where tables are kept across restarts, or null for memory only
   */
  public static EmbeddedDynamoDb start(int port, Path dataDir) {
    int chosen = port == 0 ? FreePort.find() : port;
    // -disableTelemetry: a local test tool does not report usage to anyone.
    List<String> args =
        new ArrayList<>(
            List.of("-port", Integer.toString(chosen), "-sharedDb", "-disableTelemetry"));
    if (dataDir == null) {
      args.add("-inMemory");
    } else {
      try {
        PrivateFiles.directory(dataDir);
      } catch (IOException e) {
        throw new EmbeddedBackendException("cannot create " + dataDir, e);
      }
      args.addAll(List.of("-dbPath", dataDir.toAbsolutePath().toString()));
    }
    try {
      DynamoDBProxyServer server =
          quietly(() -> ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new)));
      bindToLoopback(server);
      server.start();
      // After the start, which resets java.util.logging's levels.
      SQLITE.setLevel(Level.SEVERE);
      return new EmbeddedDynamoDb(server, chosen);
    } catch (Exception e) {
      throw new EmbeddedBackendException("DynamoDB Local did not start on port " + chosen, e);
    }
  }

  /**
   * DynamoDB Local has no option for the address it listens on, and its Jetty server listens on
   * every interface, unauthenticated: anyone on the network could read the tables (TxMA user ids,
   * IP addresses). Its connectors are bound to loopback before it starts; the field is private, so
   * this reaches it by reflection, and fails the start rather than listen wide open.
   */
  static void bindToLoopback(DynamoDBProxyServer server) {
    try {
      Field field = DynamoDBProxyServer.class.getDeclaredField("server");
      field.setAccessible(true);
      Server jetty = (Server) field.get(server);
      for (Connector connector : jetty.getConnectors()) {
        ((ServerConnector) connector).setHost(InetAddress.getLoopbackAddress().getHostAddress());
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new EmbeddedBackendException(
          "cannot bind DynamoDB Local to loopback; not starting it on every interface", e);
    }
  }

  /** The addresses DynamoDB Local's connectors listen on, for tests. */
  static List<String> listenAddresses(EmbeddedDynamoDb dynamoDb) {
    try {
      Field field = DynamoDBProxyServer.class.getDeclaredField("server");
      field.setAccessible(true);
      Server jetty = (Server) field.get(dynamoDb.server);
      List<String> hosts = new ArrayList<>();
      for (Connector connector : jetty.getConnectors()) {
        hosts.add(((ServerConnector) connector).getHost());
      }
      return hosts;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** sqlite4java warns of an "unknown jar version" on every start: the jar is ours, and fine. */
  private static final Logger SQLITE = Logger.getLogger("com.almworks.sqlite4java");

  private interface Creation {
    DynamoDBProxyServer create() throws Exception;
  }

  /**
   * Creates the server without its banner ("Initializing DynamoDB Local with the following
   * configuration ...", printed to stdout, where evtctl's results go).
   */
  private static synchronized DynamoDBProxyServer quietly(Creation creation) throws Exception {
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    try {
      return creation.create();
    } finally {
      System.setOut(stdout);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new EmbeddedBackendException("DynamoDB Local did not stop", e);
    }
  }
}
