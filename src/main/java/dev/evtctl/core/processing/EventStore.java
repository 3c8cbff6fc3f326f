package dev.evtctl.core.processing;

import dev.evtctl.core.pipeline.ItemContext;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.pipeline.PreparedEvent;
import dev.evtctl.core.pipeline.QueueMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Writes events and INVALID records to DynamoDB with the pipeline's dedupe rule. Dedupe is a
 * conditional write with {@code ReturnValuesOnConditionCheckFailure.ALL_OLD}, never
 * read-then-write, and never on the SQS messageId (a redrive gives a message a new one). AWS SDK
 * exceptions propagate; {@link MessageProcessor} decides what they mean.
 */
public final class EventStore {

  /** The idempotency table's attributes (DESIGN.md: pk {@code tenant_id#event_id}, ttl). */
  public static final String IDEMPOTENCY_KEY = "pk";

  public static final String IDEMPOTENCY_TTL = "ttl";

  /**
   * DynamoDB items are at most 400 KB; an INVALID record keeps the first 100 KiB of a larger body
   * and says so ({@code bodyTruncated}, {@code bodyBytes}). Use the dlq policy to keep it whole.
   */
  static final int RECORDED_BODY_MAX_CHARS = 100 * 1024;

  private static final String IF_ABSENT = "attribute_not_exists(#pk)";

  /** An INVALID record under the key (it has a reason attribute) gives way to a valid event. */
  private static final String IF_ABSENT_OR_INVALID = IF_ABSENT + " OR attribute_exists(#reason)";

  /** What a cancelled transaction says of an action that would have succeeded. */
  private static final String NO_FAILURE = "None";

  /**
   * The most events {@link #writeTogether} takes: one SQS batch of messages (SQS's 10, named in
   * core.queue's SqsBatches, which core.processing does not depend on). DynamoDB's
   * TransactWriteItems takes up to 100 actions, so ten events of two writes each fit.
   */
  static final int MAX_TOGETHER = 10;

  /** The outcome of a write and, for a conflict, why the event is INVALID. */
  record Written(Outcome outcome, String reason) {}

  private final DynamoDbClient dynamoDb;
  private final Pipeline pipeline;
  private final String eventsTable;
  private final String idempotencyTable;
  private final Dedupe dedupe;

  EventStore(
      DynamoDbClient dynamoDb, Pipeline pipeline, String eventsTable, String idempotencyTable) {
    this.dynamoDb = dynamoDb;
    this.pipeline = pipeline;
    this.eventsTable = eventsTable;
    this.idempotencyTable = idempotencyTable;
    this.dedupe =
        switch (pipeline.dedupeRule()) {
          case CONTENT_SUFFIX -> new KeepDifferentContent();
          case IDEMPOTENCY_TABLE -> new WithIdempotencyRecord();
          case CONFLICT -> new RefuseConflicts();
        };
  }

  /**
   * The pipeline's dedupe rule as writes: how one event is written on its own ({@link
   * EventStore#write}) and which conditional writes persist it in a transaction with others ({@link
   * EventStore#writeTogether}). Chosen once, so both paths dedupe alike.
   */
  private interface Dedupe {

    Written write(PreparedEvent.Valid event, Instant now);

    /** The conditional writes that persist the event when none fails, as {@code write} does. */
    List<TransactWriteItem> firstWrites(PreparedEvent.Valid event, Instant now);
  }

  Written write(PreparedEvent.Valid event, Instant now) {
    return dedupe.write(event, now);
  }

  /**
   * The conditional writes that would persist the event, built but not sent: priming ({@link
   * MessageProcessor#prime}).
   */
  List<TransactWriteItem> firstWrites(PreparedEvent.Valid event, Instant now) {
    return dedupe.firstWrites(event, now);
  }

  /** txma: same content again is a duplicate; different content is kept under sk#hash. */
  private final class KeepDifferentContent implements Dedupe {

