package dev.evtctl.core.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evtctl.core.pipeline.InvalidSettingException;
import dev.evtctl.core.pipeline.Json;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.pipeline.PipelineDefinition;
import dev.evtctl.core.pipeline.PipelineDefinitionException;
import dev.evtctl.core.queue.BatchSender;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * What landed in a pipeline's events table for one session, tenant, company or status, every page
 * followed. Each event comes back as JSON: the item's attributes, with the stored event text
 * ({@code event}, {@code message}, {@code body}) parsed back into JSON.
 */
public final class EventQuery {

  /** Which events: exactly one of session, tenant, company, status (tenant may narrow status). */
  public record Selector(
      String session,
      String tenant,
      String company,
      String status,
      String eventName,
      Instant since,
      Instant until,
      int limit) {}

  /**
   * One stored event: its name (event name or type, may be null), time, the whole item, and the
   * event document field matchers look into (the TxMA event, the ledger item, the message).
   */
  public record StoredEvent(String name, Instant time, ObjectNode item, String bodyAttribute) {
    public JsonNode document() {
      JsonNode body = bodyAttribute == null ? null : item.get(bodyAttribute);
      return body != null && body.isObject() ? body : item;
    }
  }

  private final DynamoDbClient dynamoDb;
  private final Pipeline pipeline;
  private final String table;
  private final ReadLayout read;

  public EventQuery(DynamoDbClient dynamoDb, Pipeline pipeline, String table) {
    this.dynamoDb = dynamoDb;
    this.pipeline = pipeline;
    this.read = ReadLayout.of(pipeline);
    this.table = table;
  }

