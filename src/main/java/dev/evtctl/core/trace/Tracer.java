package dev.evtctl.core.trace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.evtctl.core.pipeline.InvalidSettingException;
import dev.evtctl.core.pipeline.Json;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.pipeline.PreparedEvent;
import dev.evtctl.core.pipeline.QueueMessage;
import dev.evtctl.core.queue.DeadLetterQueues;
import dev.evtctl.core.queue.HeldMessages;
import dev.evtctl.core.table.EventQuery;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Traces an id through the logs, the queues, the redrive audit trails and the events table.
 *
 * <p>The queues are read as {@code dlq peek} reads them: every visible message is received, held
 * invisible while the rest is read, and given back at once. So each visible message's receive count
 * goes up by one, as with a peek; on a source queue that counts towards its redrive policy's
 * maxReceiveCount. Messages in flight (being processed) are not visible and not seen.
 */
public final class Tracer {

  /** At most this many messages are read from each queue. */
  static final int MAX_PEEKED = 1000;

  /** Rounds of "these ids name those messages": a redrive of a redrive is two. */
  private static final int MAX_ROUNDS = 4;

  /** Log ids that name a group of events (EventQuery's session, tenant, company selectors). */
  private static final List<String> GROUP_KEYS = List.of("sessionId", "tenantId", "companyId");

  /** Log ids that say which event a message carried, matched against an item's attributes. */
  private static final List<String> EVENT_KEYS =
      List.of(
          "sessionId", "eventName", "tenantId", "eventType", "eventId", "companyId", "messageKey");

  private final SqsClient sqs;
  private final DynamoDbClient dynamoDb;

  public Tracer(SqsClient sqs, DynamoDbClient dynamoDb) {
    this.sqs = sqs;
    this.dynamoDb = dynamoDb;
  }

  /** A message read from a queue, and what the pipeline makes of its body. */
  private record Peeked(String source, Message message, PreparedEvent prepared) {}

  /** An item of the events table and its key. */
  private record Item(String key, EventQuery.StoredEvent event, Set<String> words) {}

