package dev.evtctl.core.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * One log line as a source found it.
 *
 * @param time when it was logged: its {@code timestamp} key, else the source's time for it (the
 *     CloudWatch event's timestamp), else null
 * @param stream the CloudWatch Logs stream, or null for a file
 * @param eventId the CloudWatch event id, or null for a file
 * @param text the line as written
 * @param json the line parsed, or null when it is not a JSON object (shown raw, never fatal)
 */
public record LogLine(Instant time, String stream, String eventId, String text, JsonNode json) {

  /** Lenient on purpose (unlike the core's strict mapper): a log line is read, never judged. */
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /**
   * @param sourceTime the time the source gives the line, or null
   */
  public static LogLine parse(Instant sourceTime, String stream, String eventId, String text) {
    JsonNode json = null;
    String trimmed = text.strip();
    if (trimmed.startsWith("{")) {
      try {
        JsonNode node = JSON.readTree(trimmed);
        if (node != null && node.isObject()) {
          json = node;
        }
      } catch (java.io.IOException notJson) {
        // shown raw
      }
    }
    Instant logged = json == null ? null : timestamp(json.get("timestamp"));
    return new LogLine(logged != null ? logged : sourceTime, stream, eventId, text, json);
  }

  /** The text value of a key of the line, or null (a raw line has none). */
  public String field(String key) {
    if (json == null) {
      return null;
    }
    JsonNode value = json.get(key);
    return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
  }

  /**
   * logback's LogstashEncoder writes {@code 2026-12-02T04:53:41.123+00:00}, Powertools {@code
   * 2026-12-02T04:53:41.123Z}; epoch milliseconds are read too.
   */
  static Instant timestamp(JsonNode value) {
    if (value == null) {
      return null;
    }
    if (value.isNumber()) {
      return Instant.ofEpochMilli(value.asLong());
    }
    if (!value.isTextual()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value.textValue()).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(value.textValue());
      } catch (DateTimeParseException neither) {
        return null;
      }
    }
  }
}
