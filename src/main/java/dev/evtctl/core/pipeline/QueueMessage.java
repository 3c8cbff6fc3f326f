package dev.evtctl.core.pipeline;

import java.util.Map;

/**
 * One SQS message as the core sees it, whichever door it came through (Lambda event or
 * ReceiveMessage).
 *
 * @param messageId the SQS message id (never used for dedupe: a redrive gives a new one)
 * @param body the body as received; may be null or empty
 * @param messageGroupId the FIFO message group, or null on a standard queue
 * @param receiveCount ApproximateReceiveCount, 0 when unknown
 * @param attributes string message attributes, carried to the dead-letter queue
 */
public record QueueMessage(
    String messageId,
    String body,
    String messageGroupId,
    int receiveCount,
    Map<String, String> attributes) {

  public QueueMessage {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  public static QueueMessage of(String messageId, String body) {
    return new QueueMessage(messageId, body, null, 0, Map.of());
  }
}
