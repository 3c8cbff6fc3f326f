package dev.evtctl.core.processing;

import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.pipeline.QueueMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.MDC;
import org.slf4j.event.Level;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Processes a batch: every message to exactly one outcome, concurrently across messages (and across
 * message groups on a FIFO queue, in order within each group; with {@link WriteMode#TRANSACTION},
 * across chunks of ten messages of a standard queue). Each task returns its own results, merged
 * afterwards: no list is shared between threads.
 *
 * <p>A configuration failure (table not found, access denied) fails the whole batch with {@link
 * BatchFailedException}: none of its messages may be acknowledged.
 */
public final class BatchProcessor implements AutoCloseable {

  /** The messageId of the example's message when priming: no SQS message has it. */
  private static final String PRIMING_MESSAGE_ID = "evtctl-priming";

  private final ProcessorSettings settings;
  private final MessageProcessor processor;
  private final ExecutorService executor;

  public BatchProcessor(ProcessorSettings settings, DynamoDbClient dynamoDb, SqsClient sqs) {
    this(settings, new MessageProcessor(settings, dynamoDb, sqs, Clock.systemUTC()));
  }

  BatchProcessor(ProcessorSettings settings, MessageProcessor processor) {
    this.settings = settings;
    this.processor = processor;
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            settings.concurrency(),
            task -> {
              Thread thread = new Thread(task, "evtctl-worker-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /** The pipeline, for the lines a caller logs about this processor's batches. */
  public Pipeline pipeline() {
    return settings.pipeline();
  }

  /**
   * Primes the path a message takes with the pipeline's example, as a message of a made-up id:
   * parsed, validated, keyed and its writes built, but nothing written or sent (no connection is
   * opened).
   *
   * @return the writes built: none when the pipeline has no example, or when it is not valid
   */
  public int prime() {
    Pipeline pipeline = settings.pipeline();
    if (pipeline.example() == null) {
      EventLog.at(Level.DEBUG, LogCode.PRIMED, pipeline.name()).log(
          "The pipeline has no example: nothing primed");
      return 0;
    }
    int writes =
        processor.prime(QueueMessage.of(PRIMING_MESSAGE_ID, pipeline.example().toString())).size();
    if (writes == 0) {
      EventLog.at(Level.WARN, LogCode.PRIMED, pipeline.name()).log(
          "The pipeline's example is not a valid event (evtctl validate says why): priming"
              + " stopped at validation");
    } else {
      EventLog.at(Level.DEBUG, LogCode.PRIMED, pipeline.name())
          .addKeyValue("writes", writes)
          .log("Primed with the pipeline's example; nothing written");
    }
    return writes;
  }

  /**
   * The outcome of every message, in batch order.
   *
   * @throws BatchFailedException when the batch as a whole could not be processed
   */
  public BatchResult process(List<QueueMessage> batch) {
    long started = System.nanoTime();
    Map<String, List<QueueMessage>> groups = new LinkedHashMap<>();
    List<QueueMessage> standard = new ArrayList<>();
    for (QueueMessage message : batch) {
      if (message.messageGroupId() == null) {
        standard.add(message);
      } else {
        groups.computeIfAbsent(message.messageGroupId(), group -> new ArrayList<>()).add(message);
      }
    }
    List<Future<List<MessageResult>>> tasks = new ArrayList<>();
    Map<String, String> mdc = MDC.getCopyOfContextMap();
    // FIFO: one task per message group, in batch order within it.
    for (List<QueueMessage> group : groups.values()) {
      tasks.add(submit(mdc, () -> processInOrder(group)));
    }
    // Standard queue: each event on its own, or chunks of ten written together.
    if (settings.writeMode() == WriteMode.ITEM) {
      // Messages carrying one event (one item key) would race for it if processed at once; as in
      // the functions evtctl reproduces, which handle a batch in order, the first one wins: the
      // messages of one event are processed in batch order, in one task.
      Map<Object, List<MessageProcessor.Prepared>> byEvent = new LinkedHashMap<>();
      for (QueueMessage message : standard) {
        MessageProcessor.Prepared prepared;
        try {
          prepared = processor.prepare(message);
        } catch (RuntimeException e) {
          List<MessageResult> failed = internalError(List.of(message), e);
          tasks.add(java.util.concurrent.CompletableFuture.completedFuture(failed));
          continue;
        }
        byEvent
            .computeIfAbsent(prepared.contended(settings.pipeline()), key -> new ArrayList<>())
            .add(prepared);
      }
      for (List<MessageProcessor.Prepared> sameEvent : byEvent.values()) {
        tasks.add(
            submit(
                mdc,
                () ->
                    sameEvent.stream()
                        .map(
                            prepared ->
                                processOne(prepared.message(), () -> processor.process(prepared)))
                        .toList()));
      }
    } else {
      for (int from = 0; from < standard.size(); from += EventStore.MAX_TOGETHER) {
        List<QueueMessage> chunk =
            standard.subList(from, Math.min(from + EventStore.MAX_TOGETHER, standard.size()));
        tasks.add(submit(mdc, () -> guarded(chunk, () -> processor.processTogether(chunk))));
      }
    }
    Map<String, MessageResult> byId = new HashMap<>();
    BackendConfigurationException configurationFailure = null;
    for (Future<List<MessageResult>> task : tasks) {
      try {
        task.get().forEach(result -> byId.put(result.messageId(), result));
      } catch (ExecutionException e) {
        if (e.getCause() instanceof BackendConfigurationException failure) {
          configurationFailure = failure;
        } else {
          throw new IllegalStateException("message task failed", e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BatchFailedException("interrupted while processing the batch", e);
      }
    }
    if (configurationFailure != null) {
      EventLog.at(Level.ERROR, LogCode.BATCH_FAILED, settings.pipeline().name())
          .addKeyValue("reason", configurationFailure.getMessage())
          .addKeyValue("messages", batch.size())
          .log("Batch failed; no message of it is acknowledged");
      throw new BatchFailedException(configurationFailure.getMessage(), configurationFailure);
    }
    List<MessageResult> results = new ArrayList<>(batch.size());
    batch.forEach(message -> results.add(byId.get(message.messageId())));
    BatchResult result = new BatchResult(results);
    logSummary(result, (System.nanoTime() - started) / 1_000_000);
    return result;
  }

  /**
   * The task on a worker thread with the caller's MDC (the Lambda's invocation fields), so the
   * lines it logs carry them too; the worker's MDC is emptied afterwards.
   */
  private Future<List<MessageResult>> submit(
      Map<String, String> mdc, Callable<List<MessageResult>> task) {
    if (mdc == null || mdc.isEmpty()) {
      return executor.submit(task);
    }
    return executor.submit(
        () -> {
          MDC.setContextMap(mdc);
          try {
            return task.call();
          } finally {
            MDC.clear();
          }
        });
  }

  /** Once a message of a FIFO group gets RETRY, the later ones of its group are SKIPPED. */
  private List<MessageResult> processInOrder(List<QueueMessage> sequence) {
    List<MessageResult> results = new ArrayList<>(sequence.size());
    String blockedBy = null;
    for (QueueMessage message : sequence) {
      if (blockedBy != null) {
        results.add(
            new MessageResult(
                message.messageId(),
                Outcome.SKIPPED,
                "message "
                    + blockedBy
                    + " earlier in group "
                    + message.messageGroupId()
                    + " is retried"));
        EventLog.at(Level.INFO, LogCode.MESSAGE_SKIPPED, settings.pipeline().name())
            .addKeyValue("messageId", message.messageId())
            .addKeyValue("messageGroupId", message.messageGroupId())
            .log("Skipped to keep the order of its message group");
        continue;
      }
      MessageResult result = processOne(message, () -> processor.process(message));
      results.add(result);
      if (result.outcome() == Outcome.RETRY && message.messageGroupId() != null) {
        blockedBy = message.messageId();
      }
    }
    return results;
  }

  private MessageResult processOne(QueueMessage message, Supplier<MessageResult> work) {
    return guarded(List.of(message), () -> List.of(work.get())).get(0);
  }

  /**
   * The work's results; a configuration failure fails the batch, any other exception (a defect)
   * returns the messages to the queue.
   */
  private List<MessageResult> guarded(
      List<QueueMessage> messages, Supplier<List<MessageResult>> work) {
    try {
      return work.get();
    } catch (BackendConfigurationException e) {
      throw e;
    } catch (RuntimeException e) {
      return internalError(messages, e);
    }
  }

  /**
   * A defect must not acknowledge a message it did not process: all go back (a message written
   * before the defect comes back as a DUPLICATE).
   */
  private List<MessageResult> internalError(List<QueueMessage> messages, RuntimeException e) {
    List<MessageResult> results = new ArrayList<>(messages.size());
    for (QueueMessage message : messages) {
      EventLog.at(Level.ERROR, LogCode.FAILED_TO_PROCESS_MESSAGES, settings.pipeline().name())
          .addKeyValue("messageId", message.messageId())
          .setCause(e)
          .log("Unexpected error; the message goes back to the queue");
      results.add(new MessageResult(message.messageId(), Outcome.RETRY, "internal error: " + e));
    }
    return results;
  }

  private void logSummary(BatchResult result, long millis) {
    var line =
        EventLog.at(Level.INFO, LogCode.PROCESSED_MESSAGES, settings.pipeline().name())
            .addKeyValue("messages", result.results().size());
    for (Map.Entry<Outcome, Integer> count : result.counts().entrySet()) {
      line =
          line.addKeyValue(
              count.getKey().name().toLowerCase(java.util.Locale.ROOT), count.getValue());
    }
    line.addKeyValue("millis", millis).log("Processed messages");
    List<String> failed = result.failedMessageIds();
    if (!failed.isEmpty()) {
      EventLog.at(Level.WARN, LogCode.BATCH_ITEM_FAILURES, settings.pipeline().name())
          .addKeyValue("batchItemFailures", failed)
          .log("Messages returned to the queue for retry");
    }
  }

  @Override
  public void close() {
    executor.shutdown();
  }
}
