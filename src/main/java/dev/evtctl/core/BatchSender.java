package dev.evtctl.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
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

  /** SQS: at most 10 entries per SendMessageBatch. */
  public static final int MAX_BATCH = 10;

  private static final int MAX_ATTEMPTS = 5;
  private static final long BASE_BACKOFF_MILLIS = 50;

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

  /** Sends up to 10 entries (ids unique within the chunk). */
  public Result send(String queueUrl, List<SendMessageBatchRequestEntry> entries) {
    if (entries.size() > MAX_BATCH) {
      throw new IllegalArgumentException("at most " + MAX_BATCH + " entries per batch");
    }
    Map<String, String> sent = new LinkedHashMap<>();
    Map<String, String> failed = new LinkedHashMap<>();
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
        sleep(BASE_BACKOFF_MILLIS << attempt);
      }
      pending = retry;
    }
    return new Result(sent, failed);
  }

  private static void sleep(long capMillis) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(capMillis + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
