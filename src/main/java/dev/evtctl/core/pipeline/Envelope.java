package dev.evtctl.core.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Every pipeline accepts a raw body, an SNS notification wrapping it (SNS → SQS without raw message
 * delivery), or an EventBridge event wrapping it in {@code detail}.
 */
final class Envelope {

  /**
   * @param event the inner event
   * @param eventText the inner event as received: the body, the SNS Message string, or the
   *     EventBridge detail as compact JSON
   */
  record Unwrapped(JsonNode event, String eventText) {}

  private Envelope() {}

  static Unwrapped unwrap(JsonNode root, String body) throws JsonProcessingException {
    if (isSnsNotification(root)) {
      String message = root.get("Message").textValue();
      return unwrap(Json.readTree(message), message);
    }
    if (isEventBridgeEvent(root)) {
      JsonNode detail = root.get("detail");
      return new Unwrapped(detail, Json.MAPPER.writeValueAsString(detail));
    }
    return new Unwrapped(root, body);
  }

  // https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html
  private static boolean isSnsNotification(JsonNode root) {
    return root.isObject()
        && "Notification".equals(root.path("Type").textValue())
        && root.path("Message").isTextual()
        && root.has("TopicArn");
  }

  // https://docs.aws.amazon.com/eventbridge/latest/ref/overiew-event-structure.html
  private static boolean isEventBridgeEvent(JsonNode root) {
    return root.isObject()
        && root.path("detail-type").isTextual()
        && root.path("source").isTextual()
        && root.path("detail").isObject();
  }
}
