package dev.evtctl.local;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.elasticmq.server.ElasticMQServer;
import org.elasticmq.server.config.ElasticMQServerConfig;
import scala.Function0;

/**
 * ElasticMQ, in this process, on a loopback port: SQS with both the JSON and the query protocol.
 * With a data directory, queues and their messages (H2) survive a restart, and a kill -9.
 */
public final class EmbeddedSqs implements AutoCloseable {

  /** The account id in queue URLs and ARNs, as LocalStack uses. */
  public static final String ACCOUNT_ID = "000000000000";

  public static final String REGION = "us-east-1";

  /**
   * ElasticMQ persists a queue's creation and attribute changes through an actor just after the
   * request has been answered (messages before); a stop right after waits this long for it.
   */
  private static final long PERSISTENCE_SETTLE_MILLIS = 1000;

  private final Function0<?> stop;
  private final int port;
  private final boolean persistent;

  private EmbeddedSqs(Function0<?> stop, int port, boolean persistent) {
    this.stop = stop;
    this.port = port;
    this.persistent = persistent;
  }

  /**
   * @param port the port, or 0 for a free one
   * @param advertisedPort the port queue URLs name (the edge endpoint's), or 0 for this one
   * @param dataDir where queues and messages are kept across restarts, or null for memory only
   */
  public static EmbeddedSqs start(int port, int advertisedPort, Path dataDir) {
    int chosen = port == 0 ? FreePort.find() : port;
    int advertised = advertisedPort == 0 ? chosen : advertisedPort;
    StringBuilder settings = new StringBuilder();
    settings
        .append("node-address { protocol = http, host = \"127.0.0.1\", port = ")
        .append(advertised)
        .append(", context-path = \"\" }\n")
        .append("rest-sqs { enabled = true, bind-port = ")
        .append(chosen)
        .append(", bind-hostname = \"127.0.0.1\", sqs-limits = strict }\n")
        .append("rest-stats.enabled = false\n")
        .append("generate-node-address = false\n")
        .append("aws { region = \"" + REGION + "\", accountId = \"" + ACCOUNT_ID + "\" }\n");
    if (dataDir != null) {
      try {
        PrivateFiles.directory(dataDir);
      } catch (IOException e) {
        throw new EmbeddedBackendException("cannot create " + dataDir, e);
      }
      Path absolute = dataDir.toAbsolutePath();
      // Queues and messages both go to H2 (ElasticMQ uses its file queue storage only without
      // messages-storage). WRITE_DELAY=0: H2 writes each commit to the file before the commit
      // returns; by default it waits up to 500 ms, and a kill -9 lost messages SendMessage had
      // acknowledged (https://h2database.com/html/commands.html#set_write_delay). ElasticMQ
      // answers SendMessage, ReceiveMessage, DeleteMessage and ChangeMessageVisibility only once
      // the persistence actor committed the change (ResultWithEvents.send waits for it), so what
      // it acknowledged is in the file; CreateQueue and SetQueueAttributes it persists just
      // after answering. MAX_LENGTH_INPLACE_LOB: bodies up to SQS's 256 KiB stay in the row
      // rather than in H2's separate LOB maps, so a commit writes fewer pages.
      settings
          .append("messages-storage { enabled = true, uri = ")
          .append(
              quoted(
                  "jdbc:h2:"
                      + absolute.resolve("messages")
                      + ";WRITE_DELAY=0;MAX_LENGTH_INPLACE_LOB=262144"))
          .append(", prune-data-on-init = false }\n");
    }
    Config config =
        ConfigFactory.parseString(settings.toString()).withFallback(ConfigFactory.load());
    try {
      Function0<?> stop = new ElasticMQServer(new ElasticMQServerConfig(config)).start();
      EmbeddedSqs sqs = new EmbeddedSqs(stop, chosen, dataDir != null);
      if (dataDir != null) {
        sqs.awaitRestoredQueues();
      }
      return sqs;
    } catch (RuntimeException e) {
      throw new EmbeddedBackendException("ElasticMQ did not start on port " + chosen, e);
    }
  }

  /**
   * ElasticMQ restores persisted queues after start() returns, not before. Waits until the number
   * of queues has held still for 1 s, at most 10 s, so the first ListQueues after a restart sees
   * them all.
   */
  private void awaitRestoredQueues() {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest listQueues =
        HttpRequest.newBuilder(endpoint())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("Action=ListQueues&Version=2012-11-05"))
            .build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    int last = -1;
    long stableSince = System.nanoTime();
    try {
      while (System.nanoTime() < deadline) {
        String body = http.send(listQueues, HttpResponse.BodyHandlers.ofString()).body();
        int count = body.split("<QueueUrl>", -1).length - 1;
        if (count != last) {
          last = count;
          stableSince = System.nanoTime();
        } else if (System.nanoTime() - stableSince >= TimeUnit.MILLISECONDS.toNanos(1000)) {
          return;
        }
        Thread.sleep(50);
      }
    } catch (IOException e) {
      throw new EmbeddedBackendException("ElasticMQ did not answer after start", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  @Override
  public void close() {
    if (persistent) {
      try {
        Thread.sleep(PERSISTENCE_SETTLE_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    stop.apply();
  }
}
