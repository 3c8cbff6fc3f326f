package dev.evtctl.core.pipeline;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What key and item expressions are evaluated against.
 *
 * @param event the unwrapped event, or null when the body is not JSON
 * @param eventText the event as received (for an INVALID record, possibly truncated)
 * @param messageId the SQS message id
 * @param reason why the event is INVALID, or null
 * @param date today in UTC, yyyy-mm-dd
 * @param now the processing time ({@code $now}: RFC 3339 in UTC to the second, made when asked)
 * @param ttlEpochSeconds the TTL attribute value, or 0 for none
 * @param defaults the pipeline's values for fields an event leaves out
 */
public record ItemContext(
    JsonNode event,
    String eventText,
    String messageId,
    String reason,
    String date,
    Instant now,
    long ttlEpochSeconds,
    FieldDefaults defaults)
    implements Template.Source {

  @Override
  public JsonNode document() {
    return event;
  }

  @Override
  public String variable(String name) {
    return switch (name) {
      case "$messageId" -> messageId;
      case "$date" -> date;
      case "$now" -> now == null ? null : now.truncatedTo(ChronoUnit.SECONDS).toString();
      default -> null;
    };
  }

  @Override
  public String absent(JsonPointer pointer) {
    return defaults.valueFor(pointer, this);
  }
}