    @Override
    public Written write(PreparedEvent.Valid event, Instant now) {
      Map<String, AttributeValue> item = event.item();
      try {
        putIfAbsent(item, IF_ABSENT, Map.of());
        return new Written(Outcome.PERSISTED, null);
      } catch (ConditionalCheckFailedException e) {
        if (sameContent(e, item)) {
          return new Written(Outcome.DUPLICATE, null);
        }
      }
      Map<String, AttributeValue> kept = new HashMap<>(item);
      String sortKey = pipeline.sortKey();
      kept.put(
          sortKey,
          AttributeValue.fromS(item.get(sortKey).s() + "#" + contentHash(event.eventText())));
      try {
        putIfAbsent(kept, IF_ABSENT, Map.of());
        return new Written(Outcome.PERSISTED, null);
      } catch (ConditionalCheckFailedException e) {
        // The same 12 hex digits of SHA-256 on the same key: this content is already there.
        return new Written(Outcome.DUPLICATE, null);
      }
    }

    @Override
    public List<TransactWriteItem> firstWrites(PreparedEvent.Valid event, Instant now) {
      return List.of(eventPut(event, IF_ABSENT, Map.of("#pk", pipeline.partitionKey())));
    }
  }

  /** messages: same content again is a duplicate; different content on the same id a conflict. */
  private final class RefuseConflicts implements Dedupe {

    @Override
    public Written write(PreparedEvent.Valid event, Instant now) {
      Map<String, AttributeValue> item = event.item();
      try {
        putIfAbsent(item, IF_ABSENT_OR_INVALID, Map.of("#reason", pipeline.reasonAttribute()));
        return new Written(Outcome.PERSISTED, null);
      } catch (ConditionalCheckFailedException e) {
        if (sameContent(e, item)) {
          return new Written(Outcome.DUPLICATE, null);
        }
        return new Written(
            Outcome.INVALID,
            "conflict: "
                + pipeline.partitionKey()
                + " "
                + item.get(pipeline.partitionKey()).s()
                + " is already stored with different content");
      }
    }

    @Override
    public List<TransactWriteItem> firstWrites(PreparedEvent.Valid event, Instant now) {
      return List.of(
          eventPut(
              event,
              IF_ABSENT_OR_INVALID,
              Map.of("#pk", pipeline.partitionKey(), "#reason", pipeline.reasonAttribute())));
    }
  }

  /** ledger: the idempotency record and the event in one transaction, both conditional. */
  private final class WithIdempotencyRecord implements Dedupe {

    @Override
    public Written write(PreparedEvent.Valid event, Instant now) {
      try {
        dynamoDb.transactWriteItems(request -> request.transactItems(firstWrites(event, now)));
        return new Written(Outcome.PERSISTED, null);
      } catch (TransactionCanceledException e) {
        // Either condition failed: the idempotency record or the event itself is already there.
        if (e.hasCancellationReasons()
            && e.cancellationReasons().stream()
                .anyMatch(reason -> "ConditionalCheckFailed".equals(reason.code()))) {
          return new Written(Outcome.DUPLICATE, null);
        }
        throw e;
      }
    }

    @Override
    public List<TransactWriteItem> firstWrites(PreparedEvent.Valid event, Instant now) {
      return List.of(
          TransactWriteItem.builder()
              .put(
                  Put.builder()
                      .tableName(idempotencyTable)
                      .item(idempotencyRecord(event, now))
                      .conditionExpression(IF_ABSENT)
                      .expressionAttributeNames(Map.of("#pk", IDEMPOTENCY_KEY))
                      .returnValuesOnConditionCheckFailure(
                          ReturnValuesOnConditionCheckFailure.ALL_OLD)
                      .build())
              .build(),
          // The event's put is conditional too, as the original's: once the idempotency record
          // has expired, a redelivery finds the event and is a duplicate, not an overwrite. An
          // INVALID record under the key gives way (fix and resend).
          TransactWriteItem.builder()
              .put(
                  Put.builder()
                      .tableName(eventsTable)
                      .item(event.item())
                      .conditionExpression(
                          pipeline.reasonAttribute() == null ? IF_ABSENT : IF_ABSENT_OR_INVALID)
                      .expressionAttributeNames(eventConditionNames())
                      .build())
              .build());
    }
  }

