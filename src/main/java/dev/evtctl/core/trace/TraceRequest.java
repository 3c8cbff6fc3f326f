package dev.evtctl.core.trace;

import dev.evtctl.core.pipeline.Pipeline;
import java.nio.file.Path;
import java.util.List;

/**
 * What to trace, and where to look.
 *
 * @param id a messageId, a business id (an event id, a message_id), or a session, tenant or company
 * @param pipeline the pipeline whose table and bodies are read
 * @param queueUrl the queue to peek, or null
 * @param deadLetterUrl its dead-letter queue, or null
 * @param table the events table, or null
 * @param auditFiles the redrive audit trails to read (NDJSON)
 * @param logs where the log lines come from; {@link TraceLogs#NONE} when not searched
 */
public record TraceRequest(
    String id,
    Pipeline pipeline,
    String queueUrl,
    String deadLetterUrl,
    String table,
    List<Path> auditFiles,
    TraceLogs logs) {}
