package dev.evtctl.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Messages received from a queue and kept invisible while a command works on them: their visibility
 * is extended while they are held, and {@link #close} gives back every one not forgotten (deleted)
 * by setting its visibility to 0, so other consumers see it again at once.
 *
 * <p>Holding what was received is what lets a command read a queue to its end without meeting the
 * same message twice (peek, export, the messages a redrive filter leaves alone), and keeps a
 * message from reappearing in the middle of a move.
 */
public final class HeldMessages implements AutoCloseable {

  /** SQS ReceiveMessage and ChangeMessageVisibilityBatch: at most 10 messages or entries. */
  public static final int MAX_BATCH = 10;

  /** How long a received message stays invisible; extended every third of it while held. */
  static final Duration VISIBILITY = Duration.ofSeconds(90);

  private final SqsClient sqs;
  private final String queueUrl;

  /** Receipt handle to message, for every message held. */
  private final Map<String, Message> held = new ConcurrentHashMap<>();

  private final AtomicLong visibilityFailures = new AtomicLong();
  private final ScheduledExecutorService heartbeat;

  public HeldMessages(SqsClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "evtctl-visibility");
              thread.setDaemon(true);
              return thread;
            });
    long period = VISIBILITY.toSeconds() / 3;
    heartbeat.scheduleAtFixedRate(this::extend, period, period, TimeUnit.SECONDS);
  }

  /**
   * Up to {@code max} (at most 10) messages, with every attribute and message attribute, now held.
   * An empty list means no message was visible for a one-second long poll: the queue's visible part
   * is read to its end.
   */
  public List<Message> receive(int max) {
    List<Message> messages =
        sqs.receiveMessage(
                r ->
                    r.queueUrl(queueUrl)
                        .maxNumberOfMessages(Math.min(max, MAX_BATCH))
                        // A long poll asks every SQS server; a short one only a sample of them.
                        .waitTimeSeconds(1)
                        .visibilityTimeout((int) VISIBILITY.toSeconds())
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                        .messageAttributeNames("All"))
            .messages();
    messages.forEach(message -> held.put(message.receiptHandle(), message));
    return messages;
  }

  /** No longer held: deleted, so there is nothing to give back. */
  public void forget(Collection<Message> messages) {
    messages.forEach(message -> held.remove(message.receiptHandle()));
  }

  /**
   * Visibility changes that failed: a message not extended may reappear to other consumers before
   * the command is done with it; one not given back reappears when its visibility runs out.
   */
  public long visibilityFailures() {
    return visibilityFailures.get();
  }

  /** Gives back every message still held: visible again at once. */
  @Override
  public void close() {
    heartbeat.shutdownNow();
    List<Message> rest = new ArrayList<>(held.values());
    held.clear();
    changeVisibility(rest, 0);
  }

  private void extend() {
    changeVisibility(new ArrayList<>(held.values()), (int) VISIBILITY.toSeconds());
  }

  private void changeVisibility(List<Message> messages, int seconds) {
    // Ten at a time, so that a call that fails counts only its own messages.
    for (int from = 0; from < messages.size(); from += MAX_BATCH) {
      List<Message> chunk = messages.subList(from, Math.min(from + MAX_BATCH, messages.size()));
      try {
        visibilityFailures.addAndGet(
            MessageVisibility.change(sqs, queueUrl, chunk, message -> seconds));
      } catch (SdkException e) {
        visibilityFailures.addAndGet(chunk.size());
      }
    }
  }
}
