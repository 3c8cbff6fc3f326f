package dev.evtctl.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
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
  public record StoredEvent(String name, Instant time, ObjectNode item) {
    public JsonNode document() {
      if (item.path("event").isObject()) {
        return item.get("event");
      }
      if (item.path("message").isObject()) {
        return item.get("message");
      }
      return item;
    }
  }

  private final DynamoDbClient dynamoDb;
  private final Pipeline pipeline;
  private final String table;

  public EventQuery(DynamoDbClient dynamoDb, Pipeline pipeline, String table) {
    this.dynamoDb = dynamoDb;
    this.pipeline = pipeline;
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
    return events;
  }

  /**
   * The stored items for the session, tenant, company or status, as DynamoDB holds them; the name
   * and time filters are applied by {@link #find}.
   */
  public List<Map<String, AttributeValue>> items(Selector selector) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    switch (pipeline.name()) {
      case "txma" -> txma(selector, items);
      case "ledger" -> ledger(selector, items);
      case "messages" -> messages(selector, items);
      default ->
          throw new PipelineConfigException("events does not know pipeline " + pipeline.name());
    }
    return items;
  }

  private void txma(Selector selector, List<Map<String, AttributeValue>> items) {
    if (selector.session() != null) {
      String prefix =
          selector.eventName() == null
              ? "TXMA#EVENT_NAME#"
              : "TXMA#EVENT_NAME#" + selector.eventName() + "#";
      query(
          null,
          "pk = :pk AND begins_with(sk, :prefix)",
          Map.of(":pk", s("SESSION#" + selector.session()), ":prefix", s(prefix)),
          pageLimit(selector),
          items);
    } else if (selector.status() != null) {
      // INVALID records: pk INVALID#<yyyy-mm-dd>, one partition a day.
      LocalDate from = day(selector.since(), LocalDate.now(ZoneOffset.UTC));
      LocalDate to = day(selector.until(), LocalDate.now(ZoneOffset.UTC));
      for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
        query(null, "pk = :pk", Map.of(":pk", s("INVALID#" + date)), pageLimit(selector), items);
      }
    } else {
      throw new PipelineConfigException(
          "pipeline txma looks events up by --session (or --status INVALID)");
    }
  }

  private void ledger(Selector selector, List<Map<String, AttributeValue>> items) {
    if (selector.status() != null) {
      String condition = "#status = :status";
      Map<String, AttributeValue> values = new HashMap<>(Map.of(":status", s(selector.status())));
      if (selector.tenant() != null) {
        condition += " AND begins_with(tenant_id_created_at, :tenant)";
        values.put(":tenant", s(selector.tenant() + "#"));
      }
      query("gsi_status_tenant", condition, values, pageLimit(selector), items);
    } else if (selector.tenant() != null) {
      String condition = "tenant_id = :tenant";
      Map<String, AttributeValue> values = new HashMap<>(Map.of(":tenant", s(selector.tenant())));
      if (selector.since() != null || selector.until() != null) {
        condition += " AND sk BETWEEN :from AND :to";
        values.put(":from", s(selector.since() == null ? "" : selector.since().toString()));
        values.put(":to", s(selector.until() == null ? "\uffff" : selector.until() + "\uffff"));
      }
      query(null, condition, values, pageLimit(selector), items);
    } else {
      throw new PipelineConfigException("pipeline ledger looks events up by --tenant or --status");
    }
  }

  private void messages(Selector selector, List<Map<String, AttributeValue>> items) {
    if (selector.company() != null) {
      query(
          "company_id-index",
          "company_id = :company",
          Map.of(":company", s(selector.company())),
          pageLimit(selector),
          items);
    } else if (selector.status() != null) {
      // No index on status: a filtered scan; the SDK's paginator follows every page.
      dynamoDb
          .scanPaginator(
              ScanRequest.builder()
                  .tableName(table)
                  .filterExpression("#status = :status")
                  .expressionAttributeNames(Map.of("#status", "status"))
                  .expressionAttributeValues(Map.of(":status", s(selector.status())))
                  .build())
          .items()
          .stream()
          .limit(pageLimit(selector))
          .forEach(items::add);
    } else {
      throw new PipelineConfigException(
          "pipeline messages looks events up by --company or --status");
    }
  }

  /** How many items to read at most: the limit, unless filters after the query may drop some. */
  private long pageLimit(Selector selector) {
    boolean filteredAfter =
        selector.since() != null
            || selector.until() != null
            || (selector.eventName() != null && !pipeline.name().equals("txma"));
    return selector.limit() > 0 && !filteredAfter ? selector.limit() : Long.MAX_VALUE;
  }

  private void query(
      String index,
      String condition,
      Map<String, AttributeValue> values,
      long limit,
      List<Map<String, AttributeValue>> items) {
    QueryRequest.Builder request =
        QueryRequest.builder()
            .tableName(table)
            .keyConditionExpression(condition)
            .expressionAttributeValues(values);
    if (condition.contains("#status")) {
      // status is a DynamoDB reserved word
      request.expressionAttributeNames(Map.of("#status", "status"));
    }
    if (index != null) {
      request.indexName(index);
    }
    // The SDK's paginator follows every page, lazily: the limit stops the paging as well.
    dynamoDb.queryPaginator(request.build()).items().stream().limit(limit).forEach(items::add);
  }

  private StoredEvent toEvent(Map<String, AttributeValue> item) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    item.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(entry -> node.set(entry.getKey(), toJson(entry.getKey(), entry.getValue())));
    String name = null;
    Instant time = null;
    switch (pipeline.name()) {
      case "txma" -> {
        JsonNode event = node.path("event");
        name = event.path("event_name").isTextual() ? event.path("event_name").textValue() : null;
        time =
            event.path("timestamp").canConvertToLong()
                ? Instant.ofEpochSecond(event.path("timestamp").asLong())
                : null;
      }
      case "ledger" -> {
        name = node.path("event_type").isTextual() ? node.path("event_type").textValue() : null;
        time = instant(node.path("sk").asText("").split("#", 2)[0]);
      }
      default -> {
        name = node.path("status").asText(null);
        time = instant(node.path("message_time").asText(""));
      }
    }
    return new StoredEvent(name, time, node);
  }

  /** A DynamoDB value as JSON; the stored event text shown as the JSON it is. */
  private static JsonNode toJson(String name, AttributeValue value) {
    if (value.s() != null
        && (name.equals("event") || name.equals("message") || name.equals("body"))) {
      try {
        return Json.readTree(value.s());
      } catch (IOException e) {
        return Json.MAPPER.getNodeFactory().textNode(value.s());
      }
    }
    return DynamoJson.toPlainJson(value);
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static LocalDate day(Instant instant, LocalDate otherwise) {
    return instant == null ? otherwise : instant.atOffset(ZoneOffset.UTC).toLocalDate();
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }
}
