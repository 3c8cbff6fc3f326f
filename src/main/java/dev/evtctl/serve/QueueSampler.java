package dev.evtctl.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evtctl.core.pipeline.Json;
import dev.evtctl.core.stack.StackNames;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

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
        Map<String, String> attributes;
        try {
          attributes =
              sqs.getQueueAttributes(
                      r ->
                          r.queueUrl(url)
                              .attributeNames(
                                  QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                  QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                                  QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                  .attributesAsStrings();
        } catch (SdkException e) {
          continue; // deleted since the list
        }
        ArrayNode depth = queues.putArray(StackNames.queueName(url));
        depth.add(number(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        depth.add(
            number(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        depth.add(number(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
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

  private static long number(Map<String, String> attributes, QueueAttributeName name) {
    String value = attributes.get(name.toString());
    return value == null ? 0 : Long.parseLong(value);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    clients.forEach(SseClient::close);
  }
}
