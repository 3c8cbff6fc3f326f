package dev.evtctl.core.processing;

import dev.evtctl.core.pipeline.DedupeRule;
import dev.evtctl.core.pipeline.InvalidPolicy;
import dev.evtctl.core.pipeline.InvalidSettingException;
import dev.evtctl.core.pipeline.Pipeline;

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

  /** The settings as {@link InvalidSettingException#setting} names them. */
  public static final String EVENTS_TABLE = "events table";

  public static final String IDEMPOTENCY_TABLE = "idempotency table";
  public static final String DLQ_URL = "dead-letter queue URL";
  public static final String CONCURRENCY = "concurrency";

  /**
   * The one check of these settings, whichever door read them (flags, environment variables).
   *
   * @throws InvalidSettingException naming the setting that cannot work
   */
  public ProcessorSettings {
    if (pipeline == null) {
      throw new InvalidSettingException("no pipeline given");
    }
    if (isBlank(eventsTable)) {
      throw InvalidSettingException.of(EVENTS_TABLE, "is not set");
    }
    if (pipeline.dedupeRule() == DedupeRule.IDEMPOTENCY_TABLE && isBlank(idempotencyTable)) {
      throw InvalidSettingException.of(
          IDEMPOTENCY_TABLE, "is not set (pipeline " + pipeline.name() + " needs it)");
    }
    if (invalidPolicy == null) {
      invalidPolicy = pipeline.invalidPolicy();
    }
    if (invalidPolicy == InvalidPolicy.DLQ && isBlank(dlqUrl)) {
      throw InvalidSettingException.of(DLQ_URL, "is not set (the dlq invalid policy needs it)");
    }
    if (concurrency < 1) {
      throw InvalidSettingException.of(CONCURRENCY, "must be at least 1, not " + concurrency);
    }
    if (writeMode == null) {
      writeMode = WriteMode.ITEM;
    }
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
