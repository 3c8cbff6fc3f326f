package dev.evtctl.core.pipeline;

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
 * $messageId}, {@code $json:/pointer} (the JSON value as a DynamoDB value), {@code $value:JSON} (a
 * JSON literal as a DynamoDB value). {@code A ?? B} takes B where A cannot be resolved.
 *
 * <p>{@code example} is one valid event body, concrete (no generators, unlike {@code seed}): the
 * Lambda handler primes its path with it before a SnapStart snapshot.
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
    LinkedHashMap<String, String> logIds,
    List<FieldDefault> defaults,
    List<String> allowedEventTypes,
    Environment environment,
    String messageGroup,
    Boolean fairQueues,
    Read read,
    Seed seed,
    com.fasterxml.jackson.databind.JsonNode example) {

  /**
   * A value for a field events may leave out (missing, null or empty), read by keys and items.
   *
   * @param field a JSON Pointer into the event
   * @param value text and variables ({@code {$now}})
   * @param eventTypes the event types it holds for; all when absent
   */
  public record FieldDefault(String field, String value, List<String> eventTypes) {}

  /**
   * The environment variables a Lambda deployment of this pipeline reads besides evtctl's own, so
   * that the function it replaces keeps its configuration.
   *
   * @param ttlSeconds variables giving the TTL of stored events in seconds, the first set wins
   *     ({@code TTL_SECONDS} is read after them)
   */
  public record Environment(List<String> ttlSeconds) {}

  /**
   * How stored events are read back: by {@code events}, {@code assert}, {@code export} and {@code
   * replay}. Templates here read the stored item as JSON (stored event text parsed).
   *
   * @param name the event's name or type
   * @param time the event's time: epoch seconds, or RFC 3339
   * @param columns the table columns of {@code events}: a template, {@code $name} or {@code $time}
   * @param queries how each selector is looked up, the first that applies wins
   * @param replay for pipelines that store an event's parts rather than its body: the body's
   *     fields, as item values over the stored item
   */
  public record Read(
      String name,
      String time,
      LinkedHashMap<String, String> columns,
      List<Query> queries,
      LinkedHashMap<String, String> replay) {}

  /**
   * One way to look events up. It applies when its partition key (or scan) resolves with the
   * selector given ({@code {$session}}, {@code {$tenant}}, {@code {$company}}, {@code {$status}}).
   *
   * @param index the global secondary index queried, or absent for the table
   * @param partitionKey the key value; {@code {$day}} queries one partition per day of the range
   * @param sortKeyBeginsWith a sort key prefix, where it resolves ({@code {$eventName}}, ...)
   * @param sortKeyTimeRange the sort key starts with an RFC 3339 time: --since and --until narrow
   *     the query
   * @param scan instead of a query, a scan keeping items whose attributes equal these values
   */
  public record Query(
      String index,
      String partitionKey,
      String sortKeyBeginsWith,
      Boolean sortKeyTimeRange,
      LinkedHashMap<String, String> scan) {}

  /**
   * How {@code seed} makes test events: from sample events whose strings may hold generators (see
   * SeedGenerator), and the mistakes that make one invalid.
   *
   * @param group the session, tenant or company a run spreads events over: a generator
   * @param events sample events, one chosen at random per message
   * @param invalid edits that make a valid event invalid, one chosen at random
   */
  public record Seed(
      String group,
      List<com.fasterxml.jackson.databind.JsonNode> events,
      List<InvalidEdit> invalid) {}

  /**
   * An edit that makes a sample invalid: replace the whole body with text, remove a field, or set a
   * field to a JSON value.
   */
  public record InvalidEdit(
      String body, String remove, String set, com.fasterxml.jackson.databind.JsonNode value) {}

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
   * @param item the idempotency record's other attributes, as item values
   */
  public record Dedupe(
      String rule, String key, Long ttlSeconds, LinkedHashMap<String, String> item) {}

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
