package dev.evtctl.core.processing;

/**
 * The outcome of one message, with the reason a person can act on when it is not PERSISTED.
 *
 * @param messageId the SQS message id
 * @param outcome what happened
 * @param reason why (null for PERSISTED and DUPLICATE)
 */
public record MessageResult(String messageId, Outcome outcome, String reason) {

  static MessageResult persisted(String messageId) {
    return new MessageResult(messageId, Outcome.PERSISTED, null);
  }

  static MessageResult duplicate(String messageId) {
    return new MessageResult(messageId, Outcome.DUPLICATE, null);
  }
}