  /**
   * Writes the events whose first writes all succeed together, in one TransactWriteItems request
   * (at most {@link #MAX_TOGETHER} events): the ones it persisted. The others go through {@link
   * #write}, one by one, which gives them their outcome: an event whose key an earlier event of the
   * list holds (one request may not write an item twice), whose condition fails (a duplicate, a
   * conflict, a txma event with other content), or all of them when the request fails outright
   * (throttled, not found: {@code write} classifies the error for each). A cancelled request tells
   * which writes failed; the rest are sent together once more.
   */
  Set<PreparedEvent.Valid> writeTogether(List<PreparedEvent.Valid> events, Instant now) {
    if (events.size() > MAX_TOGETHER) {
      throw new IllegalArgumentException("at most " + MAX_TOGETHER + " events together");
    }
    List<PreparedEvent.Valid> pending = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (PreparedEvent.Valid event : events) {
      List<String> eventKeys = keysWritten(event);
      if (eventKeys.stream().noneMatch(keys::contains)) {
        keys.addAll(eventKeys);
        pending.add(event);
      }
    }
    for (int attempt = 0; attempt < 2 && pending.size() > 1; attempt++) {
      List<TransactWriteItem> writes = new ArrayList<>();
      List<Integer> firstWriteOf = new ArrayList<>();
      for (PreparedEvent.Valid event : pending) {
        firstWriteOf.add(writes.size());
        writes.addAll(dedupe.firstWrites(event, now));
      }
      try {
        dynamoDb.transactWriteItems(request -> request.transactItems(writes));
        Set<PreparedEvent.Valid> written = Collections.newSetFromMap(new IdentityHashMap<>());
        written.addAll(pending);
        return written;
      } catch (TransactionCanceledException e) {
        if (!e.hasCancellationReasons() || e.cancellationReasons().size() != writes.size()) {
          return Set.of();
        }
        List<PreparedEvent.Valid> clean = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
          int to = i + 1 < pending.size() ? firstWriteOf.get(i + 1) : writes.size();
          if (e.cancellationReasons().subList(firstWriteOf.get(i), to).stream()
              .allMatch(reason -> reason.code() == null || NO_FAILURE.equals(reason.code()))) {
            clean.add(pending.get(i));
          }
        }
        if (clean.size() == pending.size()) {
          return Set.of();
        }
        pending = clean;
      } catch (SdkException e) {
        return Set.of();
      }
    }
    return Set.of();
  }

  /** The event's conditional put, returning the item that failed its condition. */
  private TransactWriteItem eventPut(
      PreparedEvent.Valid event, String condition, Map<String, String> names) {
    return TransactWriteItem.builder()
        .put(
            Put.builder()
                .tableName(eventsTable)
                .item(event.item())
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build())
        .build();
  }

  private Map<String, String> eventConditionNames() {
    return pipeline.reasonAttribute() == null
        ? Map.of("#pk", pipeline.partitionKey())
        : Map.of("#pk", pipeline.partitionKey(), "#reason", pipeline.reasonAttribute());
  }

  private Map<String, AttributeValue> idempotencyRecord(PreparedEvent.Valid event, Instant now) {
    Map<String, AttributeValue> record = new HashMap<>(event.idempotencyAttributes());
    record.put(IDEMPOTENCY_KEY, AttributeValue.fromS(event.idempotencyKey()));
    if (pipeline.idempotencyTtlSeconds() > 0) {
      record.put(
          IDEMPOTENCY_TTL,
          AttributeValue.fromN(
              Long.toString(now.getEpochSecond() + pipeline.idempotencyTtlSeconds())));
    }
    return record;
  }

  /** The items an event's first writes touch, as "table key" strings. */
  private List<String> keysWritten(PreparedEvent.Valid event) {
    Map<String, AttributeValue> item = event.item();
    String eventKey =
        eventsTable
            + " "
            + item.get(pipeline.partitionKey())
            + (pipeline.sortKey() == null ? "" : " " + item.get(pipeline.sortKey()));
    return event.idempotencyKey() == null
        ? List.of(eventKey)
        : List.of(eventKey, idempotencyTable + " " + event.idempotencyKey());
  }

  /**
   * Records an INVALID event: under its own key when the pipeline says so and the key is free (or
   * holds an earlier INVALID record), else under the fallback key.
   */
  void recordInvalid(QueueMessage message, PreparedEvent.Invalid invalid, Instant now) {
    String text = invalid.eventText() == null ? message.body() : invalid.eventText();
    boolean truncated = text != null && text.length() > RECORDED_BODY_MAX_CHARS;
    String recorded = truncated ? text.substring(0, RECORDED_BODY_MAX_CHARS) : text;
    ItemContext context = pipeline.invalidContext(invalid, recorded, message.messageId(), now);
    Map<String, AttributeValue> atEventKey = pipeline.invalidItemAtEventKey(context);
    if (atEventKey != null) {
      try {
        putIfAbsent(
            withTruncation(atEventKey, truncated, text),
            IF_ABSENT_OR_INVALID,
            Map.of("#reason", pipeline.reasonAttribute()));
        return;
      } catch (ConditionalCheckFailedException e) {
        // A valid event holds this key; the record goes under the fallback key.
      }
    }
    Map<String, AttributeValue> atFallbackKey = pipeline.invalidItemAtFallbackKey(context);
    dynamoDb.putItem(
        PutItemRequest.builder()
            .tableName(eventsTable)
            .item(withTruncation(atFallbackKey, truncated, text))
            .build());
  }

  private static Map<String, AttributeValue> withTruncation(
      Map<String, AttributeValue> item, boolean truncated, String text) {
    if (!truncated) {
      return item;
    }
    Map<String, AttributeValue> marked = new HashMap<>(item);
    marked.put("bodyTruncated", AttributeValue.fromBool(true));
    marked.put(
        "bodyBytes",
        AttributeValue.fromN(Integer.toString(text.getBytes(StandardCharsets.UTF_8).length)));
    return marked;
  }

  private void putIfAbsent(
      Map<String, AttributeValue> item, String condition, Map<String, String> extraNames) {
    Map<String, String> names = new HashMap<>(extraNames);
    names.put("#pk", pipeline.partitionKey());
    dynamoDb.putItem(
        PutItemRequest.builder()
            .tableName(eventsTable)
            .item(item)
            .conditionExpression(condition)
            .expressionAttributeNames(names)
            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
            .build());
  }

  /** Whether the item that failed the condition holds the same event text. */
  private boolean sameContent(ConditionalCheckFailedException e, Map<String, AttributeValue> item) {
    Map<String, AttributeValue> old = e.hasItem() ? e.item() : null;
    if (old == null || old.isEmpty()) {
      // Backends without ReturnValuesOnConditionCheckFailure: read the item that won.
      old =
          dynamoDb
              .getItem(
                  GetItemRequest.builder()
                      .tableName(eventsTable)
                      .key(keyOf(item))
                      .consistentRead(true)
                      .build())
              .item();
    }
    String attribute = pipeline.bodyAttribute();
    return old != null && Objects.equals(old.get(attribute), item.get(attribute));
  }

  private Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item) {
    Map<String, AttributeValue> key = new HashMap<>();
    for (String name :
        pipeline.sortKey() == null
            ? List.of(pipeline.partitionKey())
            : List.of(pipeline.partitionKey(), pipeline.sortKey())) {
      key.put(name, item.get(name));
    }
    return key;
  }

  /** The first 12 hex digits of SHA-256 of the event text (DESIGN.md, txma dedupe). */
  static String contentHash(String eventText) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(eventText.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
