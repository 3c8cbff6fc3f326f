package dev.evtctl.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evtctl.core.pipeline.InvalidSettingException;
import dev.evtctl.core.pipeline.Json;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.processing.MessageProcessor;
import dev.evtctl.core.queue.DeadLetterQueues;
import dev.evtctl.core.queue.HeldMessages;
import dev.evtctl.core.queue.MessageFilter;
import dev.evtctl.core.queue.Pacer;
import dev.evtctl.core.queue.Redrive;
import dev.evtctl.core.queue.RedriveAuditTrail;
import dev.evtctl.core.queue.RedrivePlan;
import dev.evtctl.core.stack.StackNames;
import dev.evtctl.core.table.EventQuery;
import dev.evtctl.core.trace.EventTrace;
import dev.evtctl.core.trace.Trace;
import dev.evtctl.core.trace.TraceLogs;
import dev.evtctl.core.trace.TraceRequest;
import dev.evtctl.core.trace.TraceStep;
import dev.evtctl.core.trace.Tracer;
import io.javalin.http.Context;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The console's data, as JSON under {@code /api}: queues with their DLQs, a queue's messages peeked
 * (received and given back at once, never consumed), a DLQ's redrive (dry run, or confirmed by
 * typing the queue's name) and purge, events by session, tenant, company or status, and the trace
 * timeline of an id. Reads need the token; changes need it in the header and the same origin
 * (RequestGuard). The engines are the core's, as the CLI's commands use them.
 */
final class ConsoleApi {

  private static final int PEEK_MAX = 50;

  private final SqsClient sqs;
  private final DynamoDbClient dynamoDb;
  private final ServeSettings settings;

  ConsoleApi(SqsClient sqs, DynamoDbClient dynamoDb, ServeSettings settings) {
    this.sqs = sqs;
    this.dynamoDb = dynamoDb;
    this.settings = settings;
  }

  /** Every queue: depth, and its dead-letter queue and sources, linked both ways. */
  void queues(Context ctx) {
    DeadLetterQueues dlqs = new DeadLetterQueues(sqs);
    Map<String, String> deadLetterOf = new HashMap<>();
    Map<String, List<String>> sourcesOf = new HashMap<>();
    for (DeadLetterQueues.Pair pair : dlqs.list("")) {
      deadLetterOf.put(pair.source(), pair.deadLetter());
      sourcesOf.computeIfAbsent(pair.deadLetter(), k -> new ArrayList<>()).add(pair.source());
    }
    ArrayNode queues = Json.MAPPER.createArrayNode();
    List<String> urls = new ArrayList<>();
    sqs.listQueuesPaginator(r -> r.maxResults(1000)).queueUrls().forEach(urls::add);
    for (String url : urls.stream().sorted().toList()) {
      // not the oldest message's age: sampling it means receiving, which counts towards a DLQ
      DeadLetterQueues.Depth depth = dlqs.depth(url, false);
      ObjectNode queue = queues.addObject();
      queue.put("name", StackNames.queueName(url));
      queue.put("url", url);
      queue.put("visible", depth.visible());
      queue.put("inFlight", depth.inFlight());
      queue.put("delayed", depth.delayed());
      String deadLetter = deadLetterOf.get(url);
      queue.put("deadLetterQueue", deadLetter == null ? null : StackNames.queueName(deadLetter));
      ArrayNode sources = queue.putArray("sources");
      sourcesOf.getOrDefault(url, List.of()).forEach(s -> sources.add(StackNames.queueName(s)));
    }
    json(ctx, queues);
  }

  /** Up to {@code max} messages of a queue, each received and given back at once. */
  void peek(Context ctx) {
    String url = queueUrl(ctx.pathParam("queue"));
    int max = intParameter(ctx, "max", 10, 1, PEEK_MAX);
    List<Message> messages = new ArrayList<>();
    try (HeldMessages held = new HeldMessages(sqs, url)) {
      while (messages.size() < max) {
        List<Message> batch = held.receive(Math.min(10, max - messages.size()));
        if (batch.isEmpty()) {
          break;
        }
        messages.addAll(batch);
      }
    }
    ArrayNode rows = Json.MAPPER.createArrayNode();
    Instant oldest = null;
    for (Message message : messages) {
      ObjectNode row = rows.addObject();
      row.put("messageId", message.messageId());
      Instant sent = DeadLetterQueues.sentAt(message);
      row.put("sent", sent == null ? null : sent.toString());
      if (sent != null && (oldest == null || sent.isBefore(oldest))) {
        oldest = sent;
      }
      String count = message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
      // less this peek's own receive
      row.put("receives", count == null ? 0 : Math.max(0, Integer.parseInt(count) - 1));
      MessageAttributeValue reason =
          message.messageAttributes().get(MessageProcessor.INVALID_REASON_ATTRIBUTE);
      row.put("reason", reason == null ? null : reason.stringValue());
      row.set("body", MessageFilter.body(message.body()));
    }
    ObjectNode answer = Json.MAPPER.createObjectNode();
    answer.put("queue", ctx.pathParam("queue"));
    answer.put("oldest", oldest == null ? null : oldest.toString());
    answer.set("messages", rows);
    json(ctx, answer);
  }

