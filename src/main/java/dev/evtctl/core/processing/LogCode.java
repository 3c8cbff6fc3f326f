package dev.evtctl.core.processing;

/**
 * The {@code code} of every structured log line. The first four are those of the original TxMA
 * dequeue Lambda, with its meanings, kept so existing log queries and alarms keep working.
 */
public enum LogCode {
  /** A handler environment variable is missing or wrong; every invocation fails. */
  ENVIRONMENT_VARIABLE_MISSING,
  /** A record could not be processed (internal error, invalid policy failed); it is retried. */
  FAILED_TO_PROCESS_MESSAGES,
  /** Writing a record's event to the events table failed; the record is retried. */
  ERROR_WRITING_EVENT_TO_EVENTS_TABLE,
  /** A batch is done: one line with the count of each outcome. */
  PROCESSED_MESSAGES,
  /** A whole batch failed (table not found, access denied); none of it is acknowledged. */
  BATCH_FAILED,
  /** The batchItemFailures of a batch: the messages returned to the queue for retry. */
  BATCH_ITEM_FAILURES,
  /** An event was stored (debug). */
  EVENT_PERSISTED,
  /** An event was already stored with the same content; its message is acknowledged. */
  DUPLICATE_EVENT,
  /** An event is invalid; the invalid policy says what happens to it. */
  INVALID_EVENT,
  /** An invalid event was recorded in the events table (debug). */
  INVALID_EVENT_RECORDED,
  /** An invalid event was sent to the dead-letter queue. */
  INVALID_EVENT_SENT_TO_DLQ,
  /** A FIFO message was skipped because an earlier one of its group is retried. */
  MESSAGE_SKIPPED,
  /** A redrive moved a message from the dead-letter queue: its old and new messageId (debug). */
  REDRIVE_MOVED,
  /** seed, import or replay sent a message: its messageId, queue and the event's ids. */
  MESSAGE_SENT,
  /** A drain gave a message back to its queue (RETRY, SKIPPED): visible again after a backoff. */
  RETRY_BACKOFF,
  /** The Lambda handler primed its path with the pipeline's example, writing nothing. */
  PRIMED
}