  public Trace trace(TraceRequest request) {
    String id = request.id();
    Pipeline pipeline = request.pipeline();
    Instant now = Instant.now();
    List<String> searched = new ArrayList<>();
    List<String> notes = new ArrayList<>();

    List<JsonNode> audit = auditLines(request.auditFiles());
    if (!request.auditFiles().isEmpty()) {
      searched.add("redrive audit trails: " + request.auditFiles().size() + " file(s)");
    }
    List<Peeked> peeked = new ArrayList<>();
    peek(request.queueUrl(), "queue", pipeline, now, peeked, searched);
    peek(request.deadLetterUrl(), "dlq", pipeline, now, peeked, searched);

    // Which messageIds are about the id: those that name it, and those joined to them.
    Set<String> ids = new LinkedHashSet<>(List.of(id));
    Set<String> messageIds = new LinkedHashSet<>();
    Map<String, String> parent = new HashMap<>();
    List<JsonNode> lines = List.of();
    for (int round = 0; round < MAX_ROUNDS; round++) {
      int before = ids.size() + messageIds.size();
      for (JsonNode line : audit) {
        String old = text(line, "message_id");
        String renamed = text(line, "new_message_id");
        if (ids.contains(old) || (renamed != null && ids.contains(renamed))) {
          addMessage(old, ids, messageIds);
          if (renamed != null) {
            addMessage(renamed, ids, messageIds);
            union(parent, old, renamed);
          }
        }
      }
      for (Peeked p : peeked) {
        if (ids.contains(p.message().messageId()) || p.prepared().logIds().containsValue(id)) {
          addMessage(p.message().messageId(), ids, messageIds);
        }
      }
      if (request.logs().searched()) {
        lines = request.logs().linesAbout(Set.copyOf(ids));
        for (JsonNode line : lines) {
          String messageId = text(line, "messageId");
          String renamed = text(line, "newMessageId");
          addMessage(messageId, ids, messageIds);
          addMessage(renamed, ids, messageIds);
          if (messageId != null && renamed != null) {
            union(parent, messageId, renamed);
          }
        }
      }
      if (ids.size() + messageIds.size() == before) {
        break;
      }
    }
    if (request.logs().searched()) {
      lines = request.logs().linesAbout(Set.copyOf(ids));
      searched.add("logs: " + request.logs().source());
    }

    // The table: the id as a session, tenant or company; the groups the messages belong to; the
    // id as a whole key; and the INVALID records of the messages.
    Map<String, Item> items = new LinkedHashMap<>();
    boolean group = false;
    if (request.table() != null) {
      try {
        EventQuery query = new EventQuery(dynamoDb, pipeline, request.table());
        group = !find(query, pipeline, id, items).isEmpty();
        Set<String> groups = new LinkedHashSet<>();
        lines.forEach(line -> GROUP_KEYS.forEach(key -> groups.add(text(line, key))));
        peeked.stream()
            .filter(p -> messageIds.contains(p.message().messageId()))
            .forEach(p -> GROUP_KEYS.forEach(key -> groups.add(p.prepared().logIds().get(key))));
        groups.remove(null);
        groups.remove(id);
        for (String other : groups) {
          find(query, pipeline, other, items);
        }
        if (pipeline.sortKey() == null) {
          get(query, pipeline, Map.of(pipeline.partitionKey(), AttributeValue.fromS(id)), items);
        }
        // The days (UTC) an INVALID record of these messages may be filed under.
        Set<Instant> times = new HashSet<>(List.of(now));
        lines.forEach(line -> times.add(time(line.get("timestamp"))));
        audit.forEach(line -> times.add(time(line.get("time"))));
        peeked.forEach(p -> times.add(DeadLetterQueues.sentAt(p.message())));
        times.remove(null);
        Set<Instant> days = new TreeSet<>();
        times.forEach(time -> days.add(time.truncatedTo(ChronoUnit.DAYS)));
        // Many times fall on one day: each record's key is asked for once, 100 keys a call.
        Set<Map<String, AttributeValue>> keys = new LinkedHashSet<>();
        for (String messageId : messageIds) {
          for (Instant day : days) {
            Map<String, AttributeValue> key = pipeline.invalidRecordKey(messageId, day);
            if (key != null) {
              keys.add(key);
            }
          }
        }
        for (Map<String, AttributeValue> raw : query.items(keys)) {
          Item item = item(query, pipeline, raw);
          items.putIfAbsent(item.key(), item);
        }
        searched.add("table: " + request.table());
      } catch (ResourceNotFoundException e) {
        notes.add("table " + request.table() + " does not exist");
      }
    }
    boolean groupInLogs =
        lines.stream()
            .anyMatch(line -> GROUP_KEYS.stream().anyMatch(k -> id.equals(text(line, k))));
    boolean groupOnQueues =
        peeked.stream()
            .anyMatch(
                p -> GROUP_KEYS.stream().anyMatch(k -> id.equals(p.prepared().logIds().get(k))));
    group = group || groupInLogs || groupOnQueues;

    List<EventTrace> events =
        timelines(id, pipeline, now, audit, peeked, messageIds, parent, lines, items);
    return new Trace(
        id, group, events, request.logs().searched(), List.copyOf(searched), List.copyOf(notes));
  }

