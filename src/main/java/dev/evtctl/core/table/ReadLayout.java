package dev.evtctl.core.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evtctl.core.pipeline.FieldDefaults;
import dev.evtctl.core.pipeline.ItemContext;
import dev.evtctl.core.pipeline.Json;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.pipeline.PipelineDefinition;
import dev.evtctl.core.pipeline.PipelineDefinitionException;
import dev.evtctl.core.pipeline.Template;
import dev.evtctl.core.pipeline.ValueExpression;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How a pipeline's stored events are read back, as its definition's {@code read} section says:
 * which selector queries which key or index, the event's name and time, the columns {@code events}
 * shows, and how {@code replay} rebuilds a body from an item that stores the event's parts. Every
 * template reads the stored item as JSON, with the stored event text parsed.
 */
public final class ReadLayout {

  /** One way to look events up, compiled. */
  record Query(
      String index,
      Template partitionKey,
      Template sortKeyBeginsWith,
      boolean sortKeyTimeRange,
      Map<String, Template> scan) {

    boolean perDay() {
      return partitionKey != null && partitionKey.uses("$day");
    }

    /** Whether the query reads the --event-name filter itself (a sort key prefix). */
    boolean filtersEventName() {
      return sortKeyBeginsWith != null && sortKeyBeginsWith.uses("$eventName");
    }

    /** The selector variables it needs. */
    List<String> needs() {
      List<String> needs = new ArrayList<>();
      if (partitionKey != null) {
        needs.addAll(partitionKey.variables());
      }
      scan.values().forEach(value -> needs.addAll(value.variables()));
      needs.remove("$day");
      return needs;
    }
  }

  private static final String NAME_COLUMN = "$name";
  private static final String TIME_COLUMN = "$time";

  /** A column of {@code events}: a template over the item, or the event's name or time. */
  private record Column(Template template, String special) {}

  private final Template name;
  private final Template time;
  private final Map<String, Column> columns;
  private final List<Query> queries;
  private final Map<String, ValueExpression> replay;

  private ReadLayout(
      Template name,
      Template time,
      Map<String, Column> columns,
      List<Query> queries,
      Map<String, ValueExpression> replay) {
    this.name = name;
    this.time = time;
    this.columns = columns;
    this.queries = queries;
    this.replay = replay;
  }

  /** The pipeline's read layout, compiled from its definition. */
  public static ReadLayout of(Pipeline pipeline) {
    return compile(pipeline.read(), pipeline.name());
  }

  private static ReadLayout compile(PipelineDefinition.Read read, String pipeline) {
    if (read == null || read.queries() == null || read.queries().isEmpty()) {
      throw new PipelineDefinitionException(
          "pipeline " + pipeline + ": read.queries must say how events are looked up");
    }
    Map<String, Column> columns = new LinkedHashMap<>();
    if (read.columns() != null) {
      read.columns()
          .forEach(
              (column, spec) ->
                  columns.put(
                      column,
                      spec.equals(NAME_COLUMN) || spec.equals(TIME_COLUMN)
                          ? new Column(null, spec)
                          : new Column(Template.parse(spec), null)));
    }
    List<Query> queries = new ArrayList<>();
    for (PipelineDefinition.Query q : read.queries()) {
      Map<String, Template> scan = new LinkedHashMap<>();
      if (q.scan() != null) {
        q.scan().forEach((attribute, value) -> scan.put(attribute, Template.parse(value)));
      }
      if ((q.partitionKey() == null) == scan.isEmpty()) {
        throw new PipelineDefinitionException(
            "pipeline " + pipeline + ": a read query has a partitionKey or a scan, not both");
      }
      queries.add(
          new Query(
              q.index(),
              q.partitionKey() == null ? null : Template.parse(q.partitionKey()),
              q.sortKeyBeginsWith() == null ? null : Template.parse(q.sortKeyBeginsWith()),
              Boolean.TRUE.equals(q.sortKeyTimeRange()),
              Collections.unmodifiableMap(scan)));
    }
    Map<String, ValueExpression> replay = new LinkedHashMap<>();
    if (read.replay() != null) {
      read.replay().forEach((field, spec) -> replay.put(field, ValueExpression.parse(spec)));
    }
    return new ReadLayout(
        read.name() == null ? null : Template.parse(read.name()),
        read.time() == null ? null : Template.parse(read.time()),
        Collections.unmodifiableMap(columns),
        List.copyOf(queries),
        Collections.unmodifiableMap(replay));
  }

