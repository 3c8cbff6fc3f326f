package dev.evtctl.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.processing.MessageProcessor;
import dev.evtctl.core.queue.DeadLetterQueues;
import dev.evtctl.core.queue.MessageFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** A queue's messages as dlq peek and dlq redrive --dry-run show them. */
final class DeadLetterRows {

  /** The table fits 80 columns: the body is summed up by its event; -o json shows it whole. */
  static final List<String> COLUMNS = List.of("message_id", "age", "receives", "event", "reason");

  private DeadLetterRows() {}

  /** A message as a table row: its id, age, receives before now, event and reason. */
  static Map<String, Object> row(Message message, Pipeline pipeline, String reason, Instant now) {
    Instant sent = DeadLetterQueues.sentAt(message);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("message_id", message.messageId());
    row.put("age", sent == null ? null : Duration.between(sent, now));
    row.put("receives", receivesBefore(message));
    row.put("event", pipeline.describe(message.body()));
    row.put("reason", reason != null ? reason : invalidReason(message));
    return row;
  }

  /** A message whole, as -o json shows it: the document dlq redrive --filter looks into. */
  static ObjectNode document(Message message, String reason) {
    ObjectNode document = JsonNodeFactory.instance.objectNode();
    document.put("message_id", message.messageId());
    document.setAll(MessageFilter.document(message));
    document.put("sent", String.valueOf(DeadLetterQueues.sentAt(message)));
    document.put("first_received", String.valueOf(DeadLetterQueues.firstReceivedAt(message)));
    document.put("receives_before", receivesBefore(message));
    document.put("reason", reason);
    return document;
  }

  /** The reason the invalid policy dlq gave the message, or null. */
  static String invalidReason(Message message) {
    MessageAttributeValue value =
        message.messageAttributes().get(MessageProcessor.INVALID_REASON_ATTRIBUTE);
    return value == null ? null : value.stringValue();
  }

  /** The receive count SQS reports, less this peek's own receive. */
  private static int receivesBefore(Message message) {
    String count = message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
    return count == null ? 0 : Math.max(Integer.parseInt(count) - 1, 0);
  }
}
