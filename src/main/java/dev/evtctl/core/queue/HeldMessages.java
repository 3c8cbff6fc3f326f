package dev.evtctl.core.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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

  /** A long poll asks every SQS server; one second of it finds the end of the visible part. */
  private static final int RECEIVE_WAIT_SECONDS = 1;

  /** How long a received message stays invisible; extended every third of it while held. */
  static final Duration VISIBILITY = Duration.ofSeconds(90);

  private final SqsClient sqs;
  private final String queueUrl;

  /** Receipt handle to message, for every message held. */
  private final Map<String, Message> held = new ConcurrentHashMap<>();

  private final MessageFailures failures;
  private final ScheduledExecutorService heartbeat;

  public HeldMessages(SqsClient sqs, String queueUrl) {
    this(sqs, queueUrl, new MessageFailures());
  }

  /**
   * @param failures where visibility changes that failed are counted, with why
   */
  public HeldMessages(SqsClient sqs, String queueUrl, MessageFailures failures) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.failures = failures;
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
                    CallBound.longPoll(r, sqs, RECEIVE_WAIT_SECONDS)
                        .queueUrl(queueUrl)
                        .maxNumberOfMessages(Math.min(max, SqsBatches.MAX_ENTRIES))
                        .waitTimeSeconds(RECEIVE_WAIT_SECONDS)
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
    try {
      MessageVisibility.change(sqs, queueUrl, messages, message -> seconds, failures);
    } catch (SdkException e) {
      // Counted with the rest of the list: each comes back when its visibility runs out.
    }
  }
}
