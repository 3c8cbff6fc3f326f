package dev.evtctl.core.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * SendMessageBatch with its partial failures handled: entries SQS failed on its side are sent again
 * with exponential backoff and full jitter; entries refused as the sender's fault are reported,
 * never silently dropped.
 */
public final class BatchSender {

  private static final int MAX_ATTEMPTS = 5;

  /** Exponential backoff with full jitter, from the SDK's own retry library. */
  static final BackoffStrategy BACKOFF =
      BackoffStrategy.exponentialDelay(Duration.ofMillis(50), Duration.ofSeconds(5));

  /**
   * What happened to one chunk.
   *
   * @param sent entry id to the new messageId
   * @param failed entry id to why it could not be sent
   */
  public record Result(Map<String, String> sent, Map<String, String> failed) {}

  private final SqsClient sqs;

  public BatchSender(SqsClient sqs) {
    this.sqs = sqs;
  }

  /**
   * Sends any number of entries, 10 a call; in the result each entry is named by its position in
   * the list ("0", "1", ...), whatever id it had.
   */
  public Result sendAll(String queueUrl, List<SendMessageBatchRequestEntry> entries) {
    try {
      return sendAll(queueUrl, entries, Pacer.of(null));
    } catch (InterruptedException e) {
      throw new IllegalStateException("an unpaced send does not wait", e);
    }
  }

  /** {@link #sendAll(String, List)}, each call of 10 held to the pacer's rate. */
  public Result sendAll(String queueUrl, List<SendMessageBatchRequestEntry> entries, Pacer pacer)
      throws InterruptedException {
    Map<String, String> sent = new LinkedHashMap<>();
    Map<String, String> failed = new LinkedHashMap<>();
    int offset = 0;
    for (List<SendMessageBatchRequestEntry> entriesOfCall : SqsBatches.chunks(entries)) {
      List<SendMessageBatchRequestEntry> chunk = new ArrayList<>();
      for (int i = 0; i < entriesOfCall.size(); i++) {
        chunk.add(entriesOfCall.get(i).toBuilder().id(Integer.toString(i)).build());
      }
      pacer.acquire(chunk.size());
      Result result = send(queueUrl, chunk);
      int from = offset;
      result.sent().forEach((id, messageId) -> sent.put(position(from, id), messageId));
      result.failed().forEach((id, reason) -> failed.put(position(from, id), reason));
      offset += chunk.size();
    }
    return new Result(sent, failed);
  }

  private static String position(int offset, String id) {
    return Integer.toString(offset + Integer.parseInt(id));
  }

  /**
   * Sends up to 10 entries (ids unique within the chunk), in order, in as many calls as SQS's 1 MiB
   * a call needs. An entry over 1 MiB on its own is failed here: SQS would fail the whole call.
   */
  public Result send(String queueUrl, List<SendMessageBatchRequestEntry> entries) {
    if (entries.size() > SqsBatches.MAX_ENTRIES) {
      throw new IllegalArgumentException(
          "at most " + SqsBatches.MAX_ENTRIES + " entries per batch");
    }
    Map<String, String> sent = new LinkedHashMap<>();
    Map<String, String> failed = new LinkedHashMap<>();
    List<SendMessageBatchRequestEntry> call = new ArrayList<>();
    long callBytes = 0;
    for (SendMessageBatchRequestEntry entry : entries) {
      long bytes = MessageLimits.bytes(entry);
      if (bytes > MessageLimits.MAX_BYTES) {
        failed.put(
            entry.id(),
            "MessageTooLong: "
                + bytes
                + " bytes of body and message attributes; SQS's limit is "
                + MessageLimits.MAX_BYTES);
        continue;
      }
      if (callBytes + bytes > MessageLimits.MAX_BYTES) {
        sendCall(queueUrl, call, sent, failed);
        call = new ArrayList<>();
        callBytes = 0;
      }
      call.add(entry);
      callBytes += bytes;
    }
    if (!call.isEmpty()) {
      sendCall(queueUrl, call, sent, failed);
    }
    return new Result(sent, failed);
  }

  /** One SendMessageBatch, its entries SQS failed on its side sent again. */
  private void sendCall(
      String queueUrl,
      List<SendMessageBatchRequestEntry> entries,
      Map<String, String> sent,
      Map<String, String> failed) {
    List<SendMessageBatchRequestEntry> pending = entries;
    for (int attempt = 1; !pending.isEmpty(); attempt++) {
      List<SendMessageBatchRequestEntry> batch = pending;
      SendMessageBatchResponse response =
          sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(batch));
      for (SendMessageBatchResultEntry ok : response.successful()) {
        sent.put(ok.id(), ok.messageId());
      }
      List<SendMessageBatchRequestEntry> retry = new ArrayList<>();
      for (BatchResultErrorEntry error : response.failed()) {
        if (Boolean.TRUE.equals(error.senderFault()) || attempt == MAX_ATTEMPTS) {
          failed.put(error.id(), error.code() + ": " + error.message());
        } else {
          batch.stream().filter(e -> e.id().equals(error.id())).forEach(retry::add);
        }
      }
      if (!retry.isEmpty()) {
        sleep(BACKOFF.computeDelay(attempt));
      }
      pending = retry;
    }
  }

  public static void sleep(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