  /** The first query the selector gives every variable of, if any. */
  Optional<Query> queryFor(EventQuery.Selector selector) {
    return queries.stream()
        .filter(query -> query.needs().stream().allMatch(v -> value(selector, v) != null))
        .findFirst();
  }

  /** The selector flags this pipeline looks events up by, for an error: "--session or --status". */
  String selectors() {
    Set<String> flags = new LinkedHashSet<>();
    queries.forEach(
        query -> {
          List<String> needs = query.needs();
          if (!needs.isEmpty()) {
            flags.add("--" + needs.get(0).substring(1));
          }
        });
    return String.join(" or ", flags);
  }

  /** A selector's value of a template variable. */
  static String value(EventQuery.Selector selector, String variable) {
    return switch (variable) {
      case "$session" -> selector.session();
      case "$tenant" -> selector.tenant();
      case "$company" -> selector.company();
      case "$status" -> selector.status();
      case "$eventName" -> selector.eventName();
      default -> null;
    };
  }

  /** A template over a stored item for a selector (and, for per-day queries, a day). */
  record ItemSource(JsonNode document, EventQuery.Selector selector, String day)
      implements Template.Source {
    @Override
    public String variable(String name) {
      return name.equals("$day") ? day : selector == null ? null : value(selector, name);
    }
  }

  String name(ObjectNode item) {
    return name == null ? null : name.render(new ItemSource(item, null, null));
  }

  /** The event's time: epoch seconds (a whole number, or its text) or RFC 3339; else null. */
  Instant time(ObjectNode item) {
    String text = time == null ? null : time.render(new ItemSource(item, null, null));
    if (text == null) {
      return null;
    }
    try {
      if (text.chars().allMatch(Character::isDigit) && text.length() <= 12) {
        return Instant.ofEpochSecond(Long.parseLong(text));
      }
      return OffsetDateTime.parse(text).toInstant();
    } catch (RuntimeException e) {
      return null;
    }
  }

  public List<String> columns() {
    return List.copyOf(columns.keySet());
  }

  /** The row {@code events} prints for a stored event. */
  public Map<String, Object> row(EventQuery.StoredEvent event) {
    Map<String, Object> row = new LinkedHashMap<>();
    ItemSource source = new ItemSource(event.item(), null, null);
    columns.forEach(
        (name, column) -> {
          String value;
          if (column.template() != null) {
            value = column.template().render(source);
          } else if (NAME_COLUMN.equals(column.special())) {
            value = event.name();
          } else {
            value = event.time() == null ? null : event.time().toString();
          }
          row.put(name, value == null ? "" : value);
        });
    return row;
  }

  /** The body of an event whose item stores its parts, put together again; empty when none. */
  Optional<String> rebuiltBody(ObjectNode item) {
    if (replay.isEmpty()) {
      return Optional.empty();
    }
    ItemContext context =
        new ItemContext(item, null, null, null, null, null, 0, FieldDefaults.NONE);
    ObjectNode body = Json.MAPPER.createObjectNode();
    for (Map.Entry<String, ValueExpression> field : replay.entrySet()) {
      AttributeValue value = field.getValue().evaluate(context);
      if (value == null) {
        return Optional.empty();
      }
      body.set(field.getKey(), DynamoJson.toPlainJson(value));
    }
    return Optional.of(body.toString());
  }
}
