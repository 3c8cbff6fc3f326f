package dev.evtctl.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A message after parse, validate and key: ready to write, or INVALID with a reason. */
public sealed interface PreparedEvent {

  /** The ids logged with every line about this message (session, tenant, event name...). */
  Map<String, String> logIds();

  /**
   * An event ready to be written.
   *
   * @param eventText the event as received (the body, or the SNS Message / EventBridge detail)
   * @param event the parsed event
   * @param item the whole item, key attributes included
   * @param idempotencyKey the idempotency table key, or null for other dedupe rules
   * @param idempotencyAttributes the idempotency record's other attributes (its TTL aside)
   */
  record Valid(
      String eventText,
      JsonNode event,
      Map<String, AttributeValue> item,
      String idempotencyKey,
      Map<String, AttributeValue> idempotencyAttributes,
      Map<String, String> logIds)
      implements PreparedEvent {}

  /**
   * An event the pipeline does not accept.
   *
   * @param reason what is wrong, in a line a person can act on
   * @param event the parsed event, or null when the body is not JSON
   * @param eventText the event text, or the raw body when it did not unwrap
   */
  record Invalid(String reason, JsonNode event, String eventText, Map<String, String> logIds)
      implements PreparedEvent {}
}
