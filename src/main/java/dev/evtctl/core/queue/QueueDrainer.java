package dev.evtctl.core.queue;

import dev.evtctl.core.pipeline.InvalidSettingException;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.pipeline.QueueMessage;
import dev.evtctl.core.processing.BatchFailedException;
import dev.evtctl.core.processing.BatchProcessor;
import dev.evtctl.core.processing.BatchResult;
import dev.evtctl.core.processing.EventLog;
import dev.evtctl.core.processing.LogCode;
import dev.evtctl.core.processing.MessageResult;
import dev.evtctl.core.processing.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The local equivalent of a Lambda event source mapping: concurrent long-polling receivers hand
 * batches to the core's {@link BatchProcessor}, acknowledged messages are deleted in batches, and
 * RETRY/SKIPPED ones are left on the queue with a backoff visibility, so the queue's
 * maxReceiveCount moves them to the dead-letter queue as it would in AWS.
 *
 * <p>{@link #stop} (Ctrl-C) lets every receiver finish the batch in hand: no message is lost.
 */
public final class QueueDrainer {

  /** SQS: visibility timeout at most 12 hours; the retry backoff stays far below. */
  private static final int MAX_BACKOFF_SECONDS = 60;

  /**
   * @param queueUrl the queue
   * @param batchSize messages per receive, 1-10
   * @param concurrency receivers polling at once
   * @param waitTimeSeconds long-poll wait, 0-20
   * @param maxMessages stop after receiving this many (0: no limit)
   * @param idleTimeout stop after the queue was empty this long (null: follow, never stop)
   */
  public record Settings(
      String queueUrl,
      int batchSize,
      int concurrency,
      int waitTimeSeconds,
      long maxMessages,
      Duration idleTimeout) {

    public Settings {
      if (batchSize < 1 || batchSize > SqsBatches.MAX_ENTRIES) {
        throw new InvalidSettingException("batch size must be 1 to 10, not " + batchSize);
      }
      if (concurrency < 1) {
        throw new InvalidSettingException("concurrency must be at least 1, not " + concurrency);
      }
      if (waitTimeSeconds < 0 || waitTimeSeconds > 20) {
        throw new InvalidSettingException("wait time must be 0 to 20 s, not " + waitTimeSeconds);
      }
      if (maxMessages < 0) {
        throw new InvalidSettingException("max messages must be 0 or more");
      }
    }
  }

  /**
   * What a drain did.
   *
   * @param received messages received (a redelivered message counts each time)
   * @param outcomes the count of each outcome
   * @param deleteFailures acknowledged messages whose delete failed: they come back, and dedupe
   *     absorbs them
   * @param visibilityFailures messages whose visibility change failed: they come back at the
   *     queue's own visibility timeout instead
   * @param callFailures why those deletes and visibility changes failed, one line each
   * @param elapsed wall time
   * @param busy the time with at least one batch in hand (the idle waits left out)
   * @param failure why the drain stopped early (the backend gone, or a configuration failure), or
   *     null
   */
  public record Summary(
      long received,
      Map<Outcome, Long> outcomes,
      long deleteFailures,
      long visibilityFailures,
      List<String> callFailures,
      Duration elapsed,
      Duration busy,
      String failure) {

    /** Messages per second while messages were in hand: the rate, not diluted by idle waits. */
    public double perSecond() {
      return received / Math.max(busy.toNanos() / 1e9, 1e-9);
    }

    /** Whether anything was left invalid or unprocessed (exit 3). */
    public boolean leftAnythingBehind() {
      return outcomes.get(Outcome.INVALID) > 0
          || outcomes.get(Outcome.RETRY) > 0
          || outcomes.get(Outcome.SKIPPED) > 0
          || deleteFailures > 0;
    }
  }

  private final SqsClient sqs;

  /** The client of the long polls: {@link #stop} closes it, when it is not {@link #sqs}. */
  private final SqsClient poller;

  private final BatchProcessor processor;
  private final Settings settings;
  private final Consumer<BatchResult> onBatch;
  private final AtomicLong budget;

  /** The last receive or batch completion: idle time counts from there, with no batch in hand. */
  private final AtomicLong lastActivityNanos = new AtomicLong(System.nanoTime());

  private final BatchesInHand inHand = new BatchesInHand();
  private final MessageFailures callFailures = new MessageFailures();

  private final AtomicReference<String> failure = new AtomicReference<>();
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean stopping;

  /**
   * @param onBatch called after each batch (from receiver threads), e.g. for a progress bar
   */
  public QueueDrainer(
      SqsClient sqs, BatchProcessor processor, Settings settings, Consumer<BatchResult> onBatch) {
    this(sqs, sqs, processor, settings, onBatch);
  }

  /**
   * @param poller the client that receives, owning its own connections: {@link #stop} closes it,
   *     which ends a long poll at once; the messages SQS handed out to that poll come back at their
   *     visibility timeout
   */
  public QueueDrainer(
      SqsClient sqs,
      SqsClient poller,
      BatchProcessor processor,
      Settings settings,
      Consumer<BatchResult> onBatch) {
    this.sqs = sqs;
    this.poller = poller;
    this.processor = processor;
    this.settings = settings;
    this.onBatch = onBatch;
    this.budget =
        new AtomicLong(settings.maxMessages() == 0 ? Long.MAX_VALUE : settings.maxMessages());
  }

  /** Drains until a stop condition; returns what happened. */
  public Summary run() {
    long started = System.nanoTime();
    ExecutorService receivers =
        Executors.newFixedThreadPool(
            settings.concurrency(),
            task -> {
              Thread thread = new Thread(task, "evtctl-receiver");
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<Tally>> tallies = new ArrayList<>();
      for (int i = 0; i < settings.concurrency(); i++) {
        tallies.add(receivers.submit(this::receiveUntilStopped));
      }
      Tally total = new Tally();
      for (Future<Tally> tally : tallies) {
        try {
          total.add(tally.get());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          stopping = true;
        } catch (java.util.concurrent.ExecutionException e) {
          stopping = true;
          failure.compareAndSet(null, "receiver failed: " + e.getCause());
        }
      }
      return new Summary(
          total.received,
          total.outcomes(),
          callFailures.count(MessageFailures.Call.DELETE),
          callFailures.count(MessageFailures.Call.VISIBILITY_CHANGE),
          callFailures.lines(),
          Duration.ofNanos(System.nanoTime() - started),
          inHand.busy(),
          failure.get());
    } finally {
      receivers.shutdownNow();
      if (poller != sqs) {
        poller.close();
      }
      finished.countDown();
    }
  }

  /**
   * Asks every receiver to finish its batch in hand and stop; waits until they have. A receiver in
   * a long poll (or riding out an outage in one) holds nothing yet: when the poller has connections
   * of its own, closing them ends its poll at once.
   */
  public void stop(Duration wait) throws InterruptedException {
    stopping = true;
    if (poller != sqs) {
      poller.close();
    }
    finished.await(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** The batches in hand now, and the time with at least one in hand (the drain's busy time). */
  private static final class BatchesInHand {
    private long count;
    private long busySince;
    private long busyNanos;

    synchronized long count() {
      return count;
    }

    synchronized void started() {
      if (count++ == 0) {
        busySince = System.nanoTime();
      }
    }

    synchronized void ended() {
      if (--count == 0) {
        busyNanos += System.nanoTime() - busySince;
      }
    }

    synchronized Duration busy() {
      return Duration.ofNanos(busyNanos);
    }
  }

  /** Per-receiver counts, merged when the receivers are done. */
  private static final class Tally {
    long received;
    final long[] outcomes = new long[Outcome.values().length];

    void add(Tally other) {
      received += other.received;
      for (int i = 0; i < outcomes.length; i++) {
        outcomes[i] += other.outcomes[i];
      }
    }

    Map<Outcome, Long> outcomes() {
      Map<Outcome, Long> map = new EnumMap<>(Outcome.class);
      for (Outcome outcome : Outcome.values()) {
        map.put(outcome, outcomes[outcome.ordinal()]);
      }
      return map;
    }
  }

  private Tally receiveUntilStopped() {
    Tally tally = new Tally();
    try {
      receive(tally);
    } catch (SdkException e) {
      // Passing faults were ridden out by the client: this one is not passing, or lasted too long.
      if (!stopping) {
        failure.compareAndSet(null, "SQS ReceiveMessage: " + CallBound.describe(poller, e));
      }
      stopping = true;
    } catch (RuntimeException e) {
      failure.compareAndSet(null, "receiver failed: " + e.getMessage());
      stopping = true;
    }
    return tally;
  }

  private void receive(Tally tally) {
    while (!stopping) {
      int want = (int) reserve(settings.batchSize());
      if (want == 0) {
        break;
      }
      List<Message> messages;
      try {
        messages = poll(want);
      } catch (SdkException e) {
        budget.addAndGet(want);
        throw e;
      }
      budget.addAndGet(want - messages.size());
      if (messages.isEmpty()) {
        // Idle means the queue had nothing to give while no batch was in hand (a FIFO queue
        // hides a message group while its batch is processed).
        if (settings.idleTimeout() != null
            && inHand.count() == 0
            && System.nanoTime() - lastActivityNanos.get() >= settings.idleTimeout().toNanos()) {
          stopping = true;
        }
        continue;
      }
      inHand.started();
      lastActivityNanos.set(System.nanoTime());
      tally.received += messages.size();
      try {
        handle(messages, tally);
      } finally {
        lastActivityNanos.set(System.nanoTime());
        inHand.ended();
      }
    }
  }

  /** One receive; {@link #stop} may cut it short, which ends it with no message. */
  private List<Message> poll(int want) {
    try {
      return poller
          .receiveMessage(
              r ->
                  CallBound.longPoll(r, poller, settings.waitTimeSeconds())
                      .queueUrl(settings.queueUrl())
                      .maxNumberOfMessages(want)
                      .waitTimeSeconds(settings.waitTimeSeconds())
                      .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                      .messageAttributeNames("All"))
          .messages();
    } catch (SdkException e) {
      if (stopping) {
        // Its connections closed by stop: whatever SQS handed out comes back at its visibility
        // timeout.
        return List.of();
      }
      throw e;
    }
  }

  private long reserve(int wanted) {
    while (true) {
      long left = budget.get();
      long granted = Math.min(left, wanted);
      if (granted <= 0 || budget.compareAndSet(left, left - granted)) {
        return Math.max(granted, 0);
      }
    }
  }

  private void handle(List<Message> messages, Tally tally) {
    List<QueueMessage> batch = messages.stream().map(QueueDrainer::toQueueMessage).toList();
    BatchResult result;
    try {
      result = processor.process(batch);
    } catch (BatchFailedException e) {
      // Nothing of this batch is acknowledged; make it visible again for the next run.
      failure.compareAndSet(null, e.getMessage());
      stopping = true;
      changeVisibility(messages, message -> 0);
      return;
    }
    List<Message> acknowledged = new ArrayList<>();
    List<Message> returned = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      MessageResult outcome = result.results().get(i);
      tally.outcomes[outcome.outcome().ordinal()]++;
      (outcome.outcome().returnsToQueue() ? returned : acknowledged).add(messages.get(i));
    }
    delete(acknowledged);
    changeVisibility(returned, QueueDrainer::backoffSeconds);
    logBackoffs(returned, processor.pipeline());
    onBatch.accept(result);
  }

  /**
   * One RETRY_BACKOFF line a message given back, with its event's ids: when it is due again, for
   * logs and trace to show.
   */
  private static void logBackoffs(List<Message> returned, Pipeline pipeline) {
    if (!EventLog.enabled(Level.INFO)) {
      return;
    }
    for (Message message : returned) {
      int seconds = backoffSeconds(message);
      LoggingEventBuilder line =
          EventLog.at(Level.INFO, LogCode.RETRY_BACKOFF, pipeline.name())
              .addKeyValue("messageId", message.messageId());
      pipeline.logIds(message.body()).forEach(line::addKeyValue);
      line.addKeyValue("receiveCount", receiveCount(message))
          .addKeyValue("backoffSeconds", seconds)
          .log("message given back to the queue, visible again in {} s", seconds);
    }
  }

  /**
   * Deletes in batches of {@link SqsBatches#MAX_ENTRIES}, once more for entries SQS failed on its
   * side; counts what still failed, and why. A call that fails (after the client rode out what was
   * passing) stops the drain.
   */
  private void delete(List<Message> messages) {
    int from = 0;
    for (List<Message> chunk : SqsBatches.chunks(messages)) {
      List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
      for (int i = 0; i < chunk.size(); i++) {
        entries.add(
            DeleteMessageBatchRequestEntry.builder()
                .id(Integer.toString(i))
                .receiptHandle(chunk.get(i).receiptHandle())
                .build());
      }
      try {
        DeleteMessageBatchResponse response =
            sqs.deleteMessageBatch(r -> r.queueUrl(settings.queueUrl()).entries(entries));
        if (response.hasFailed() && !response.failed().isEmpty()) {
          List<DeleteMessageBatchRequestEntry> again =
              entries.stream()
                  .filter(e -> response.failed().stream().anyMatch(f -> f.id().equals(e.id())))
                  .toList();
          sqs.deleteMessageBatch(r -> r.queueUrl(settings.queueUrl()).entries(again))
              .failed()
              .forEach(
                  refused -> callFailures.refused(MessageFailures.Call.DELETE, refused.code(), 1));
        }
      } catch (SdkException e) {
        callFailures.failed(
            MessageFailures.Call.DELETE, CallBound.describe(sqs, e), messages.size() - from);
        backendFailed("DeleteMessageBatch", e);
        return;
      }
      from += chunk.size();
    }
  }

  private void changeVisibility(
      List<Message> messages, java.util.function.ToIntFunction<Message> seconds) {
    // A failed change only means the message comes back at the queue's own timeout.
    try {
      MessageVisibility.change(sqs, settings.queueUrl(), messages, seconds, callFailures);
    } catch (SdkException e) {
      backendFailed("ChangeMessageVisibilityBatch", e);
    }
  }

  private void backendFailed(String call, SdkException e) {
    failure.compareAndSet(null, "SQS " + call + ": " + CallBound.describe(sqs, e));
    stopping = true;
  }

  /** 1, 2, 4 ... seconds by receive count, at most a minute. */
  static int backoffSeconds(Message message) {
    int receives = receiveCount(message);
    return (int) Math.min(1L << Math.min(Math.max(receives - 1, 0), 6), MAX_BACKOFF_SECONDS);
  }

  private static int receiveCount(Message message) {
    return Integer.parseInt(
        message
            .attributes()
            .getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1"));
  }

  static QueueMessage toQueueMessage(Message message) {
    return new QueueMessage(
        message.messageId(),
        message.body(),
        message.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID),
        QueueMessage.stringAttributes(
            message.messageAttributes(), MessageAttributeValue::stringValue));
  }
}
