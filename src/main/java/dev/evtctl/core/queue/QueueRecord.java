package dev.evtctl.core.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evtctl.core.pipeline.Json;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * A queue message as one JSON line, in the shape {@code aws sqs receive-message} prints it: {@code
 * MessageId}, {@code Body}, {@code Attributes}, {@code MessageAttributes} (each with its {@code
 * DataType} and {@code StringValue} or base64 {@code BinaryValue}). What {@code export --queue}
 * writes and {@code import --queue} reads.
 */
public final class QueueRecord {

  private QueueRecord() {}

  public static ObjectNode toJson(Message message) {
    ObjectNode record = Json.MAPPER.createObjectNode();
    record.put("MessageId", message.messageId());
    record.put("Body", message.body());
    ObjectNode attributes = record.putObject("Attributes");
    new TreeMap<>(message.attributesAsStrings()).forEach(attributes::put);
    ObjectNode messageAttributes = record.putObject("MessageAttributes");
    new TreeMap<>(message.messageAttributes())
        .forEach(
            (name, value) -> {
              ObjectNode typed = messageAttributes.putObject(name);
              typed.put("DataType", value.dataType());
              if (value.stringValue() != null) {
                typed.put("StringValue", value.stringValue());
              }
              if (value.binaryValue() != null) {
                typed.put("BinaryValue", value.binaryValue().asByteArray());
              }
            });
    return record;
  }

  /**
   * A send entry (without its id) for a line: the body and message attributes as they were, and for
   * a FIFO queue the message's group (or {@code defaultGroup}). Throws {@link
   * IllegalArgumentException} saying what is wrong with a line that is not such a record.
   */
  public static SendMessageBatchRequestEntry.Builder toEntry(
      JsonNode record, boolean fifo, String defaultGroup) {
    if (record == null || !record.isObject() || !record.path("Body").isTextual()) {
      throw new IllegalArgumentException(
          "a queue record is an object with a \"Body\" string (as export --queue writes it)");
    }
    Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
    JsonNode given = record.path("MessageAttributes");
    if (!given.isMissingNode() && !given.isObject()) {
      throw new IllegalArgumentException("\"MessageAttributes\" is an object");
    }
    for (Map.Entry<String, JsonNode> attribute : given.properties()) {
      attributes.put(attribute.getKey(), attributeValue(attribute.getKey(), attribute.getValue()));
    }
    SendMessageBatchRequestEntry.Builder entry =
        SendMessageBatchRequestEntry.builder()
            .messageBody(record.get("Body").textValue())
            .messageAttributes(attributes);
    if (fifo) {
      JsonNode group =
          record.path("Attributes").path(MessageSystemAttributeName.MESSAGE_GROUP_ID.toString());
      entry
          .messageGroupId(group.isTextual() ? group.textValue() : defaultGroup)
          // Fresh: SQS would drop a second import of the same line within five minutes.
          .messageDeduplicationId(java.util.UUID.randomUUID().toString());
    }
    return entry;
  }

  private static MessageAttributeValue attributeValue(String name, JsonNode typed) {
    JsonNode dataType = typed.path("DataType");
    if (!dataType.isTextual()) {
      throw new IllegalArgumentException("message attribute " + name + " has no DataType");
    }
    MessageAttributeValue.Builder value =
        MessageAttributeValue.builder().dataType(dataType.textValue());
    if (typed.path("StringValue").isTextual()) {
      return value.stringValue(typed.get("StringValue").textValue()).build();
    }
    if (typed.path("BinaryValue").isTextual()) {
      try {
        return value
            .binaryValue(SdkBytes.fromByteArray(typed.get("BinaryValue").binaryValue()))
            .build();
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "message attribute " + name + ": BinaryValue is not base64");
      }
    }
    throw new IllegalArgumentException(
        "message attribute " + name + " has neither StringValue nor BinaryValue");
  }
}
