package dev.evtctl.core.pipeline;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One SQS message as the core sees it, whichever door it came through (Lambda event or
 * ReceiveMessage).
 *
 * @param messageId the SQS message id (never used for dedupe: a redrive gives a new one)
 * @param body the body as received; may be null or empty
 * @param messageGroupId the FIFO message group, or null on a standard queue
 * @param attributes string message attributes, carried to the dead-letter queue
 */
public record QueueMessage(
    String messageId, String body, String messageGroupId, Map<String, String> attributes) {

  public QueueMessage {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  public static QueueMessage of(String messageId, String body) {
    return new QueueMessage(messageId, body, null, Map.of());
  }

  /**
   * The string message attributes of a received message, whichever door's type holds them (the
   * Lambda event's or the SDK's): binary and number-only values are not carried.
   */
  public static <V> Map<String, String> stringAttributes(
      Map<String, V> messageAttributes, Function<V, String> stringValue) {
    Map<String, String> strings = new HashMap<>();
    if (messageAttributes != null) {
      messageAttributes.forEach(
          (name, value) -> {
            String text = stringValue.apply(value);
            if (text != null) {
              strings.put(name, text);
            }
          });
    }
    return strings;
  }
}
