package dev.evtctl.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evtctl.aws.AwsClients;
import dev.evtctl.aws.ClientSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Expired items go, as DynamoDB's TTL deletes them: DynamoDB Local alone keeps them for ever, so a
 * test of a TTL'd table saw rows that AWS would have removed.
 */
class ExpiredItemSweepTest {

  private static final long NOW = Instant.now().getEpochSecond();

  private static AwsClients clients(LocalBackends local) {
    return new AwsClients(
        ClientSettings.emulator(local.endpoint(), Map.of()), UrlConnectionHttpClient.create());
  }

  /** A table keyed pk + sk, with TTL on attribute "expires" if asked. */
  private static void table(DynamoDbClient dynamoDb, String name, boolean ttl) {
    dynamoDb.createTable(
        r ->
            r.tableName(name)
                .keySchema(
                    k -> k.attributeName("pk").keyType(KeyType.HASH),
                    k -> k.attributeName("sk").keyType(KeyType.RANGE))
                .attributeDefinitions(
                    a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                    a -> a.attributeName("sk").attributeType(ScalarAttributeType.N))
                .billingMode("PAY_PER_REQUEST"));
    if (ttl) {
      dynamoDb.updateTimeToLive(
          r ->
              r.tableName(name)
                  .timeToLiveSpecification(t -> t.enabled(true).attributeName("expires")));
    }
  }

  private static void put(
      DynamoDbClient dynamoDb, String table, String pk, AttributeValue expires) {
    Map<String, AttributeValue> item =
        expires == null
            ? Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromN("1"))
            : Map.of(
                "pk",
                AttributeValue.fromS(pk),
                "sk",
                AttributeValue.fromN("1"),
                "expires",
                expires);
    dynamoDb.putItem(r -> r.tableName(table).item(item));
  }

  private static AttributeValue epoch(long seconds) {
    return AttributeValue.fromN(Long.toString(seconds));
  }

  private static List<String> keys(DynamoDbClient dynamoDb, String table) {
    return dynamoDb.scan(r -> r.tableName(table)).items().stream()
        .map(item -> item.get("pk").s())
        .sorted()
        .toList();
  }

  @Test
  void expiredItemsOfTablesWithTtlAreDeletedAndNoOthers() {
    try (LocalBackends local = LocalBackends.start(0, null, Set.of(), Duration.ZERO)) {
      DynamoDbClient dynamoDb = clients(local).dynamoDb();
      // GIVEN a table with TTL on "expires", and items on either side of now
      table(dynamoDb, "sweep-ttl", true);
      put(dynamoDb, "sweep-ttl", "expired a minute ago", epoch(NOW - 60));
      put(dynamoDb, "sweep-ttl", "expired a year ago", epoch(NOW - 365 * 86_400L));
      put(dynamoDb, "sweep-ttl", "expires in an hour", epoch(NOW + 3600));
      put(dynamoDb, "sweep-ttl", "no ttl", null);
      // a String is not a TTL, and DynamoDB leaves expiries more than five years old
      put(dynamoDb, "sweep-ttl", "string ttl", AttributeValue.fromS(Long.toString(NOW - 60)));
      put(dynamoDb, "sweep-ttl", "expired six years ago", epoch(NOW - 6 * 366 * 86_400L));
      // AND a table without TTL, whose "expires" means nothing
      table(dynamoDb, "sweep-no-ttl", false);
      put(dynamoDb, "sweep-no-ttl", "expired a minute ago", epoch(NOW - 60));

      // WHEN the local stack sweeps
      long deleted = local.sweepExpiredItems();

      // THEN only the expired Numbers of the TTL table are gone
      assertThat(deleted).isEqualTo(2);
      assertThat(keys(dynamoDb, "sweep-ttl"))
          .containsExactly("expired six years ago", "expires in an hour", "no ttl", "string ttl");
      assertThat(keys(dynamoDb, "sweep-no-ttl")).containsExactly("expired a minute ago");
    }
  }

  @Test
  void theSweepRunsByItselfAtItsInterval() throws InterruptedException {
    try (LocalBackends local = LocalBackends.start(0, null, Set.of(), Duration.ofMillis(200))) {
      DynamoDbClient dynamoDb = clients(local).dynamoDb();
      table(dynamoDb, "sweep-timer", true);
      put(dynamoDb, "sweep-timer", "expired", epoch(NOW - 1));
      put(dynamoDb, "sweep-timer", "kept", epoch(NOW + 3600));

      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (keys(dynamoDb, "sweep-timer").size() > 1 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }

      assertThat(keys(dynamoDb, "sweep-timer")).containsExactly("kept");
    }
  }

  @Test
  void anItemWhoseTtlWasMovedOnSinceTheScanIsKept() {
    try (LocalBackends local = LocalBackends.start(0, null, Set.of(), Duration.ZERO)) {
      DynamoDbClient dynamoDb = clients(local).dynamoDb();
      table(dynamoDb, "sweep-refreshed", true);
      put(dynamoDb, "sweep-refreshed", "refreshed", epoch(NOW - 60));
      // GIVEN a writer that moves the item's TTL on between the sweep's scan and its delete
      AtomicBoolean refreshed = new AtomicBoolean();
      ExecutionInterceptor refreshBeforeDelete =
          new ExecutionInterceptor() {
            @Override
            public void beforeExecution(
                Context.BeforeExecution context, ExecutionAttributes attributes) {
              if (context.request() instanceof DeleteItemRequest && !refreshed.getAndSet(true)) {
                put(dynamoDb, "sweep-refreshed", "refreshed", epoch(NOW + 3600));
              }
            }
          };
      DynamoDbClient sweeping =
          new AwsClients(
                  ClientSettings.emulator(local.dynamoDbEndpoint(), Map.of())
                      .withInterceptor(refreshBeforeDelete),
                  UrlConnectionHttpClient.create())
              .dynamoDb();

      // WHEN a sweep finds it expired, and deletes
      long deleted;
      try (ExpiredItemSweep sweep = new ExpiredItemSweep(sweeping, Duration.ZERO)) {
        deleted = sweep.sweep();
      }

      // THEN the delete's condition kept it, with its new TTL
      assertThat(refreshed).isTrue();
      assertThat(deleted).isZero();
      assertThat(
              dynamoDb
                  .getItem(
                      r ->
                          r.tableName("sweep-refreshed")
                              .key(
                                  Map.of(
                                      "pk",
                                      AttributeValue.fromS("refreshed"),
                                      "sk",
                                      AttributeValue.fromN("1"))))
                  .item())
          .containsEntry("expires", epoch(NOW + 3600));
    }
  }
}
