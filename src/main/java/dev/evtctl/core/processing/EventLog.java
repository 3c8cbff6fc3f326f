package dev.evtctl.core.processing;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Structured log lines: one JSON object per line with {@code level}, {@code code}, {@code message}
 * and the ids of the message at hand (the JSON layout is logback's, configured in logback.xml).
 * Event bodies are logged only at DEBUG: TxMA events carry personal data.
 */
public final class EventLog {

  private static final Logger LOG = LoggerFactory.getLogger("evtctl");

  /**
   * Whether bodies go with the debug lines: a level of its own, which follows evtctl's unless set,
   * so that the CLI can keep debug lines (EVENT_PERSISTED) without bodies in a local drain's file.
   */
  private static final Logger BODIES = LoggerFactory.getLogger("evtctl.bodies");

  private EventLog() {}

  /** A log line with its code and pipeline; add ids with {@code addKeyValue}, then {@code log}. */
  public static LoggingEventBuilder at(Level level, LogCode code, String pipeline) {
    LoggingEventBuilder builder = LOG.atLevel(level).addKeyValue("code", code.name());
    return pipeline == null ? builder : builder.addKeyValue("pipeline", pipeline);
  }

  static LoggingEventBuilder withIds(LoggingEventBuilder builder, Map<String, String> ids) {
    ids.forEach(builder::addKeyValue);
    return builder;
  }

  /** Whether lines of this level go anywhere: to skip working out their ids when they do not. */
  public static boolean enabled(Level level) {
    return LOG.isEnabledForLevel(level);
  }

  public static boolean bodiesEnabled() {
    return BODIES.isDebugEnabled();
  }
}
