package dev.evtctl.core.processing;

import dev.evtctl.core.pipeline.DedupeRule;
import dev.evtctl.core.pipeline.InvalidPolicy;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.pipeline.PipelineConfigException;

/**
 * Where a pipeline writes and how it treats invalid events: the same whether it runs in the Lambda
 * handler (from environment variables) or in {@code evtctl drain} (from flags).
 *
 * @param pipeline the compiled pipeline (its TTL already applied)
 * @param eventsTable the events table name
 * @param idempotencyTable the idempotency table (pipelines with the idempotency-table rule)
 * @param invalidPolicy what happens to INVALID events
 * @param dlqUrl the dead-letter queue URL (the dlq policy)
 * @param concurrency how many messages (or FIFO groups) are processed at once
 * @param writeMode one request per event, or a batch's events together (null: item)
 */
public record ProcessorSettings(
    Pipeline pipeline,
    String eventsTable,
    String idempotencyTable,
    InvalidPolicy invalidPolicy,
    String dlqUrl,
    int concurrency,
    WriteMode writeMode) {

  public static final int DEFAULT_CONCURRENCY = 8;

  public ProcessorSettings {
    if (pipeline == null) {
      throw new PipelineConfigException("no pipeline given");
    }
    if (isBlank(eventsTable)) {
      throw new PipelineConfigException("no events table given");
    }
    if (pipeline.dedupeRule() == DedupeRule.IDEMPOTENCY_TABLE && isBlank(idempotencyTable)) {
      throw new PipelineConfigException(
          "pipeline " + pipeline.name() + " needs an idempotency table");
    }
    if (invalidPolicy == null) {
      invalidPolicy = pipeline.invalidPolicy();
    }
    if (invalidPolicy == InvalidPolicy.DLQ && isBlank(dlqUrl)) {
      throw new PipelineConfigException("invalid policy dlq needs a dead-letter queue URL");
    }
    if (concurrency < 1) {
      throw new PipelineConfigException("concurrency must be at least 1, not " + concurrency);
    }
    if (writeMode == null) {
      writeMode = WriteMode.ITEM;
    }
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
