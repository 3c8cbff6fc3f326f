package dev.evtctl.core.table;

import dev.evtctl.core.queue.BatchSender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Items put into a table with BatchWriteItem: at most 25 a call, and the UnprocessedItems DynamoDB
 * hands back (throttling, partition limits) sent again with exponential backoff and full jitter, as
 * the DynamoDB developer guide asks. Items still unprocessed after every attempt are kept for the
 * caller to report. An item replaces one with the same key, as PutItem does.
 */
public final class TableWriter {

  /** DynamoDB BatchWriteItem: at most 25 put or delete requests per call. */
  public static final int MAX_BATCH = 25;

  static final int MAX_ATTEMPTS = 8;

  static final BackoffStrategy BACKOFF =
      BackoffStrategy.exponentialDelay(Duration.ofMillis(50), Duration.ofSeconds(10));

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final TableKey key;
  private final List<WriteRequest> batch = new ArrayList<>();
  private final Set<List<String>> batchKeys = new HashSet<>();
  private final List<Map<String, AttributeValue>> unprocessed = new ArrayList<>();
  private long written;

  /** A writer for the table with this key ({@link TableKey#of}). */
  public TableWriter(DynamoDbClient dynamoDb, String table, TableKey key) {
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.key = key;
  }

  /** Adds an item, whose key has no {@link TableKey#problem}; a full batch is written at once. */
  public void put(Map<String, AttributeValue> item) {
    String problem = key.problem(item);
    if (problem != null) {
      throw new IllegalArgumentException(problem + " (table " + table + ")");
    }
    List<String> identity = key.identity(item);
    // BatchWriteItem refuses two requests on one key in the same call.
    if (!batchKeys.add(identity)) {
      flush();
      batchKeys.add(identity);
    }
    batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
    if (batch.size() == MAX_BATCH) {
      flush();
    }
  }

  /** Writes what is buffered. */
  public void flush() {
    List<WriteRequest> pending = new ArrayList<>(batch);
    int count = pending.size();
    batch.clear();
    batchKeys.clear();
    for (int attempt = 1; !pending.isEmpty(); attempt++) {
      List<WriteRequest> requests = List.copyOf(pending);
      BatchWriteItemResponse response =
          dynamoDb.batchWriteItem(r -> r.requestItems(Map.of(table, requests)));
      pending.clear();
      pending.addAll(response.unprocessedItems().getOrDefault(table, List.of()));
      if (pending.isEmpty() || attempt == MAX_ATTEMPTS) {
        break;
      }
      BatchSender.sleep(BACKOFF.computeDelay(attempt));
    }
    pending.forEach(request -> unprocessed.add(request.putRequest().item()));
    written += count - pending.size();
  }

  /** Items written so far. */
  public long written() {
    return written;
  }

  /** Items still unprocessed after every attempt. */
  public List<Map<String, AttributeValue>> unprocessed() {
    return List.copyOf(unprocessed);
  }
}