  private List<EventTrace> timelines(
      String id,
      Pipeline pipeline,
      Instant now,
      List<JsonNode> audit,
      List<Peeked> peeked,
      Set<String> messageIds,
      Map<String, String> parent,
      List<JsonNode> lines,
      Map<String, Item> items) {
    // One chain of messageIds per event: a redrive's old and new messageId are one event.
    Map<String, List<String>> chains = new LinkedHashMap<>();
    for (String messageId : messageIds) {
      chains.computeIfAbsent(find(parent, messageId), r -> new ArrayList<>()).add(messageId);
    }
    List<EventTrace> events = new ArrayList<>();
    Set<String> linked = new HashSet<>();
    for (List<String> chain : chains.values()) {
      Set<String> chainIds = new HashSet<>(chain);
      List<TraceStep> steps = new ArrayList<>();
      List<JsonNode> about =
          lines.stream().filter(line -> TraceLogs.isAbout(line, chainIds)).toList();
      // A drain says when it gave a message back (RETRY_BACKOFF): its batchItemFailures line
      // says no more than that.
      boolean backoffs =
          about.stream().anyMatch(line -> "RETRY_BACKOFF".equals(text(line, "code")));
      List<JsonNode> chainLines =
          about.stream()
              .filter(line -> !(backoffs && "BATCH_ITEM_FAILURES".equals(text(line, "code"))))
              .toList();
      chainLines.forEach(line -> steps.add(logStep(line, chainIds)));
      for (JsonNode line : audit) {
        if (chainIds.contains(text(line, "message_id"))) {
          TraceStep step = auditStep(line);
          if (step != null) {
            steps.add(step);
          }
        }
      }
      List<Peeked> held =
          peeked.stream().filter(p -> chainIds.contains(p.message().messageId())).toList();
      held.forEach(p -> steps.add(queueStep(p, now)));

      Item item = linkedItem(pipeline, chainIds, chainLines, held, items, linked);
      String event = null;
      if (item != null) {
        linked.add(item.key());
        steps.add(tableStep(pipeline, item, null));
        event = item.event().name();
      }
      if (event == null && !held.isEmpty()) {
        event = pipeline.describe(held.get(0).message().body());
      }
      if (event == null) {
        event =
            chainLines.stream()
                .map(line -> firstText(line, "eventName", "eventType"))
                .filter(Objects::nonNull)
                .findFirst()
                .orElse("message");
      }
      sort(steps);
      events.add(
          new EventTrace(
              event,
              item == null ? null : item.key(),
              List.copyOf(chain),
              verdict(pipeline, item, held, chainLines, steps),
              List.copyOf(steps)));
    }
    for (Item item : items.values()) {
      if (!linked.contains(item.key()) && item.words().contains(id)) {
        events.add(
            new EventTrace(
                item.event().name(),
                item.key(),
                List.of(),
                verdict(pipeline, item, List.of(), List.of(), List.of()),
                List.of(tableStep(pipeline, item, null))));
      }
    }
    return events;
  }

  /** The item of the chain's event: its INVALID record, its body's key, or its logged ids. */
  private static Item linkedItem(
      Pipeline pipeline,
      Set<String> chainIds,
      List<JsonNode> chainLines,
      List<Peeked> held,
      Map<String, Item> items,
      Set<String> linked) {
    for (Item item : items.values()) {
      if (chainIds.stream().anyMatch(item.words()::contains)) {
        return item;
      }
    }
    for (Peeked p : held) {
      if (p.prepared() instanceof PreparedEvent.Valid valid) {
        // The body's key says which item is its own: none, if it is not stored.
        return items.get(key(pipeline, valid.item()));
      }
    }
    for (JsonNode line : chainLines) {
      // An invalid event is not the valid item its ids name: its record was matched above.
      String code = text(line, "code");
      if (code == null || code.startsWith("INVALID_EVENT")) {
        continue;
      }
      List<String> words =
          EVENT_KEYS.stream().map(key -> text(line, key)).filter(Objects::nonNull).toList();
      if (words.isEmpty()) {
        continue;
      }
      // Log ids may not tell two events apart (txma logs a session and an event name, not the
      // timestamp of the key): such events are paired with the items in order, one each.
      return items.values().stream()
          .filter(item -> item.words().containsAll(words))
          .filter(item -> !linked.contains(item.key()))
          .findFirst()
          .orElse(null);
    }
    return null;
  }

