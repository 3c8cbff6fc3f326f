package dev.evtctl.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evtctl.core.pipeline.Json;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.table.EventQuery;
import io.javalin.http.Context;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The GOV.UK test-resources Events API (openApiSpecs/events-spec.yaml of
 * govuk-one-login/mobile-id-check-async), over the txma events table: {@code GET
 * /events?pkPrefix=P&skPrefix=S} queries {@code pk = P AND begins_with(sk, S)} and answers the
 * matching items as {@code [{"pk", "sk", "event"}]} in sort key order, {@code Not Found} (404) when
 * none match, {@code Bad Request} (400) when a parameter is missing, every answer with the spec's
 * headers. The spec's bodies are kept word for word; the reason of a refusal is in the {@value
 * #REASON_HEADER} header.
 */
final class EventsApi {

  static final String PATH = "/events";
  static final String REASON_HEADER = "X-Evtctl-Reason";

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final Pipeline txma = Pipelines.builtIn("txma");

  EventsApi(DynamoDbClient dynamoDb, String table) {
    this.dynamoDb = dynamoDb;
    this.table = table;
  }

  /**
   * The headers the spec's API Gateway integration sets on every answer: no-store, JSON, HSTS,
   * nosniff, DENY.
   */
  static void specHeaders(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    ctx.header("Content-Type", "application/json");
    ctx.header("Strict-Transport-Security", "max-age=31536000");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
  }

  void get(Context ctx) {
    String partitionKey = required(ctx, "pkPrefix");
    String sortKeyPrefix = required(ctx, "skPrefix");
    if (table == null) {
      throw new RequestFailedException(
          404, "serve was started without an events table: give --table T or --queue Q");
    }
    List<EventQuery.StoredEvent> events;
    try {
      events = new EventQuery(dynamoDb, txma, table).keyPrefix(partitionKey, sortKeyPrefix);
    } catch (SdkException e) {
      throw BackendFailures.of(e, "table " + table);
    }
    if (events.isEmpty()) {
      specHeaders(ctx);
      ctx.status(404).result("Not Found");
      return;
    }
    ArrayNode body = Json.MAPPER.createArrayNode();
    for (EventQuery.StoredEvent event : events) {
      ObjectNode item = event.item();
      ObjectNode entry = body.addObject();
      entry.set("pk", item.get(txma.partitionKey()));
      entry.set("sk", item.get(txma.sortKey()));
      JsonNode stored = item.get(txma.bodyAttribute());
      entry.set("event", stored == null ? Json.MAPPER.nullNode() : stored);
    }
    specHeaders(ctx);
    ctx.status(200).result(body.toString());
  }

  /** A refusal as the spec words it, with the reason beside it. */
  static void refuse(Context ctx, RequestFailedException e) {
    specHeaders(ctx);
    ctx.header(REASON_HEADER, e.getMessage());
    ctx.status(e.status())
        .result(
            switch (e.status()) {
              case 400 -> "Bad Request";
              case 403 -> "Access Denied";
              case 404 -> "Not Found";
              case 502 -> "Bad Gateway";
              default -> "Internal server error";
            });
  }

  private static String required(Context ctx, String name) {
    String value = ctx.queryParam(name);
    if (value == null || value.isEmpty()) {
      throw new RequestFailedException(400, "query parameter " + name + " is required");
    }
    return value;
  }
}
