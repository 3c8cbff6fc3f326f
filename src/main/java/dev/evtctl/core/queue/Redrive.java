package dev.evtctl.core.queue;

import dev.evtctl.core.pipeline.InvalidSettingException;
import dev.evtctl.core.processing.EventLog;
import dev.evtctl.core.processing.LogCode;
import dev.evtctl.core.stack.StackNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.event.Level;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Moves messages from a dead-letter queue back to a queue: send first, delete only what was sent. A
 * crash at any moment leaves every message in the dead-letter queue, the target, or both, never in
 * neither; a message in both is absorbed by the pipeline's business-key dedupe.
 *
 * <p>Every message received stays invisible until the redrive ends ({@link HeldMessages}): the ones
 * the filter leaves alone, the ones being moved, and the ones whose delete failed, so none is met
 * twice and none reappears in the middle of a move. At the end those not moved are given back at
 * once, untouched.
 */
public final class Redrive {

  /**
   * What to move.
   *
   * @param source the dead-letter queue
   * @param target where the messages go
   * @param filter which messages move; the others are given back untouched
   * @param max move at most this many (0: all)
   * @param pacer the rate of sending
   * @param dryRun move nothing; report what would move
   * @param concurrency receivers at once
   */
  public record Settings(
      String source,
      String target,
      MessageFilter filter,
      long max,
      Pacer pacer,
      boolean dryRun,
      int concurrency) {

    public Settings {
      if (source.equals(target)) {
        throw new InvalidSettingException("a redrive needs a target other than its source");
      }
      if (max < 0) {
        throw new InvalidSettingException("max must be 0 or more, not " + max);
      }
      if (concurrency < 1) {
        throw new InvalidSettingException("concurrency must be at least 1, not " + concurrency);
      }
    }
  }

  /** What happens to each message, as it happens; called from several threads. */
  public interface Listener {
    /** Picked in a dry run: it would move. */
    default void wouldMove(Message message) {}

    /** About to be sent to the target; a listener that throws stops the redrive before it. */
    default void sending(Message message) {}

    /** Sent to the target under a new messageId; called before it is deleted from the source. */
    default void sent(Message message, String newMessageId) {}

    /** Deleted from the source: moved. */
    default void deleted(Message message) {}

    /** Not sent (it stays in the source), or sent and not deleted (it is in both). */
    default void failed(Message message, boolean sent, String reason) {}

    /** This listener told first, then {@code next} (a throw in {@code sending} stops both). */
    default Listener then(Listener next) {
      Listener first = this;
      return new Listener() {
        @Override
        public void wouldMove(Message message) {
          first.wouldMove(message);
          next.wouldMove(message);
        }

        @Override
        public void sending(Message message) {
          first.sending(message);
          next.sending(message);
        }

        @Override
        public void sent(Message message, String newMessageId) {
          first.sent(message, newMessageId);
          next.sent(message, newMessageId);
        }

        @Override
        public void deleted(Message message) {
          first.deleted(message);
          next.deleted(message);
        }

        @Override
        public void failed(Message message, boolean sent, String reason) {
          first.failed(message, sent, reason);
          next.failed(message, sent, reason);
        }
      };
    }
  }

  /**
   * What a redrive did.
   *
   * @param received messages received from the source
   * @param picked messages the filter picked (in a dry run: that would move)
   * @param moved sent to the target and deleted from the source
   * @param sendFailures not sent: still in the source
   * @param deleteFailures sent but not deleted: in both queues
   * @param elapsed wall time, including the last empty receive that found the end
   * @param moving from the start to the last message moved
   * @param visibilityFailures visibility changes that failed: a message not kept invisible may have
   *     been seen by another consumer meanwhile (its move is still send-then-delete)
   * @param callFailures why deletes and visibility changes failed, one line each
   * @param failure why the redrive stopped early, or null
   */
  public record Summary(
      long received,
      long picked,
      long moved,
      long sendFailures,
      long deleteFailures,
      Duration elapsed,
      Duration moving,
      long visibilityFailures,
      List<String> callFailures,
      String failure) {

    /** Messages moved per second while moving (the rate --rate holds). */
    public double movedPerSecond() {
      return moved / Math.max(moving.toNanos() / 1e9, 1e-9);
    }

    /** Whether anything picked was left unmoved, or the run stopped early. */
    public boolean leftAnythingBehind() {
      return sendFailures > 0 || deleteFailures > 0 || failure != null;
    }
  }