  /**
   * Redrive a DLQ: {@code {"dryRun": true, "filter": [...], "max": N, "to": Q}} reports exactly
   * what would move; without dryRun, {@code "confirm"} must be the queue's name.
   */
  void redrive(Context ctx) throws InterruptedException {
    String name = ctx.pathParam("queue");
    JsonNode request = requestBody(ctx);
    boolean dryRun = request.path("dryRun").asBoolean(false);
    if (!dryRun) {
      confirmed(request, name);
    }
    List<String> filters = new ArrayList<>();
    request.path("filter").forEach(f -> filters.add(f.asText()));
    MessageFilter filter;
    try {
      filter = MessageFilter.parse(filters.stream().filter(f -> !f.isBlank()).toList());
    } catch (InvalidSettingException e) {
      throw new RequestFailedException(400, e.getMessage());
    }
    long max = request.path("max").asLong(0);
    if (max < 0) {
      throw new RequestFailedException(400, "max must be 0 or more");
    }
    DeadLetterQueues queues = new DeadLetterQueues(sqs);
    String to = request.path("to").asText("");
    RedrivePlan plan;
    try {
      plan = RedrivePlan.of(queues, queueUrl(name), to.isBlank() ? null : queueUrl(to));
    } catch (dev.evtctl.core.queue.RedriveTargetUnknownException e) {
      throw new RequestFailedException(400, e.getMessage());
    }
    if (plan.target() == null || plan.targetIsSource()) {
      throw new RequestFailedException(
          400, "no queue to redrive " + name + " to: it is no queue's DLQ; give \"to\"");
    }
    ArrayNode wouldMove = Json.MAPPER.createArrayNode();
    Redrive.Summary summary;
    try (RedriveAuditTrail trail = auditTrail(dryRun, plan)) {
      Redrive.Listener listener =
          trail.then(
              new Redrive.Listener() {
                @Override
                public void wouldMove(Message message) {
                  synchronized (wouldMove) {
                    wouldMove
                        .addObject()
                        .put("messageId", message.messageId())
                        .set("body", MessageFilter.body(message.body()));
                  }
                }
              });
      summary =
          new Redrive(
                  sqs,
                  new Redrive.Settings(
                      plan.source(), plan.target(), filter, max, Pacer.of(null), dryRun, 2),
                  listener)
              .run();
    } catch (IOException e) {
      throw new RequestFailedException(500, "cannot write the redrive audit trail");
    }
    ObjectNode answer = Json.MAPPER.createObjectNode();
    answer.put("dryRun", dryRun);
    answer.put("from", name);
    answer.put("to", StackNames.queueName(plan.target()));
    answer.put("received", summary.received());
    answer.put("picked", summary.picked());
    answer.put("moved", summary.moved());
    answer.put("failed", summary.sendFailures() + summary.deleteFailures());
    answer.put("failure", summary.failure());
    answer.set("wouldMove", wouldMove);
    json(ctx, answer);
  }

  /** Purge a queue: {@code {"confirm": name}}. */
  void purge(Context ctx) {
    String name = ctx.pathParam("queue");
    confirmed(requestBody(ctx), name);
    String url = queueUrl(name);
    try {
      sqs.purgeQueue(r -> r.queueUrl(url));
    } catch (SdkException e) {
      throw BackendFailures.of(e, "queue " + name);
    }
    json(ctx, Json.MAPPER.createObjectNode().put("purged", name));
  }

  /** Events of a session, tenant, company or status, from a pipeline's table. */
  void events(Context ctx) {
    Pipeline pipeline = pipeline(ctx);
    String table = table(ctx, pipeline);
    String by = ctx.queryParam("by");
    String value = ctx.queryParam("value");
    if (value == null || value.isBlank()) {
      throw new RequestFailedException(400, "query parameter value is required");
    }
    EventQuery.Selector selector =
        switch (by == null ? "" : by) {
          case "session" -> new EventQuery.Selector(value, null, null, null, null, null, null, 500);
          case "tenant" -> new EventQuery.Selector(null, value, null, null, null, null, null, 500);
          case "company" -> new EventQuery.Selector(null, null, value, null, null, null, null, 500);
          case "status" -> new EventQuery.Selector(null, null, null, value, null, null, null, 500);
          default ->
              throw new RequestFailedException(
                  400, "query parameter by must be session, tenant, company or status");
        };
    ArrayNode found = Json.MAPPER.createArrayNode();
    try {
      new EventQuery(dynamoDb, pipeline, table)
          .find(selector)
          .forEach(
              event ->
                  found
                      .addObject()
                      .put("name", event.name())
                      .put("time", event.time() == null ? null : event.time().toString())
                      .set("item", event.item()));
    } catch (InvalidSettingException e) {
      throw new RequestFailedException(400, e.getMessage());
    } catch (SdkException e) {
      throw BackendFailures.of(e, "table " + table);
    }
    json(ctx, found);
  }

