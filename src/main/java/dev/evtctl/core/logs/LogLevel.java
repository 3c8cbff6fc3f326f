package dev.evtctl.core.logs;

import java.util.List;
import java.util.Locale;

/** The levels of the log lines, lowest first; {@code --level L} keeps L and above. */
public enum LogLevel {
  TRACE(List.of("TRACE")),
  DEBUG(List.of("DEBUG")),
  INFO(List.of("INFO")),
  WARN(List.of("WARN", "WARNING")),
  // Lambda's advanced logging controls have FATAL, Python's logging CRITICAL: both are errors here.
  ERROR(List.of("ERROR", "FATAL", "CRITICAL"));

  private final List<String> names;

  LogLevel(List<String> names) {
    this.names = names;
  }

  /** The spellings of this level a line may carry. */
  List<String> names() {
    return names;
  }

  /** The level a line's {@code level} value names, or null when it names none. */
  static LogLevel of(String value) {
    if (value == null) {
      return null;
    }
    String name = value.strip().toUpperCase(Locale.ROOT);
    for (LogLevel level : values()) {
      if (level.names.contains(name)) {
        return level;
      }
    }
    return null;
  }
}
