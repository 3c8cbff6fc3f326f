package dev.evtctl.local;

import dev.evtctl.aws.AwsClients;
import dev.evtctl.aws.ClientSettings;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * Deletes expired items, as DynamoDB's TTL does and DynamoDB Local does not: it keeps them for
 * ever. Every interval, each table whose TTL is enabled (DescribeTimeToLive) is scanned for items
 * whose TTL attribute is a Number of epoch seconds in the past, and each is deleted on the
 * condition that it still is, so an item whose TTL was moved on meanwhile stays.
 *
 * <p>As DynamoDB does
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html,
 * https://aws.amazon.com/premiumsupport/knowledge-center/dynamodb-ttl-items-not-deleted/): only a
 * Number counts (a String TTL never expires), and an item more than five years past its expiry is
 * left alone. DynamoDB deletes within days of the expiry (typically two, says the UpdateTimeToLive
 * API reference), LocalStack periodically, this within one interval. The deletes are plain
 * DeleteItems: on a stream they lack the {@code userIdentity} (service {@code
 * dynamodb.amazonaws.com}) that DynamoDB's own TTL deletes carry.
 */
final class ExpiredItemSweep implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ExpiredItemSweep.class);

  /** DynamoDB's TTL leaves items whose expiry is more than five years in the past. */
  private static final Duration OLDEST_SWEPT = Duration.ofDays(5 * 365 + 1);

  private final DynamoDbClient dynamoDb;
  private final ScheduledExecutorService timer;

  /**
   * @param dynamoDb DynamoDB Local's endpoint
   * @param interval time between sweeps; zero: none (call {@link #sweep} yourself)
   */
  ExpiredItemSweep(URI dynamoDb, Duration interval) {
    this(
        new AwsClients(
                ClientSettings.emulator(dynamoDb, Map.of()), UrlConnectionHttpClient.create())
            .dynamoDb(),
        interval);
  }

  /** With this client (closed with the sweep); for tests that interpose on its calls. */
  ExpiredItemSweep(DynamoDbClient dynamoDb, Duration interval) {
    this.dynamoDb = dynamoDb;
    if (interval.isZero()) {
      this.timer = null;
      return;
    }
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "evtctl-ttl-sweep");
              thread.setDaemon(true);
              return thread;
            });
    long millis = interval.toMillis();
    timer.scheduleWithFixedDelay(this::sweepQuietly, millis, millis, TimeUnit.MILLISECONDS);
  }

  private void sweepQuietly() {
    try {
      sweep();
    } catch (RuntimeException e) {
      // DynamoDB Local stopping, a table deleted mid-scan: the next sweep tries again.
      LOG.debug("TTL sweep failed: {}", e.toString());
    }
  }

  /** One sweep of every table with TTL enabled; returns the number of items deleted. */
  long sweep() {
    long deleted = 0;
    for (String table : dynamoDb.listTablesPaginator(r -> {}).tableNames()) {
      try {
        TimeToLiveDescription ttl =
            dynamoDb.describeTimeToLive(r -> r.tableName(table)).timeToLiveDescription();
        if (ttl != null && ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLED) {
          deleted += sweep(table, ttl.attributeName());
        }
      } catch (ResourceNotFoundException e) {
        // deleted since it was listed
      }
    }
    return deleted;
  }

  private long sweep(String table, String ttlAttribute) {
    List<String> key =
        dynamoDb.describeTable(r -> r.tableName(table)).table().keySchema().stream()
            .map(KeySchemaElement::attributeName)
            .toList();
    Instant now = Instant.now();
    Map<String, String> names = new HashMap<>();
    names.put("#ttl", ttlAttribute);
    for (int i = 0; i < key.size(); i++) {
      names.put("#k" + i, key.get(i));
    }
    // A comparison with a Number is false for any other type, so String TTLs are never swept.
    Map<String, AttributeValue> values =
        Map.of(
            ":now", AttributeValue.fromN(Long.toString(now.getEpochSecond())),
            ":oldest",
                AttributeValue.fromN(Long.toString(now.minus(OLDEST_SWEPT).getEpochSecond())));
    long deleted = 0;
    for (Map<String, AttributeValue> item :
        dynamoDb
            .scanPaginator(
                r ->
                    r.tableName(table)
                        .filterExpression("#ttl < :now AND #ttl >= :oldest")
                        .projectionExpression(
                            names.keySet().stream()
                                .filter(name -> name.startsWith("#k"))
                                .collect(Collectors.joining(", ")))
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values))
            .items()) {
      try {
        dynamoDb.deleteItem(
            r ->
                r.tableName(table)
                    .key(item)
                    .conditionExpression("#ttl < :now")
                    .expressionAttributeNames(Map.of("#ttl", ttlAttribute))
                    .expressionAttributeValues(Map.of(":now", values.get(":now"))));
        deleted++;
      } catch (ConditionalCheckFailedException e) {
        // its TTL was moved on, or it was deleted, since the scan
      }
    }
    return deleted;
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
    dynamoDb.close();
  }
}