  /** FIFO messages without a group (from a standard queue) go to a FIFO target in this one. */
  static final String DEFAULT_GROUP = "evtctl-redrive";

  private final SqsClient sqs;
  private final Settings settings;
  private final Listener listener;
  private final BatchSender sender;
  private final boolean fifoTarget;

  private final AtomicLong reserved = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong picked = new AtomicLong();
  private final AtomicLong moved = new AtomicLong();
  private final AtomicLong sendFailures = new AtomicLong();
  private final AtomicReference<String> failure = new AtomicReference<>();
  private final MessageFailures callFailures = new MessageFailures();
  private final AtomicLong lastMoved = new AtomicLong();
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean stopping;

  public Redrive(SqsClient sqs, Settings settings, Listener listener) {
    this.sqs = sqs;
    this.settings = settings;
    this.listener = listener;
    this.sender = new BatchSender(sqs);
    this.fifoTarget = StackNames.queueName(settings.target()).endsWith(".fifo");
  }

  /** Moves until the source is read to its end, {@code max} moved, or {@link #stop}. */
  public Summary run() throws InterruptedException {
    long started = System.nanoTime();
    ExecutorService workers = Executors.newFixedThreadPool(settings.concurrency());
    HeldMessages held = new HeldMessages(sqs, settings.source(), callFailures);
    try (held) {
      for (int i = 0; i < settings.concurrency(); i++) {
        workers.submit(() -> work(held));
      }
      workers.shutdown();
      while (!workers.awaitTermination(1, TimeUnit.SECONDS)) {
        // each worker ends at the end of the queue, at max, or on stop
      }
    } finally {
      workers.shutdownNow();
      finished.countDown();
    }
    return new Summary(
        received.get(),
        picked.get(),
        moved.get(),
        sendFailures.get(),
        callFailures.count(MessageFailures.Call.DELETE),
        Duration.ofNanos(System.nanoTime() - started),
        Duration.ofNanos(Math.max(lastMoved.get() - started, 0)),
        callFailures.count(MessageFailures.Call.VISIBILITY_CHANGE),
        callFailures.lines(),
        failure.get());
  }