  private static String verdict(
      Pipeline pipeline,
      Item item,
      List<Peeked> held,
      List<JsonNode> chainLines,
      List<TraceStep> steps) {
    for (Peeked p : held) {
      if (p.source().equals("dlq")) {
        return "in the DLQ after " + receives(p.message(), "receive");
      }
    }
    if (item != null) {
      String reason = reason(pipeline, item);
      return reason == null ? "stored" : "invalid: " + reason;
    }
    if (!held.isEmpty()) {
      return "on the queue after " + receives(held.get(0).message(), "receive");
    }
    TraceStep latest = null;
    for (TraceStep step : steps) {
      if (step.time() != null && !step.step().equals("returned")) {
        latest = step;
      }
    }
    if (latest != null && latest.source().equals("redrive")) {
      return latest.step().equals("redriven")
          ? "redriven " + latest.detail() + ", not seen since"
          : latest.step() + ": " + latest.reason();
    }
    for (int i = chainLines.size() - 1; i >= 0; i--) {
      JsonNode line = chainLines.get(i);
      String code = text(line, "code");
      if (code == null) {
        continue;
      }
      switch (code) {
        case "INVALID_EVENT":
          return "invalid: " + text(line, "reason");
        case "DUPLICATE_EVENT":
          return "duplicate of a stored event";
        case "EVENT_PERSISTED":
          return "stored (per the logs; not found in the table)";
        case "ERROR_WRITING_EVENT_TO_EVENTS_TABLE", "FAILED_TO_PROCESS_MESSAGES":
          return "retrying: " + text(line, "reason");
        case "MESSAGE_SENT":
          return "sent to " + text(line, "queue") + ", not seen since";
        default:
          break;
      }
    }
    return "never seen";
  }

  private static String receives(Message message, String word) {
    int n = receivesBefore(message);
    return n + " " + word + (n == 1 ? "" : "s");
  }

  /** The receive count SQS reports, less this trace's own receive. */
  private static int receivesBefore(Message message) {
    String count = message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
    return count == null ? 0 : Math.max(Integer.parseInt(count) - 1, 0);
  }

  private static TraceStep logStep(JsonNode line, Set<String> chainIds) {
    String code = Objects.requireNonNullElse(text(line, "code"), "(no code)");
    String source =
        line.has("function_request_id")
            ? "lambda"
            : Objects.requireNonNullElse(text(line, "sender"), "drain");
    String messageId = text(line, "messageId");
    if (messageId == null || !chainIds.contains(messageId)) {
      // A batchItemFailures line: about each message it lists.
      messageId = chainIds.stream().sorted().findFirst().orElse(null);
      JsonNode failures = line.get("batchItemFailures");
      if (failures != null) {
        for (JsonNode failure : failures) {
          if (chainIds.contains(failure.asText())) {
            messageId = failure.asText();
          }
        }
      }
    }
    String step =
        switch (code) {
          case "EVENT_PERSISTED" -> "PERSISTED";
          case "DUPLICATE_EVENT" -> "DUPLICATE";
          case "INVALID_EVENT" -> "INVALID";
          case "INVALID_EVENT_RECORDED" -> "recorded";
          case "INVALID_EVENT_SENT_TO_DLQ" -> "to DLQ";
          case "ERROR_WRITING_EVENT_TO_EVENTS_TABLE", "FAILED_TO_PROCESS_MESSAGES" -> "RETRY";
          case "MESSAGE_SKIPPED" -> "SKIPPED";
          case "BATCH_ITEM_FAILURES" -> "returned";
          case "REDRIVE_MOVED" -> "redriven";
          case "MESSAGE_SENT" -> "sent";
          case "RETRY_BACKOFF" -> "returned";
          default -> code;
        };
    String detail =
        switch (code) {
          case "INVALID_EVENT" -> "policy " + text(line, "invalidPolicy");
          case "REDRIVE_MOVED" -> "to " + text(line, "to");
          case "BATCH_ITEM_FAILURES" -> "for retry";
          case "MESSAGE_SENT" -> "to " + text(line, "queue");
          case "RETRY_BACKOFF" ->
              "back in "
                  + text(line, "backoffSeconds")
                  + " s, receive "
                  + text(line, "receiveCount");
          default -> null;
        };
    return new TraceStep(
        time(line.get("timestamp")),
        source,
        step,
        messageId,
        text(line, "newMessageId"),
        null,
        null,
        text(line, "reason"),
        detail);
  }

