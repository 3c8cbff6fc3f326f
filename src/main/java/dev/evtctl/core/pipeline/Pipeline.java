package dev.evtctl.core.pipeline;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A compiled pipeline definition: everything needed to turn a message body into the item to write,
 * without touching AWS. {@link #prepare} is the hot path (parse, unwrap, validate, key).
 */
public final class Pipeline {

  private static final int DEFAULT_MAX_BODY_BYTES = 256 * 1024;

  /** The TTL setting as {@link InvalidSettingException#setting} names it. */
  public static final String TTL_SECONDS = "TTL seconds";

  private final PipelineDefinition definition;
  private final Path base;
  private final int maxBodyBytes;

  /** The compiled schemas: built-in pipelines compile them at first use (CLI start-up). */
  private record Schemas(JsonSchema envelope, Map<String, JsonSchema> payloads) {}

  private volatile Schemas schemas;
  private final JsonPointer eventType;
  private final JsonPointer payload;
  private final String partitionKey;
  private final String sortKey;
  private final Map<String, Template> key;
  private final Map<String, ValueExpression> item;
  private final String bodyAttribute;
  private final long ttlSeconds;
  private final DedupeRule dedupeRule;
  private final Template idempotencyKey;
  private final long idempotencyTtlSeconds;
  private final Map<String, ValueExpression> idempotencyItem;
  private final InvalidPolicy invalidPolicy;
  private final boolean recordInvalidAtEventKey;
  private final Map<String, Template> fallbackKey;
  private final Map<String, ValueExpression> invalidItem;
  private final String reasonAttribute;
  private final Map<String, JsonPointer> logIds;
  private final FieldDefaults defaults;
  private final Set<String> allowedEventTypes;
  private final JsonPointer messageGroup;

  private Pipeline(
      PipelineDefinition d, Path base, long ttlSeconds, Set<String> allowedEventTypes) {
    this.definition = d;
    this.base = base;
    String name = require(d.name(), "name");
    this.maxBodyBytes = d.maxBodyBytes() == null ? DEFAULT_MAX_BODY_BYTES : d.maxBodyBytes();
    this.eventType = d.eventType() == null ? null : Template.pointer(d.eventType(), "eventType");
    this.payload = d.payload() == null ? null : Template.pointer(d.payload(), "payload");
    if (d.payloadSchemas() != null && (eventType == null || payload == null)) {
      throw new PipelineDefinitionException(
          "pipeline " + name + ": payloadSchemas needs eventType and payload pointers");
    }
    if (base != null) {
      // A user's pipeline file: a schema that does not load is an error at load time.
      schemas();
    }
    PipelineDefinition.Table table = require(d.table(), "table");
    this.partitionKey = require(table.partitionKey(), "table.partitionKey");
    this.sortKey = table.sortKey();
    this.key = templates(require(d.key(), "key"));
    if (!key.containsKey(partitionKey) || (sortKey != null && !key.containsKey(sortKey))) {
      throw new PipelineDefinitionException(
          "pipeline " + name + ": key must give the table's key attributes " + keyNames());
    }
    this.item = expressions(d.item() == null ? new LinkedHashMap<>() : d.item());
    this.bodyAttribute = attributeHolding(d.item(), "$body");
    this.ttlSeconds = ttlSeconds;
    PipelineDefinition.Dedupe dedupe = require(d.dedupe(), "dedupe");
    this.dedupeRule = DedupeRule.parse(require(dedupe.rule(), "dedupe.rule"));
    this.idempotencyKey =
        dedupeRule == DedupeRule.IDEMPOTENCY_TABLE
            ? Template.parse(require(dedupe.key(), "dedupe.key"))
            : null;
    this.idempotencyTtlSeconds = dedupe.ttlSeconds() == null ? 0 : dedupe.ttlSeconds();
    this.idempotencyItem =
        expressions(dedupe.item() == null ? new LinkedHashMap<>() : dedupe.item());
    if (dedupeRule == DedupeRule.CONTENT_SUFFIX && sortKey == null) {
      throw new PipelineDefinitionException(
          "pipeline " + name + ": dedupe rule content-suffix needs a table sort key");
    }
    if (dedupeRule != DedupeRule.IDEMPOTENCY_TABLE && bodyAttribute == null) {
      throw new PipelineDefinitionException(
          "pipeline "
              + name
              + ": dedupe rule "
              + dedupeRule.label()
              + " compares content, so one item attribute must be \"$body\"");
    }
    PipelineDefinition.Invalid invalid = require(d.invalid(), "invalid");
    this.invalidPolicy =
        invalid.policy() == null ? InvalidPolicy.RECORD : InvalidPolicy.parse(invalid.policy());
    this.recordInvalidAtEventKey = Boolean.TRUE.equals(invalid.recordAtEventKey());
    this.fallbackKey = templates(require(invalid.fallbackKey(), "invalid.fallbackKey"));
    if (!fallbackKey.keySet().equals(key.keySet())) {
      throw new PipelineDefinitionException(
          "pipeline " + name + ": invalid.fallbackKey must give exactly " + keyNames());
    }
    this.invalidItem = expressions(invalid.item() == null ? new LinkedHashMap<>() : invalid.item());
    this.reasonAttribute = attributeHolding(invalid.item(), "$reason");
    if (recordInvalidAtEventKey && reasonAttribute == null) {
      throw new PipelineDefinitionException(
          "pipeline "
              + name
              + ": recordAtEventKey needs an invalid item attribute \"$reason\", which tells an"
              + " invalid record (replaceable) from a stored event (never overwritten)");
    }
    Map<String, JsonPointer> logIds = new LinkedHashMap<>();
    if (d.logIds() != null) {
      d.logIds()
          .forEach((id, pointer) -> logIds.put(id, Template.pointer(pointer, "logIds." + id)));
    }
    this.logIds = Collections.unmodifiableMap(logIds);
    this.defaults = FieldDefaults.compile(d.defaults(), eventType);
    if (allowedEventTypes != null && eventType == null) {
      throw new PipelineDefinitionException(
          "pipeline " + name + ": allowedEventTypes needs the eventType pointer");
    }
    this.allowedEventTypes = allowedEventTypes;
    this.messageGroup =
        d.messageGroup() == null ? null : Template.pointer(d.messageGroup(), "messageGroup");
  }

  static Pipeline compile(PipelineDefinition definition, Path base) {
    long ttl = definition.ttlSeconds() == null ? 0 : definition.ttlSeconds();
    Set<String> allowed =
        definition.allowedEventTypes() == null ? null : Set.copyOf(definition.allowedEventTypes());
    return new Pipeline(definition, base, ttl, allowed);
  }

  /**
   * The same pipeline with another TTL for stored events (0 for none).
   *
   * @throws InvalidSettingException for a negative TTL
   */
  public Pipeline withTtlSeconds(long seconds) {
    if (seconds < 0) {
      throw InvalidSettingException.of(TTL_SECONDS, "must be 0 or more, not " + seconds);
    }
    return seconds == ttlSeconds
        ? this
        : new Pipeline(definition, base, seconds, allowedEventTypes);
  }

  /**
   * The same pipeline accepting only these event types (the original dequeue Lambda's allow-list);
   * any other type is INVALID. Null or empty: every type the schemas accept.
   */
  public Pipeline withAllowedEventTypes(Set<String> types) {
    Set<String> allowed = types == null || types.isEmpty() ? null : Set.copyOf(types);
    return new Pipeline(definition, base, ttlSeconds, allowed);
  }

  /** The event types accepted, or null when the pipeline has no allow-list. */
  public Set<String> allowedEventTypes() {
    return allowedEventTypes;
  }

  /** The environment variables a Lambda deployment reads for this pipeline (never null). */
  public PipelineDefinition.Environment environment() {
    return definition.environment() == null || definition.environment().ttlSeconds() == null
        ? new PipelineDefinition.Environment(List.of())
        : definition.environment();
  }

  /**
   * Whether senders give standard queues a MessageGroupId too (the message group: SQS fair queues,
   * which keep one noisy tenant from delaying the others), not FIFO queues only.
   */
  public boolean fairQueues() {
    return Boolean.TRUE.equals(definition.fairQueues()) && messageGroup != null;
  }

  /** How stored events are read back: the definition's {@code read} section. */
  public PipelineDefinition.Read read() {
    return definition.read();
  }

  /** How seed makes test events, or null when the definition does not say. */
  public PipelineDefinition.Seed seed() {
    return definition.seed();
  }

  /**
   * One valid event body as the definition gives it ({@code example}), to prime the path with, or
   * null when the definition has none.
   */
  public JsonNode example() {
    return definition.example();
  }

  public String name() {
    return definition.name();
  }

  /** The key of an item of the events table: its partition key's value, and its sort key's. */
  public List<AttributeValue> keyOf(Map<String, AttributeValue> item) {
    return sortKey == null
        ? List.of(item.get(partitionKey))
        : List.of(item.get(partitionKey), item.get(sortKey));
  }

  public String partitionKey() {
    return partitionKey;
  }

  /** The sort key attribute, or null for a table with a partition key only. */
  public String sortKey() {
    return sortKey;
  }

  /** The events table's global secondary indexes. */
  public List<PipelineDefinition.Index> indexes() {
    return definition.indexes() == null ? List.of() : definition.indexes();
  }

  /** The item attribute holding the TTL ({@code $ttl}), or null. */
  public String ttlAttribute() {
    return attributeHolding(definition.item(), "$ttl");
  }

  /** The attribute of an item definition whose value is this expression, or null. */
  private static String attributeHolding(Map<String, String> item, String expression) {
    if (item == null) {
      return null;
    }
    return item.entrySet().stream()
        .filter(e -> e.getValue().equals(expression))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElse(null);
  }

  public DedupeRule dedupeRule() {
    return dedupeRule;
  }

  public InvalidPolicy invalidPolicy() {
    return invalidPolicy;
  }

  public long ttlSeconds() {
    return ttlSeconds;
  }

  public long idempotencyTtlSeconds() {
    return idempotencyTtlSeconds;
  }

  /** The item attribute that holds the event as received. */
  public String bodyAttribute() {
    return bodyAttribute;
  }

  /** The attribute of INVALID records that holds the body as received, or null. */
  public String invalidBodyAttribute() {
    return attributeHolding(definition.invalid().item(), "$body");
  }

  /** The attribute holding the reason in INVALID records, which valid items never have. */
  public String reasonAttribute() {
    return reasonAttribute;
  }

  private String keyNames() {
    return sortKey == null ? "[" + partitionKey + "]" : "[" + partitionKey + ", " + sortKey + "]";
  }

  /**
   * Parse, unwrap, validate and key one message. Never throws for a bad body: every problem is an
   * {@link PreparedEvent.Invalid} with its reason.
   */
  public PreparedEvent prepare(QueueMessage message, Instant now) {
    String body = message.body();
    String problem = BodyCheck.problem(body, maxBodyBytes);
    if (problem != null) {
      return new PreparedEvent.Invalid(problem, null, body, Map.of());
    }
    Envelope.Unwrapped unwrapped;
    try {
      unwrapped = Envelope.unwrap(Json.readTree(body), body);
    } catch (JsonProcessingException e) {
      return new PreparedEvent.Invalid(
          "body is not JSON: " + Json.problem(e), null, body, Map.of());
    }
    JsonNode event = unwrapped.event();
    String eventText = unwrapped.eventText();
    if (!event.isObject()) {
      return new PreparedEvent.Invalid(
          "event is a JSON "
              + event.getNodeType().name().toLowerCase(Locale.ROOT)
              + ", not an object",
          event,
          eventText,
          Map.of());
    }
    Map<String, String> ids = logIds(event);
    String huge = BodyCheck.mayHoldHugeNumber(eventText) ? BodyCheck.hugeNumber(event, "") : null;
    if (huge != null) {
      return new PreparedEvent.Invalid(
          "the number at "
              + DisplayText.oneLine(abbreviate(huge))
              + " is beyond what a schema can check (±1.8e308)",
          event,
          eventText,
          ids);
    }
    Schemas compiled = schemas();
    if (compiled.envelope() != null) {
      problem = SchemaCatalog.problems(compiled.envelope(), event, "");
      if (problem != null) {
        return new PreparedEvent.Invalid("schema: " + problem, event, eventText, ids);
      }
    }
    String type = eventType == null ? null : Template.scalar(event, eventType);
    if (allowedEventTypes != null && (type == null || !allowedEventTypes.contains(type))) {
      return new PreparedEvent.Invalid(
          "event type '"
              + DisplayText.oneLine(abbreviate(type))
              + "' is not on the allow-list ("
              + allowedEventTypes.size()
              + " types)",
          event,
          eventText,
          ids);
    }
    if (!compiled.payloads().isEmpty()) {
      JsonSchema payloadSchema = type == null ? null : compiled.payloads().get(type);
      if (payloadSchema == null) {
        return new PreparedEvent.Invalid(
            "unknown event type '"
                + DisplayText.oneLine(abbreviate(type))
                + "' (pipeline "
                + name()
                + " accepts "
                + String.join(", ", compiled.payloads().keySet())
                + ")",
            event,
            eventText,
            ids);
      }
      problem = SchemaCatalog.problems(payloadSchema, event.at(payload), payload.toString());
      if (problem != null) {
        return new PreparedEvent.Invalid(type + " payload: " + problem, event, eventText, ids);
      }
    }
    ItemContext context = context(event, eventText, message.messageId(), null, now);
    Map<String, AttributeValue> attributes = new HashMap<>(16);
    for (Map.Entry<String, Template> part : key.entrySet()) {
      String value = part.getValue().render(context);
      if (value == null) {
        return new PreparedEvent.Invalid(
            keyProblem(part.getKey(), part.getValue()), event, eventText, ids);
      }
      int limit = part.getKey().equals(partitionKey) ? PARTITION_KEY_BYTES : SORT_KEY_BYTES;
      int bytes = utf8Length(value);
      if (bytes > limit) {
        return new PreparedEvent.Invalid(
            String.format(
                "key %s is %d bytes; DynamoDB allows at most %d", part.getKey(), bytes, limit),
            event,
            eventText,
            ids);
      }
      int unpaired = BodyCheck.unpairedSurrogate(value);
      if (unpaired >= 0) {
        return new PreparedEvent.Invalid(
            String.format(
                "key %s holds an unpaired surrogate U+%04X (DynamoDB would store '?')",
                part.getKey(), (int) value.charAt(unpaired)),
            event,
            eventText,
            ids);
      }
      attributes.put(part.getKey(), AttributeValue.fromS(value));
    }
    item.forEach(
        (name, expression) -> {
          AttributeValue value = expression.evaluate(context);
          if (value != null) {
            attributes.put(name, value);
          }
        });
    String idempotency = idempotencyKey == null ? null : idempotencyKey.render(context);
    if (idempotencyKey != null && idempotency == null) {
      return new PreparedEvent.Invalid(
          "idempotency key needs " + String.join(", ", idempotencyKey.pointers()),
          event,
          eventText,
          ids);
    }
    Map<String, AttributeValue> idempotencyAttributes = Map.of();
    if (idempotency != null && !idempotencyItem.isEmpty()) {
      idempotencyAttributes = new HashMap<>();
      for (Map.Entry<String, ValueExpression> attribute : idempotencyItem.entrySet()) {
        AttributeValue value = attribute.getValue().evaluate(context);
        if (value != null) {
          idempotencyAttributes.put(attribute.getKey(), value);
        }
      }
    }
    return new PreparedEvent.Valid(
        eventText, event, attributes, idempotency, idempotencyAttributes, ids);
  }

  /** DynamoDB's key limits, in bytes (Amazon DynamoDB Developer Guide, "Quotas": keys). */
  public static final int PARTITION_KEY_BYTES = 2048;

  public static final int SORT_KEY_BYTES = 1024;

  private static int utf8Length(String value) {
    if (value.length() * 3 <= SORT_KEY_BYTES) {
      return value.length(); // short enough whatever it holds: no need to count
    }
    return value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  /** Why a key part did not resolve: the fields it reads, and where a default would have held. */
  private String keyProblem(String attribute, Template template) {
    StringBuilder problem =
        new StringBuilder("key ")
            .append(attribute)
            .append(" needs a non-empty string or whole number at ")
            .append(String.join(", ", template.pointers()));
    for (String pointer : template.pointers()) {
      Set<String> types = defaults.eventTypesOf(pointer);
      if (types != null && !types.isEmpty()) {
        problem
            .append(" (only ")
            .append(String.join(", ", types.stream().sorted().toList()))
            .append(" may leave it out)");
      }
    }
    return problem.toString();
  }

  private ItemContext context(
      JsonNode event, String eventText, String messageId, String reason, Instant now) {
    return new ItemContext(
        event, eventText, messageId, reason, date(now), now, ttlAt(now), defaults);
  }

  private Schemas schemas() {
    Schemas compiled = schemas;
    if (compiled == null) {
      synchronized (this) {
        compiled = schemas;
        if (compiled == null) {
          Map<String, JsonSchema> payloads = new LinkedHashMap<>();
          if (definition.payloadSchemas() != null) {
            definition
                .payloadSchemas()
                .forEach((type, file) -> payloads.put(type, SchemaCatalog.load(file, base)));
          }
          compiled =
              new Schemas(
                  definition.schema() == null
                      ? null
                      : SchemaCatalog.load(definition.schema(), base),
                  Collections.unmodifiableMap(payloads));
          schemas = compiled;
        }
      }
    }
    return compiled;
  }

  /** The item recorded for an INVALID event under the event's own key, or null if not derivable. */
  public Map<String, AttributeValue> invalidItemAtEventKey(ItemContext context) {
    if (!recordInvalidAtEventKey) {
      return null;
    }
    return invalidItem(key, context);
  }

  /** The item recorded for an INVALID event under the fallback key. */
  public Map<String, AttributeValue> invalidItemAtFallbackKey(ItemContext context) {
    return Objects.requireNonNull(invalidItem(fallbackKey, context), "fallback key");
  }

  private Map<String, AttributeValue> invalidItem(
      Map<String, Template> keyTemplates, ItemContext context) {
    Map<String, AttributeValue> attributes = new HashMap<>();
    for (Map.Entry<String, Template> part : keyTemplates.entrySet()) {
      String value = part.getValue().render(context);
      if (value == null) {
        return null;
      }
      attributes.put(part.getKey(), AttributeValue.fromS(value));
    }
    invalidItem.forEach(
        (name, expression) -> {
          AttributeValue value = expression.evaluate(context);
          if (value != null) {
            attributes.put(name, value);
          }
        });
    return attributes;
  }

  /**
   * The key an INVALID record of this message gets when recorded on that day under the fallback key
   * (pk INVALID#yyyy-mm-dd and sk messageId for txma), or null if the key needs the event.
   */
  public Map<String, AttributeValue> invalidRecordKey(String messageId, Instant day) {
    ItemContext context = context(null, null, messageId, null, day);
    Map<String, AttributeValue> attributes = new HashMap<>();
    for (Map.Entry<String, Template> part : fallbackKey.entrySet()) {
      String value = part.getValue().render(context);
      if (value == null) {
        return null;
      }
      attributes.put(part.getKey(), AttributeValue.fromS(value));
    }
    return attributes;
  }

  public ItemContext invalidContext(
      PreparedEvent.Invalid invalid, String eventText, String messageId, Instant now) {
    return context(invalid.event(), eventText, messageId, invalid.reason(), now);
  }

  /**
   * What a body is, in a few words, for people looking at a queue: its event name or type (after
   * unwrapping SNS or EventBridge), else its first log id, else why it cannot say.
   */
  public String describe(String body) {
    JsonNode event;
    try {
      event = Envelope.unwrap(Json.readTree(body), body).event();
    } catch (JsonProcessingException | RuntimeException e) {
      return "(not JSON)";
    }
    String type = eventType == null ? null : Template.scalar(event, eventType);
    if (type != null) {
      return type;
    }
    return logIds(event).values().stream().findFirst().orElse("(no " + name() + " event)");
  }

  /**
   * The MessageGroupId of an event (its session, tenant or company: the definition's {@code
   * messageGroup}), for FIFO queues and, where the pipeline's queue is a fair queue, standard ones.
   */
  public Optional<String> groupOf(JsonNode event) {
    return messageGroup == null
        ? Optional.empty()
        : Optional.ofNullable(Template.scalar(event, messageGroup));
  }

  /** The log ids of a body (after unwrapping SNS or EventBridge); none if it is not JSON. */
  public Map<String, String> logIds(String body) {
    try {
      return logIds(Envelope.unwrap(Json.readTree(body), body).event());
    } catch (JsonProcessingException | RuntimeException e) {
      return Map.of();
    }
  }

  Map<String, String> logIds(JsonNode event) {
    if (logIds.isEmpty() || event == null) {
      return Map.of();
    }
    Map<String, String> ids = new LinkedHashMap<>();
    logIds.forEach(
        (id, pointer) -> {
          JsonNode node = event.at(pointer);
          if (node.isValueNode() && !node.isNull()) {
            ids.put(id, node.asText());
          }
        });
    return ids;
  }

  long ttlAt(Instant now) {
    return ttlSeconds > 0 ? now.getEpochSecond() + ttlSeconds : 0;
  }

  private static String date(Instant now) {
    return now.atOffset(ZoneOffset.UTC).toLocalDate().toString();
  }

  /** A value from the event, cut to 64 code points for a reason. */
  private static String abbreviate(String value) {
    if (value == null || value.codePointCount(0, value.length()) <= 64) {
      return value;
    }
    return value.substring(0, value.offsetByCodePoints(0, 64)) + "...";
  }

  private static Map<String, Template> templates(Map<String, String> specs) {
    Map<String, Template> compiled = new LinkedHashMap<>();
    specs.forEach((name, spec) -> compiled.put(name, Template.parse(spec)));
    return Collections.unmodifiableMap(compiled);
  }

  private static Map<String, ValueExpression> expressions(Map<String, String> specs) {
    Map<String, ValueExpression> compiled = new LinkedHashMap<>();
    specs.forEach((name, spec) -> compiled.put(name, ValueExpression.parse(spec)));
    return Collections.unmodifiableMap(compiled);
  }

  private static <T> T require(T value, String field) {
    if (value == null) {
      throw new PipelineDefinitionException("pipeline definition has no '" + field + "'");
    }
    return value;
  }
}