  public List<StoredEvent> find(Selector selector) {
    List<StoredEvent> events = new ArrayList<>();
    for (Map<String, AttributeValue> item : items(selector)) {
      StoredEvent event = toEvent(item);
      if (selector.eventName() != null && !selector.eventName().equals(event.name())) {
        continue;
      }
      if (event.time() != null
          && ((selector.since() != null && event.time().isBefore(selector.since()))
              || (selector.until() != null && event.time().isAfter(selector.until())))) {
        continue;
      }
      events.add(event);
      if (selector.limit() > 0 && events.size() >= selector.limit()) {
        break;
      }
    }
    // By the event's time, whatever the sort key orders by (a status key orders by message id);
    // events without a time last, in the order they were read.
    events.sort(
        java.util.Comparator.comparing(
            StoredEvent::time,
            java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder())));
    return events;
  }

  /**
   * The stored items for the session, tenant, company or status, as DynamoDB holds them, looked up
   * as the pipeline's read queries say; the name and time filters are applied by {@link #find}.
   */
  public List<Map<String, AttributeValue>> items(Selector selector) {
    ReadLayout.Query query =
        read.queryFor(selector)
            .orElseThrow(
                () ->
                    new InvalidSettingException(
                        "pipeline " + pipeline.name() + " looks events up by " + read.selectors()));
    long limit = pageLimit(selector, query);
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    if (!query.scan().isEmpty()) {
      scan(query, selector, limit, items);
      return items;
    }
    if (!query.perDay()) {
      query(query, new ReadLayout.ItemSource(null, selector, null), selector, limit, items);
      return items;
    }
    // One partition a day (txma's INVALID#<yyyy-mm-dd>), from --since to --until, today by default.
    LocalDate from = day(selector.since(), LocalDate.now(ZoneOffset.UTC));
    LocalDate to = day(selector.until(), LocalDate.now(ZoneOffset.UTC));
    for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
      query(
          query,
          new ReadLayout.ItemSource(null, selector, date.toString()),
          selector,
          limit - items.size(),
          items);
    }
    return items;
  }

  /** How many items to read at most: the limit, unless filters after the query may drop some. */
  private static long pageLimit(Selector selector, ReadLayout.Query query) {
    boolean filteredAfter =
        selector.since() != null
            || selector.until() != null
            || (selector.eventName() != null && !query.filtersEventName());
    return selector.limit() > 0 && !filteredAfter ? selector.limit() : Long.MAX_VALUE;
  }

  private void query(
      ReadLayout.Query query,
      ReadLayout.ItemSource variables,
      Selector selector,
      long limit,
      List<Map<String, AttributeValue>> items) {
    String partitionKey = pipeline.partitionKey();
    String sortKey = pipeline.sortKey();
    if (query.index() != null) {
      PipelineDefinition.Index index =
          pipeline.indexes().stream()
              .filter(i -> i.name().equals(query.index()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new PipelineDefinitionException(
                          "pipeline "
                              + pipeline.name()
                              + ": read query names index "
                              + query.index()
                              + ", which the table does not have"));
      partitionKey = index.partitionKey();
      sortKey = index.sortKey();
    }
    // Attribute names go through placeholders: status (ledger, messages) is a reserved word.
    Map<String, String> names = new HashMap<>(Map.of("#pk", partitionKey));
    Map<String, AttributeValue> values =
        new HashMap<>(Map.of(":pk", s(query.partitionKey().render(variables))));
    String condition = "#pk = :pk";
    String prefix =
        query.sortKeyBeginsWith() == null ? null : query.sortKeyBeginsWith().render(variables);
    if (sortKey != null && prefix != null) {
      condition += " AND begins_with(#sk, :prefix)";
      names.put("#sk", sortKey);
      values.put(":prefix", s(prefix));
    } else if (sortKey != null
        && query.sortKeyTimeRange()
        && (selector.since() != null || selector.until() != null)) {
      condition += " AND #sk BETWEEN :from AND :to";
      names.put("#sk", sortKey);
      values.put(":from", s(selector.since() == null ? "" : selector.since().toString()));
      values.put(":to", s(selector.until() == null ? "\uffff" : selector.until() + "\uffff"));
    }
    QueryRequest.Builder request =
        QueryRequest.builder()
            .tableName(table)
            .keyConditionExpression(condition)
            .expressionAttributeNames(names)
            .expressionAttributeValues(values);
    if (query.index() != null) {
      request.indexName(query.index());
    }
    // The SDK's paginator follows every page, lazily: the limit stops the paging as well.
    dynamoDb.queryPaginator(request.build()).items().stream().limit(limit).forEach(items::add);
  }

  /** A filtered scan (no key or index to query); the SDK's paginator follows every page. */
  private void scan(
      ReadLayout.Query query,
      Selector selector,
      long limit,
      List<Map<String, AttributeValue>> items) {
    ReadLayout.ItemSource variables = new ReadLayout.ItemSource(null, selector, null);
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    List<String> conditions = new ArrayList<>();
    query
        .scan()
        .forEach(
            (attribute, value) -> {
              int n = names.size();
              names.put("#a" + n, attribute);
              values.put(":v" + n, s(value.render(variables)));
              conditions.add("#a" + n + " = :v" + n);
            });
    dynamoDb
        .scanPaginator(
            ScanRequest.builder()
                .tableName(table)
                .filterExpression(String.join(" AND ", conditions))
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build())
        .items()
        .stream()
        .limit(limit)
        .forEach(items::add);
  }

  /**
   * The items of one partition whose sort key begins with a prefix, in sort key order (ascending,
   * as DynamoDB returns them), every page followed: the original TxMA events table's own query,
   * {@code pk = P AND begins_with(sk, S)}, which the GOV.UK Events API makes. Each item holds its
   * key and its stored event only.
   */
  public List<StoredEvent> keyPrefix(String partitionKeyValue, String sortKeyPrefix) {
    if (pipeline.sortKey() == null) {
      throw new InvalidSettingException(
          "pipeline " + pipeline.name() + " has no sort key to query by prefix");
    }
    QueryRequest request =
        QueryRequest.builder()
            .tableName(table)
            .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
            // The keys and the stored event only, as the original's API Gateway query projects.
            .projectionExpression("#pk, #sk, #body")
            .expressionAttributeNames(
                Map.of(
                    "#pk",
                    pipeline.partitionKey(),
                    "#sk",
                    pipeline.sortKey(),
                    "#body",
                    pipeline.bodyAttribute()))
            .expressionAttributeValues(
                Map.of(":pk", s(partitionKeyValue), ":prefix", s(sortKeyPrefix)))
            .build();
    List<StoredEvent> events = new ArrayList<>();
    dynamoDb.queryPaginator(request).items().forEach(item -> events.add(toEvent(item)));
    return events;
  }

  /** The item with this whole key, or null when there is none. */
  public Map<String, AttributeValue> item(Map<String, AttributeValue> key) {
    Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(table).key(key)).item();
    return item == null || item.isEmpty() ? null : item;
  }

  /** DynamoDB BatchGetItem: at most 100 keys a call. */
  static final int MAX_BATCH_GET = 100;

  /**
   * The items at these keys, those that exist, with BatchGetItem: 100 keys a call, keys DynamoDB
   * left unprocessed asked again with backoff (as TableWriter does for writes). Keys still
   * unprocessed after every attempt are read one by one.
   */
  public List<Map<String, AttributeValue>> items(Collection<Map<String, AttributeValue>> keys) {
    List<Map<String, AttributeValue>> found = new ArrayList<>();
    List<Map<String, AttributeValue>> all = List.copyOf(keys);
    for (int from = 0; from < all.size(); from += MAX_BATCH_GET) {
      List<Map<String, AttributeValue>> pending =
          new ArrayList<>(all.subList(from, Math.min(from + MAX_BATCH_GET, all.size())));
      for (int attempt = 1; !pending.isEmpty() && attempt <= TableWriter.MAX_ATTEMPTS; attempt++) {
        if (attempt > 1) {
          BatchSender.sleep(TableWriter.BACKOFF.computeDelay(attempt - 1));
        }
        KeysAndAttributes request = KeysAndAttributes.builder().keys(pending).build();
        BatchGetItemResponse response =
            dynamoDb.batchGetItem(r -> r.requestItems(Map.of(table, request)));
        found.addAll(response.responses().getOrDefault(table, List.of()));
        KeysAndAttributes left = response.unprocessedKeys().get(table);
        pending = left == null ? List.of() : new ArrayList<>(left.keys());
      }
      for (Map<String, AttributeValue> key : pending) {
        Map<String, AttributeValue> item = item(key);
        if (item != null) {
          found.add(item);
        }
      }
    }
    return found;
  }

  /** An item as {@link #find} returns it: as JSON, with its name and time. */
  public StoredEvent event(Map<String, AttributeValue> item) {
    return toEvent(item);
  }

  private StoredEvent toEvent(Map<String, AttributeValue> item) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    item.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(entry -> node.set(entry.getKey(), toJson(entry.getKey(), entry.getValue())));
    return new StoredEvent(read.name(node), read.time(node), node, pipeline.bodyAttribute());
  }

  /** A DynamoDB value as JSON; the stored event text shown as the JSON it is. */
  private JsonNode toJson(String name, AttributeValue value) {
    if (value.s() != null
        && (name.equals(pipeline.bodyAttribute())
            || name.equals(pipeline.invalidBodyAttribute()))) {
      try {
        return Json.readTree(value.s());
      } catch (IOException e) {
        return Json.MAPPER.getNodeFactory().textNode(value.s());
      }
    }
    return DynamoJson.toPlainJson(value);
  }

  private static LocalDate day(Instant instant, LocalDate otherwise) {
    return instant == null ? otherwise : instant.atOffset(ZoneOffset.UTC).toLocalDate();
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }
}
