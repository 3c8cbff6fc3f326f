package dev.evtctl.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evtctl.core.pipeline.Json;
import dev.evtctl.core.queue.DeadLetterQueues;
import dev.evtctl.core.stack.StackNames;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Queue depth over time, sampled by the server once a second while a console page listens, and
 * pushed to every page as server-sent events: one GetQueueAttributes a queue a second however many
 * tabs are open. Keeps the last ten minutes, which a page that connects gets first.
 */
final class QueueSampler implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(QueueSampler.class);
  private static final Duration PERIOD = Duration.ofSeconds(1);
  private static final int KEPT = 600;

  /** ListQueues again every this many samples: queues made while serve runs show up. */
  private static final int LIST_EVERY = 10;

  private final SqsClient sqs;
  private final DeadLetterQueues depths;
  private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
  private final Deque<String> history = new ArrayDeque<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "evtctl-serve-sampler");
            thread.setDaemon(true);
            return thread;
          });
  private List<String> queueUrls = List.of();
  private int samples;
  private boolean started;

  QueueSampler(SqsClient sqs) {
    this.sqs = sqs;
    this.depths = new DeadLetterQueues(sqs);
  }

  /** A page listening: it gets what was sampled so far, then each new sample. */
  void listen(SseClient client) {
    client.keepAlive();
    synchronized (history) {
      history.forEach(sample -> client.sendEvent("depth", sample));
    }
    clients.add(client);
    client.onClose(() -> clients.remove(client));
    synchronized (this) {
      if (!started) {
        started = true;
        timer.scheduleAtFixedRate(this::sample, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  private void sample() {
    try {
      if (samples++ % LIST_EVERY == 0) {
        List<String> urls = new ArrayList<>();
        sqs.listQueuesPaginator(r -> r.maxResults(1000)).queueUrls().forEach(urls::add);
        queueUrls = urls;
      }
      ObjectNode sample = Json.MAPPER.createObjectNode();
      sample.put("time", Instant.now().toEpochMilli());
      ObjectNode queues = sample.putObject("queues");
      for (String url : queueUrls) {
        DeadLetterQueues.Depth depth;
        try {
          depth = depths.depth(url, false);
        } catch (SdkException e) {
          continue; // deleted since the list
        }
        queues
            .putArray(StackNames.queueName(url))
            .add(depth.visible())
            .add(depth.inFlight())
            .add(depth.delayed());
      }
      String text = sample.toString();
      synchronized (history) {
        history.addLast(text);
        while (history.size() > KEPT) {
          history.removeFirst();
        }
      }
      for (SseClient client : clients) {
        if (client.terminated()) {
          clients.remove(client);
        } else {
          client.sendEvent("depth", text);
        }
      }
    } catch (RuntimeException e) {
      // The backend may be down for a while: the next sample tries again.
      LOG.debug("queue sample failed", e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    clients.forEach(SseClient::close);
  }
}
