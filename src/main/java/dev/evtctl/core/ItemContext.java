package dev.evtctl.core;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What key and item expressions are evaluated against.
 *
 * @param event the unwrapped event, or null when the body is not JSON
 * @param eventText the event as received (for an INVALID record, possibly truncated)
 * @param messageId the SQS message id
 * @param reason why the event is INVALID, or null
 * @param date today in UTC, yyyy-mm-dd
 * @param ttlEpochSeconds the TTL attribute value, or 0 for none
 */
record ItemContext(
    JsonNode event,
    String eventText,
    String messageId,
    String reason,
    String date,
    long ttlEpochSeconds) {}
