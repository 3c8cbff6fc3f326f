package dev.evtctl.cli;

import dev.evtctl.core.pipeline.Pipeline;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * {@code drain --fail-writes}, a test aid: the events table answers a share of the writes with
 * throttling, as DynamoDB does when a table runs out of capacity, so those messages take the RETRY
 * path and, after the queue's max receive count, land in its dead-letter queue.
 *
 * <p>Only events are refused: INVALID records (the items with the pipeline's reason attribute) are
 * written as usual, so a redriven message is never refused for being invalid, only stored or found
 * invalid again as before.
 *
 * <p>Which writes fail is decided by a hash of the item's key (partition and sort key), which the
 * message body gives: the same messages fail on every receive, so they really reach the DLQ rather
 * than passing on a later try. (An event keyed by its processing time, a ledger event sent without
 * {@code created_at}, is the exception: its key, and so its fate, changes on each receive.)
 */
final class StagedThrottling implements ExecutionInterceptor {

  private final int percent;
  private final String eventsTable;
  private final Pipeline pipeline;
  private final AtomicLong refused = new AtomicLong();

  StagedThrottling(int percent, String eventsTable, Pipeline pipeline) {
    this.percent = percent;
    this.eventsTable = eventsTable;
    this.pipeline = pipeline;
  }

  /**
   * Thrown before the request is sent: nothing is written, and the SDK's retries do not run, as if
   * every attempt had been throttled.
   */
  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    boolean fails =
        context.request() instanceof PutItemRequest put
                && eventsTable.equals(put.tableName())
                && selected(put.item())
            // One transaction writes many events (--write-mode transaction): it fails when any of
            // them does, and the core then writes each event alone, so the others still land.
            || context.request() instanceof TransactWriteItemsRequest transaction
                && transaction.transactItems().stream()
                    .map(TransactWriteItem::put)
                    .filter(Objects::nonNull)
                    .anyMatch(p -> eventsTable.equals(p.tableName()) && selected(p.item()));
    if (fails) {
      refused.incrementAndGet();
      throw throttled("staged by evtctl drain --fail-writes " + percent + "%");
    }
  }

  /** How many writes were refused so far. */
  long refused() {
    return refused.get();
  }

  int percent() {
    return percent;
  }

  private boolean selected(Map<String, AttributeValue> item) {
    if (pipeline.reasonAttribute() != null && item.containsKey(pipeline.reasonAttribute())) {
      return false;
    }
    String key =
        item.get(pipeline.partitionKey())
            + "\n"
            + (pipeline.sortKey() == null ? "" : item.get(pipeline.sortKey()));
    byte[] digest = sha256(key);
    int bucket =
        ((digest[0] & 0xff) << 24 | (digest[1] & 0xff) << 16 | (digest[2] & 0xff) << 8)
            | (digest[3] & 0xff);
    return Integer.remainderUnsigned(bucket, 100) < percent;
  }

  /** What DynamoDB answers a write to a table out of capacity, marked as staged. */
  static ProvisionedThroughputExceededException throttled(String message) {
    return ProvisionedThroughputExceededException.builder()
        .statusCode(400)
        .awsErrorDetails(
            AwsErrorDetails.builder()
                .errorCode("ProvisionedThroughputExceededException")
                .errorMessage(message)
                .serviceName("DynamoDb")
                .build())
        .message(message)
        .build();
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
