package dev.evtctl.core.trace;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/**
 * Where trace reads the structured log lines of drain and the Lambda (one JSON object each, see
 * {@code core.processing.EventLog}). A source returns the lines <em>about</em> any of the ids:
 * those where one of {@link #ID_KEYS} holds one of them as text, or whose {@code batchItemFailures}
 * array holds one ({@link #isAbout}). A source may return more lines (trace filters again); it
 * never returns lines that are not JSON objects. A CloudWatch Logs source can put the same test in
 * a FilterLogEvents JSON pattern: {@code { $.messageId = "ID" || $.sessionId = "ID" || ... }}.
 */
public interface TraceLogs {

  /**
   * The log line keys that name a message or an event: the SQS messageId (and the new one a redrive
   * gives), and the pipelines' logIds (txma sessionId, ledger tenantId and eventId, messages
   * companyId and messageKey).
   */
  List<String> ID_KEYS =
      List.of(
          "messageId",
          "newMessageId",
          "sessionId",
          "tenantId",
          "eventId",
          "companyId",
          "messageKey");

  /** Logs were not searched: no source was given. */
  TraceLogs NONE =
      new TraceLogs() {
        @Override
        public List<JsonNode> linesAbout(Set<String> ids) {
          return List.of();
        }

        @Override
        public boolean searched() {
          return false;
        }

        @Override
        public String source() {
          return "none";
        }
      };

  /** The lines about any of the ids, oldest first. */
  List<JsonNode> linesAbout(Set<String> ids);

  /** False for {@link #NONE}: the trace then says that logs were not searched. */
  default boolean searched() {
    return true;
  }

  /** Where the lines come from, for the trace's header: a file, a log group. */
  String source();

  /** Whether the line is about one of the ids (see the interface's comment). */
  static boolean isAbout(JsonNode line, Set<String> ids) {
    if (!line.isObject()) {
      return false;
    }
    for (String key : ID_KEYS) {
      JsonNode value = line.get(key);
      if (value != null && value.isTextual() && ids.contains(value.textValue())) {
        return true;
      }
    }
    JsonNode failures = line.get("batchItemFailures");
    if (failures != null && failures.isArray()) {
      for (JsonNode failure : failures) {
        if (ids.contains(failure.asText())) {
          return true;
        }
      }
    }
    return false;
  }
}
