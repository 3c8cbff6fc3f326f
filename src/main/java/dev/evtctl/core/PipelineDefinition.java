package dev.evtctl.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pipeline as written in its JSON file (src/main/resources/pipelines/*.json, or a user's own
 * through --pipeline-file). {@link Pipeline} is the compiled form.
 *
 * <p>Key and item values are expressions: a template such as {@code SESSION#{/user/session_id}}
 * with JSON Pointers into the event ({@code {/event_type|first-segment}} keeps the part before the
 * first dot) and the variables {@code {$messageId}} and {@code {$date}}; or one of {@code $body}
 * (the event as received), {@code $ttl} (now + ttlSeconds, epoch seconds), {@code $reason}, {@code
 * $messageId}, {@code $json:/pointer} (the JSON value as a DynamoDB value), {@code $number:N}.
 * {@code A ?? B} takes B where A cannot be resolved.
 */
public record PipelineDefinition(
    String name,
    String description,
    Integer maxBodyBytes,
    String schema,
    String eventType,
    String payload,
    Map<String, String> payloadSchemas,
    Table table,
    List<Index> indexes,
    LinkedHashMap<String, String> key,
    LinkedHashMap<String, String> item,
    Long ttlSeconds,
    Dedupe dedupe,
    Invalid invalid,
    LinkedHashMap<String, String> logIds) {

  /** A global secondary index of the events table (sort key optional). */
  public record Index(String name, String partitionKey, String sortKey) {}

  /** The events table's key attribute names. */
  public record Table(String partitionKey, String sortKey) {}

  /**
   * How a second delivery of the same business key is recognised.
   *
   * @param rule {@code content-suffix}, {@code idempotency-table} or {@code conflict}
   * @param key the idempotency key template ({@code idempotency-table} only)
   * @param ttlSeconds how long the idempotency record lives ({@code idempotency-table} only)
   */
  public record Dedupe(String rule, String key, Long ttlSeconds) {}

  /**
   * How INVALID events are kept.
   *
   * @param policy record (default), dlq or drop
   * @param recordAtEventKey record under the event's own key when it can be derived and is free
   * @param fallbackKey the key of records that cannot go under the event key
   * @param item the attributes of a record
   */
  public record Invalid(
      String policy,
      Boolean recordAtEventKey,
      LinkedHashMap<String, String> fallbackKey,
      LinkedHashMap<String, String> item) {}
}
