package dev.evtctl.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evtctl.core.pipeline.Json;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.pipeline.PreparedEvent;
import dev.evtctl.core.pipeline.QueueMessage;
import dev.evtctl.core.stack.StackNames;
import dev.evtctl.core.table.EventQuery;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Seed 001's routes over the {@code messages} pipeline: {@code POST /messages} validates as the
 * pipeline does and sends the message to the buffer queue (a drain or the Lambda stores it), {@code
 * GET /messages?company_id=C} reads through the {@code company_id-index}, {@code GET
 * /messages/{message_id}} reads one. Answers are JSON; a refusal is {@code {"error": reason}}.
 */
final class MessagesApi {

  private final SqsClient sqs;
  private final DynamoDbClient dynamoDb;
  private final String queue;
  private final String table;
  private final Pipeline messages = Pipelines.builtIn("messages");

  MessagesApi(SqsClient sqs, DynamoDbClient dynamoDb, String queue, String table) {
    this.sqs = sqs;
    this.dynamoDb = dynamoDb;
    this.queue = queue;
    this.table = table;
  }

  void post(Context ctx) {
    if (queue == null) {
      throw new RequestFailedException(
          404, "serve was started without a messages queue: give --messages-queue Q");
    }
    PreparedEvent prepared =
        messages.prepare(QueueMessage.of("http-" + UUID.randomUUID(), ctx.body()), Instant.now());
    if (prepared instanceof PreparedEvent.Invalid invalid) {
      throw new RequestFailedException(400, invalid.reason());
    }
    PreparedEvent.Valid valid = (PreparedEvent.Valid) prepared;
    String messageId = valid.item().get(messages.partitionKey()).s();
    ObjectNode answer = Json.MAPPER.createObjectNode().put("message_id", messageId);
    Map<String, AttributeValue> stored = table == null ? null : stored(messageId);
    if (stored != null) {
      // The pipeline's dedupe rule (conflict): the same body again is a duplicate, nothing to send;
      // another body under the same id would be kept out by the drain, so it is refused here.
      AttributeValue message = stored.get(messages.bodyAttribute());
      String storedText = message == null ? null : message.s();
      if (valid.item().get(messages.bodyAttribute()).s().equals(storedText)) {
        respond(ctx, 200, answer.put("duplicate", true).toString());
        return;
      }
      throw new RequestFailedException(
          409, "message_id " + messageId + " is already stored with a different body");
    }
    String queueUrl = queueUrl();
    SendMessageRequest.Builder send =
        SendMessageRequest.builder().queueUrl(queueUrl).messageBody(ctx.body());
    if (queueUrl.endsWith(".fifo")) {
      // FIFO: one message group per company, as the pipeline orders them; the stack's queues
      // deduplicate on content.
      send.messageGroupId(messages.groupOf(valid.event()).orElse("messages"));
    }
    String sqsMessageId;
    try {
      sqsMessageId = sqs.sendMessage(send.build()).messageId();
    } catch (SdkException e) {
      throw BackendFailures.of(e, "queue " + queue);
    }
    answer.put("sqs_message_id", sqsMessageId);
    respond(ctx, 202, answer.toString());
  }

  void byCompany(Context ctx) {
    String company = ctx.queryParam("company_id");
    if (company == null || company.isEmpty()) {
      throw new RequestFailedException(400, "query parameter company_id is required");
    }
    requireTable();
    ArrayNode found = Json.MAPPER.createArrayNode();
    try {
      new EventQuery(dynamoDb, messages, table)
          .find(new EventQuery.Selector(null, null, company, null, null, null, null, 0))
          .forEach(event -> found.add(event.item()));
    } catch (SdkException e) {
      throw BackendFailures.of(e, "table " + table);
    }
    respond(ctx, 200, found.toString());
  }

  void one(Context ctx) {
    String messageId = ctx.pathParam("message_id");
    requireTable();
    Map<String, AttributeValue> item = stored(messageId);
    if (item == null) {
      throw new RequestFailedException(404, "no message " + messageId + " in table " + table);
    }
    respond(ctx, 200, new EventQuery(dynamoDb, messages, table).event(item).item().toString());
  }

  private Map<String, AttributeValue> stored(String messageId) {
    try {
      return new EventQuery(dynamoDb, messages, table)
          .item(Map.of(messages.partitionKey(), AttributeValue.fromS(messageId)));
    } catch (SdkException e) {
      throw BackendFailures.of(e, "table " + table);
    }
  }

  private void requireTable() {
    if (table == null) {
      throw new RequestFailedException(
          404,
          "serve was started without a messages table: give --messages-queue Q or"
              + " --messages-table T");
    }
  }

  private String queueUrl() {
    if (queue.startsWith("http://") || queue.startsWith("https://")) {
      return queue;
    }
    try {
      return sqs.getQueueUrl(r -> r.queueName(StackNames.queueName(queue))).queueUrl();
    } catch (SdkException e) {
      throw BackendFailures.of(e, "queue " + queue);
    }
  }

  private static void respond(Context ctx, int status, String json) {
    ctx.status(status).contentType("application/json").result(json);
  }
}