  /** A redrive's sent or failed step; its sending and deleted steps say nothing more. */
  private static TraceStep auditStep(JsonNode line) {
    String action = text(line, "action");
    if (action == null) {
      return null;
    }
    String to = text(line, "to") == null ? null : "to " + queueName(text(line, "to"));
    return switch (action) {
      case "sent" ->
          new TraceStep(
              time(line.get("time")),
              "redrive",
              "redriven",
              text(line, "message_id"),
              text(line, "new_message_id"),
              null,
              null,
              null,
              to);
      case "send_failed", "delete_failed" ->
          new TraceStep(
              time(line.get("time")),
              "redrive",
              action.replace('_', ' '),
              text(line, "message_id"),
              null,
              null,
              null,
              text(line, "reason"),
              to);
      default -> null;
    };
  }

  private static TraceStep queueStep(Peeked p, Instant now) {
    Instant sent = DeadLetterQueues.sentAt(p.message());
    String reason = p.prepared() instanceof PreparedEvent.Invalid invalid ? invalid.reason() : null;
    return new TraceStep(
        sent,
        p.source(),
        p.source().equals("dlq") ? "in DLQ" : "waiting",
        p.message().messageId(),
        null,
        receivesBefore(p.message()),
        sent == null ? null : Duration.between(sent, now),
        reason,
        receives(p.message(), "receive"));
  }

  private static TraceStep tableStep(Pipeline pipeline, Item item, String messageId) {
    String reason = reason(pipeline, item);
    JsonNode status = item.event().item().get("status");
    return new TraceStep(
        null,
        "table",
        reason == null ? "stored" : "INVALID",
        messageId,
        null,
        null,
        null,
        reason,
        status != null && status.isTextual()
            ? "status " + status.textValue()
            : item.event().time() != null ? "event time " + item.event().time() : item.key());
  }

  private static String reason(Pipeline pipeline, Item item) {
    if (pipeline.reasonAttribute() == null) {
      return null;
    }
    JsonNode reason = item.event().item().get(pipeline.reasonAttribute());
    return reason == null || reason.isNull() ? null : reason.asText();
  }

  /** By time, steps without one (the table's) last; otherwise in the order found. */
  private static void sort(List<TraceStep> steps) {
    steps.sort(
        Comparator.comparing(TraceStep::time, Comparator.nullsLast(Comparator.naturalOrder())));
  }

  private void peek(
      String url,
      String source,
      Pipeline pipeline,
      Instant now,
      List<Peeked> peeked,
      List<String> searched) {
    if (url == null) {
      return;
    }
    int count = 0;
    try (HeldMessages held = new HeldMessages(sqs, url)) {
      while (count < MAX_PEEKED) {
        List<Message> batch = held.receive(MAX_PEEKED - count);
        if (batch.isEmpty()) {
          break;
        }
        for (Message message : batch) {
          PreparedEvent prepared =
              pipeline.prepare(QueueMessage.of(message.messageId(), message.body()), now);
          peeked.add(new Peeked(source, message, prepared));
        }
        count += batch.size();
      }
    }
    searched.add(
        source
            + ": "
            + queueName(url)
            + " ("
            + count
            + (count >= MAX_PEEKED ? "+" : "")
            + " message"
            + (count == 1 ? "" : "s")
            + " peeked)");
  }

