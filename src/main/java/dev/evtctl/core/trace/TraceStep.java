package dev.evtctl.core.trace;

import java.time.Duration;
import java.time.Instant;

/**
 * One thing that happened to a message or an event, or where it is now.
 *
 * @param time when, or null (the table holds no write time)
 * @param source where it was found: drain or lambda (log lines), queue, dlq, redrive, table
 * @param step what: PERSISTED, DUPLICATE, INVALID, RETRY, SKIPPED, waiting, redriven, stored...
 * @param messageId the SQS messageId it is about, or null (a table item)
 * @param newMessageId the messageId a redrive gave it, or null
 * @param receives receives before this trace (queue and dlq), or null
 * @param age time since it was sent (queue and dlq), or null
 * @param reason why (INVALID, RETRY, a failed redrive step), or null
 * @param detail anything else worth a word: the invalid policy, the queue it moved to, the status
 */
public record TraceStep(
    Instant time,
    String source,
    String step,
    String messageId,
    String newMessageId,
    Integer receives,
    Duration age,
    String reason,
    String detail) {}
