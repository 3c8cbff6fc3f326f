package dev.evtctl.core.logs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which log lines: each given (non-null) criterion must hold. The ids are the keys drain and the
 * Lambda write alike (DESIGN.md, Structured logs): {@code code}, {@code messageId}, {@code
 * sessionId} (txma) or {@code tenantId} (ledger), {@code eventName} (txma) or {@code eventType}
 * (ledger), {@code level}. A line that is not JSON has none of them: it matches only a filter with
 * no key criteria (the time bounds aside, which it matches when the source gives it a time).
 *
 * @param level this level and above
 * @param since at or after
 * @param until at or before
 */
public record LogFilter(
    String code,
    String session,
    String tenant,
    String messageId,
    String eventName,
    LogLevel level,
    Instant since,
    Instant until) {

  /** Every line. */
  public static final LogFilter ALL = new LogFilter(null, null, null, null, null, null, null, null);

  /** The lines that mention this message, of any code and time. */
  public static LogFilter message(String messageId) {
    return new LogFilter(null, null, null, messageId, null, null, null, null);
  }

  /** The same criteria, from a later time on (what a follow asks for next). */
  public LogFilter since(Instant from) {
    return new LogFilter(code, session, tenant, messageId, eventName, level, from, until);
  }

  /** Whether a criterion on the line's keys is given (beyond the time bounds). */
  public boolean hasKeyCriteria() {
    return code != null
        || session != null
        || tenant != null
        || messageId != null
        || eventName != null
        || level != null;
  }

  public boolean matches(LogLine line) {
    if (since != null || until != null) {
      if (line.time() == null
          || (since != null && line.time().isBefore(since))
          || (until != null && line.time().isAfter(until))) {
        return false;
      }
    }
    if (!hasKeyCriteria()) {
      return true;
    }
    if (line.json() == null) {
      return false;
    }
    if (!equal(code, line.field("code"))
        || !equal(session, line.field("sessionId"))
        || !equal(tenant, line.field("tenantId"))
        || !equal(messageId, line.field("messageId"))) {
      return false;
    }
    if (eventName != null
        && !eventName.equals(line.field("eventName"))
        && !eventName.equals(line.field("eventType"))) {
      return false;
    }
    if (level != null) {
      LogLevel of = LogLevel.of(line.field("level"));
      return of != null && of.compareTo(level) >= 0;
    }
    return true;
  }

  private static boolean equal(String wanted, String value) {
    return wanted == null || wanted.equals(value);
  }

  /**
   * The criteria as a CloudWatch Logs JSON filter pattern, e.g. {@code { ($.code = "INVALID_EVENT")
   * && ($.sessionId = "s1") }}, or null for every event. Filter pattern syntax
   * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html): string
   * values in double quotes, {@code &&} and {@code ||} with parentheses. A value the syntax cannot
   * quote safely (a double quote, a backslash, a control character) is left out: the server then
   * returns more, and {@link #matches} keeps the right lines. A {@code *} in a value is a wildcard
   * to CloudWatch; the same re-check makes it literal again.
   */
  public String toFilterPattern() {
    List<String> terms = new ArrayList<>();
    term(terms, "code", code);
    term(terms, "sessionId", session);
    term(terms, "tenantId", tenant);
    term(terms, "messageId", messageId);
    if (quotable(eventName)) {
      terms.add("($.eventName = \"" + eventName + "\" || $.eventType = \"" + eventName + "\")");
    }
    if (level != null) {
      List<String> names = new ArrayList<>();
      for (LogLevel at : LogLevel.values()) {
        if (at.compareTo(level) >= 0) {
          at.names().forEach(name -> names.add("$.level = \"" + name + "\""));
        }
      }
      terms.add("(" + String.join(" || ", names) + ")");
    }
    return terms.isEmpty() ? null : "{ " + String.join(" && ", terms) + " }";
  }

  private static void term(List<String> terms, String key, String value) {
    if (quotable(value)) {
      terms.add("($." + key + " = \"" + value + "\")");
    }
  }

  private static boolean quotable(String value) {
    return value != null && value.chars().noneMatch(c -> c == '"' || c == '\\' || c < 0x20);
  }
}
