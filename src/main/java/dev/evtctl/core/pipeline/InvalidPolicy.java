package dev.evtctl.core.pipeline;

import java.util.Locale;

/** What happens to an INVALID event before its message is acknowledged. */
public enum InvalidPolicy {
  /** Stored with status INVALID and the reason (the default). */
  RECORD,
  /** Sent to the dead-letter queue with the reason as a message attribute. */
  DLQ,
  /** Logged only. */
  DROP;

  public static InvalidPolicy parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException(
          "invalid policy '" + value + "' is not one of record, dlq, drop");
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
