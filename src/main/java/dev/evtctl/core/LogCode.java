package dev.evtctl.core;

/**
 * The {@code code} of every structured log line. The first four are those of the original TxMA
 * dequeue Lambda, kept so existing log queries and alarms keep working.
 */
public enum LogCode {
  ENVIRONMENT_VARIABLE_MISSING,
  FAILED_TO_PROCESS_MESSAGES,
  ERROR_WRITING_EVENT_TO_EVENTS_TABLE,
  PROCESSED_MESSAGES,
  EVENT_PERSISTED,
  DUPLICATE_EVENT,
  INVALID_EVENT,
  INVALID_EVENT_RECORDED,
  INVALID_EVENT_SENT_TO_DLQ,
  MESSAGE_SKIPPED
}