  /** The trace timeline of an id (core/trace), as trace prints it, without the logs. */
  void trace(Context ctx) {
    String id = ctx.queryParam("id");
    if (id == null || id.isBlank()) {
      throw new RequestFailedException(400, "query parameter id is required");
    }
    Pipeline pipeline = pipeline(ctx);
    String queue = ctx.queryParam("queue");
    String queueUrl = queue == null || queue.isBlank() ? null : queueUrl(queue);
    String deadLetterUrl = null;
    if (queueUrl != null) {
      StackNames names = StackNames.fromQueue(queue);
      try {
        deadLetterUrl = sqs.getQueueUrl(r -> r.queueName(names.deadLetterQueue())).queueUrl();
      } catch (SdkException e) {
        deadLetterUrl = null; // no DLQ by the stack naming
      }
    }
    String table = table(ctx, pipeline);
    Trace trace =
        new Tracer(sqs, dynamoDb)
            .trace(
                new TraceRequest(
                    id,
                    pipeline,
                    queueUrl,
                    deadLetterUrl,
                    table,
                    auditFiles(),
                    settings.traceLogs() == null ? TraceLogs.NONE : settings.traceLogs()));
    ObjectNode answer = Json.MAPPER.createObjectNode();
    answer.put("id", trace.id());
    answer.put("found", trace.found());
    ArrayNode events = answer.putArray("events");
    for (EventTrace event : trace.events()) {
      ObjectNode node = events.addObject();
      node.put("event", event.event());
      node.put("key", event.key());
      node.put("verdict", event.verdict());
      ArrayNode messageIds = node.putArray("messageIds");
      event.messageIds().forEach(messageIds::add);
      ArrayNode steps = node.putArray("steps");
      for (TraceStep step : event.steps()) {
        steps
            .addObject()
            .put("time", step.time() == null ? null : step.time().toString())
            .put("source", step.source())
            .put("step", step.step())
            .put("receives", step.receives())
            .put("reason", step.reason())
            .put("detail", step.detail());
      }
    }
    ArrayNode notes = answer.putArray("notes");
    trace.notes().forEach(notes::add);
    json(ctx, answer);
  }

  private Pipeline pipeline(Context ctx) {
    String name = ctx.queryParam("pipeline");
    name = name == null || name.isBlank() ? "txma" : name;
    if (!Pipelines.BUILT_IN.contains(name)) {
      throw new RequestFailedException(
          400, "pipeline must be one of " + String.join(", ", Pipelines.BUILT_IN));
    }
    return Pipelines.builtIn(name);
  }

  /** The table asked for, else the one serve was started with for that pipeline. */
  private String table(Context ctx, Pipeline pipeline) {
    String table = ctx.queryParam("table");
    if (table != null && !table.isBlank()) {
      return table;
    }
    String known = settings.tablesByPipeline().get(pipeline.name());
    if (known == null) {
      throw new RequestFailedException(400, "query parameter table is required");
    }
    return known;
  }

  private String queueUrl(String name) {
    try {
      return sqs.getQueueUrl(r -> r.queueName(StackNames.queueName(name))).queueUrl();
    } catch (SdkException e) {
      throw BackendFailures.of(e, "queue " + name);
    }
  }

  private static void confirmed(JsonNode request, String name) {
    if (!name.equals(request.path("confirm").asText())) {
      throw new RequestFailedException(400, "type the queue's name (" + name + ") to confirm");
    }
  }

  private static JsonNode requestBody(Context ctx) {
    String body = ctx.body();
    if (body.isBlank()) {
      return Json.MAPPER.createObjectNode();
    }
    try {
      JsonNode node = Json.readTree(body);
      if (!node.isObject()) {
        throw new RequestFailedException(400, "the request body must be a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new RequestFailedException(400, "the request body is not JSON");
    }
  }

  private RedriveAuditTrail auditTrail(boolean dryRun, RedrivePlan plan) throws IOException {
    Path directory = settings.auditDirectory();
    if (dryRun || directory == null) {
      return RedriveAuditTrail.none(plan.source(), plan.target());
    }
    Path file = directory.resolve(RedriveAuditTrail.fileName(plan.source(), Instant.now()));
    BufferedWriter writer = settings.auditWriter().open(file);
    return RedriveAuditTrail.start(writer, plan.source(), plan.target());
  }

  private List<Path> auditFiles() {
    Path directory = settings.auditDirectory();
    if (directory == null || !Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> f.toString().endsWith(".ndjson")).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static int intParameter(Context ctx, String name, int otherwise, int min, int max) {
    String value = ctx.queryParam(name);
    if (value == null || value.isBlank()) {
      return otherwise;
    }
    try {
      int number = Integer.parseInt(value);
      if (number >= min && number <= max) {
        return number;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new RequestFailedException(
        400, "query parameter " + name + " must be " + min + " to " + max);
  }

  private static void json(Context ctx, JsonNode body) {
    ctx.header("Cache-Control", "no-store");
    ctx.status(200).contentType("application/json").result(body.toString());
  }
}