  /** The events of a session, tenant or company named id; none when the pipeline has no query. */
  private static List<Item> find(
      EventQuery query, Pipeline pipeline, String id, Map<String, Item> items) {
    List<Map<String, AttributeValue>> found;
    try {
      found = query.items(new EventQuery.Selector(id, id, id, null, null, null, null, 0));
    } catch (InvalidSettingException e) {
      return List.of();
    }
    List<Item> added = new ArrayList<>();
    for (Map<String, AttributeValue> raw : found) {
      Item item = item(query, pipeline, raw);
      items.putIfAbsent(item.key(), item);
      added.add(item);
    }
    return added;
  }

  private static void get(
      EventQuery query,
      Pipeline pipeline,
      Map<String, AttributeValue> key,
      Map<String, Item> items) {
    Map<String, AttributeValue> raw = query.item(key);
    if (raw != null && !raw.isEmpty()) {
      Item item = item(query, pipeline, raw);
      items.putIfAbsent(item.key(), item);
    }
  }

  private static Item item(EventQuery query, Pipeline pipeline, Map<String, AttributeValue> raw) {
    EventQuery.StoredEvent event = query.event(raw);
    Set<String> words = new HashSet<>();
    event
        .item()
        .fields()
        .forEachRemaining(
            field -> {
              if (field.getValue().isTextual()) {
                String value = field.getValue().textValue();
                words.add(value);
                words.addAll(List.of(value.split("#")));
              }
            });
    return new Item(key(pipeline, raw), event, words);
  }

  /** An item's key as one string: its partition key and sort key values. */
  private static String key(Pipeline pipeline, Map<String, AttributeValue> item) {
    return pipeline.keyOf(item).stream()
        .map(value -> value.s() != null ? value.s() : value.n())
        .collect(Collectors.joining(" "));
  }

  private static List<JsonNode> auditLines(List<Path> files) {
    List<JsonNode> lines = new ArrayList<>();
    for (Path file : files) {
      try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        for (String text = reader.readLine(); text != null; text = reader.readLine()) {
          try {
            JsonNode line = Json.readTree(text);
            if (line.isObject()) {
              lines.add(line);
            }
          } catch (JsonProcessingException e) {
            // A line cut short by a crash: the lines before it still say what moved.
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot read the audit trail " + file + ": " + e.getMessage(), e);
      }
    }
    return lines;
  }

  private static void addMessage(String messageId, Set<String> ids, Set<String> messageIds) {
    if (messageId != null) {
      ids.add(messageId);
      messageIds.add(messageId);
    }
  }

  private static String find(Map<String, String> parent, String id) {
    String root = id;
    while (parent.containsKey(root)) {
      root = parent.get(root);
    }
    return root;
  }

  private static void union(Map<String, String> parent, String a, String b) {
    String ra = find(parent, a);
    String rb = find(parent, b);
    if (!ra.equals(rb)) {
      parent.put(rb, ra);
    }
  }

  private static String text(JsonNode node, String key) {
    JsonNode value = node.get(key);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static String firstText(JsonNode node, String... keys) {
    for (String key : keys) {
      String value = text(node, key);
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  private static String queueName(String url) {
    return url.substring(url.lastIndexOf('/') + 1);
  }

  /** A log line's or audit line's time: epoch milliseconds, or RFC 3339. */
  static Instant time(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    try {
      if (value.isNumber()) {
        return Instant.ofEpochMilli(value.asLong());
      }
      String text = value.asText();
      if (text.chars().allMatch(Character::isDigit) && !text.isEmpty()) {
        return Instant.ofEpochMilli(Long.parseLong(text));
      }
      return OffsetDateTime.parse(text).toInstant();
    } catch (RuntimeException e) {
      try {
        return Instant.parse(value.asText());
      } catch (RuntimeException again) {
        return null;
      }
    }
  }
}