  /** Lets every worker finish the batch in hand, and waits for the redrive to end. */
  public void stop(Duration wait) throws InterruptedException {
    stopping = true;
    finished.await(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void work(HeldMessages held) {
    try {
      while (!stopping && failure.get() == null) {
        int want = reserve();
        if (want == 0) {
          return;
        }
        List<Message> batch = held.receive(want);
        received.addAndGet(batch.size());
        List<Message> chosen = batch.stream().filter(settings.filter()::test).toList();
        reserved.addAndGet(chosen.size() - want);
        if (batch.isEmpty()) {
          return;
        }
        picked.addAndGet(chosen.size());
        if (chosen.isEmpty()) {
          continue;
        }
        if (settings.dryRun()) {
          chosen.forEach(listener::wouldMove);
          continue;
        }
        settings.pacer().acquire(chosen.size());
        move(held, chosen);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (SdkException e) {
      // Passing faults were ridden out by the client: this one is not passing, or lasted too long.
      failure.compareAndSet(null, CallBound.describe(sqs, e));
    } catch (RuntimeException e) {
      // A listener that cannot record (the audit trail) or a configuration failure: stop here.
      failure.compareAndSet(null, e.getMessage());
    }
  }

  /** Reserves up to 10 of the messages still allowed by max; 0 when max is reached. */
  private int reserve() {
    while (true) {
      long now = reserved.get();
      long room = settings.max() == 0 ? SqsBatches.MAX_ENTRIES : settings.max() - now;
      int want = (int) Math.min(SqsBatches.MAX_ENTRIES, room);
      if (want <= 0) {
        return 0;
      }
      if (reserved.compareAndSet(now, now + want)) {
        return want;
      }
    }
  }

  private void move(HeldMessages held, List<Message> messages) {
    messages.forEach(listener::sending);
    List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      entries.add(entry(Integer.toString(i), messages.get(i)));
    }
    BatchSender.Result result;
    try {
      result = sender.send(settings.target(), entries);
    } catch (SdkException e) {
      // Not sent: each stays in the source, given back at the end.
      sendFailures.addAndGet(messages.size());
      String reason = CallBound.describe(sqs, e);
      messages.forEach(message -> listener.failed(message, false, reason));
      throw e;
    }
    List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      Message message = messages.get(i);
      String id = Integer.toString(i);
      String newMessageId = result.sent().get(id);
      if (newMessageId == null) {
        sendFailures.incrementAndGet();
        listener.failed(message, false, result.failed().get(id));
        continue;
      }
      listener.sent(message, newMessageId);
      deletes.add(
          DeleteMessageBatchRequestEntry.builder()
              .id(id)
              .receiptHandle(message.receiptHandle())
              .build());
    }
    if (deletes.isEmpty()) {
      return;
    }
    DeleteMessageBatchResponse response;
    try {
      response = sqs.deleteMessageBatch(r -> r.queueUrl(settings.source()).entries(deletes));
    } catch (SdkException e) {
      String reason = CallBound.describe(sqs, e);
      callFailures.failed(MessageFailures.Call.DELETE, reason, deletes.size());
      deletes.forEach(
          d -> {
            listener.failed(messages.get(Integer.parseInt(d.id())), true, reason);
          });
      throw e;
    }
    for (BatchResultErrorEntry error : response.failed()) {
      callFailures.refused(MessageFailures.Call.DELETE, error.code(), 1);
      listener.failed(
          messages.get(Integer.parseInt(error.id())), true, error.code() + ": " + error.message());
    }
    List<Message> deleted =
        response.successful().stream().map(ok -> messages.get(Integer.parseInt(ok.id()))).toList();
    response
        .successful()
        .forEach(
            ok -> logMoved(messages.get(Integer.parseInt(ok.id())), result.sent().get(ok.id())));
    // A message whose delete failed stays held: given back at the end, not moved twice now.
    held.forget(deleted);
    moved.addAndGet(deleted.size());
    lastMoved.accumulateAndGet(System.nanoTime(), Math::max);
    deleted.forEach(listener::deleted);
  }

  /** Ids only, and the queues' names: a body (personal data) is logged with --debug alone. */
  private void logMoved(Message message, String newMessageId) {
    var line =
        EventLog.at(Level.DEBUG, LogCode.REDRIVE_MOVED, null)
            .addKeyValue("messageId", message.messageId())
            .addKeyValue("newMessageId", newMessageId)
            .addKeyValue("from", StackNames.queueName(settings.source()))
            .addKeyValue("to", StackNames.queueName(settings.target()));
    if (EventLog.bodiesEnabled()) {
      line = line.addKeyValue("body", message.body());
    }
    line.log("message moved from the dead-letter queue");
  }

  /** The message as it was: body, message attributes, trace header; a FIFO group kept. */
  private SendMessageBatchRequestEntry entry(String id, Message message) {
    SendMessageBatchRequestEntry.Builder entry =
        SendMessageBatchRequestEntry.builder()
            .id(id)
            .messageBody(message.body())
            .messageAttributes(message.messageAttributes());
    String trace = message.attributes().get(MessageSystemAttributeName.AWS_TRACE_HEADER);
    if (trace != null) {
      entry.messageSystemAttributes(
          Map.of(
              MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
              MessageSystemAttributeValue.builder().dataType("String").stringValue(trace).build()));
    }
    if (fifoTarget) {
      String group = message.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
      // A fresh deduplication id: a message redriven twice within SQS's 5-minute deduplication
      // window would otherwise be accepted and silently dropped, then deleted from the DLQ.
      entry
          .messageGroupId(group == null ? DEFAULT_GROUP : group)
          .messageDeduplicationId(UUID.randomUUID().toString());
    }
    return entry.build();
  }
}
