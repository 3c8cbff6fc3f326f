package dev.evtctl.core.trace;

import java.util.List;

/**
 * The timeline of one event: every message that carried it (joined through redrives) and its item.
 *
 * @param event what it is, in a few words (its event name or type)
 * @param key the table key of its item ({@code pk sk}), or null when none was found
 * @param messageIds the SQS messageIds that carried it, oldest first
 * @param verdict a short answer: stored, invalid: REASON, in the DLQ after 3 receives, never seen
 * @param steps what happened, by time; the table's part last
 */
public record EventTrace(
    String event, String key, List<String> messageIds, String verdict, List<TraceStep> steps) {}
