package dev.evtctl.lambda;

import dev.evtctl.core.pipeline.DedupeRule;
import dev.evtctl.core.pipeline.InvalidPolicy;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.pipeline.PipelineConfigException;
import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.processing.ProcessorSettings;
import dev.evtctl.core.processing.WriteMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The handler's configuration, from environment variables:
 *
 * <ul>
 *   <li>{@code PIPELINE}: txma (default, as the original dequeue Lambda), ledger or messages
 *   <li>{@code PIPELINE_FILE}: a pipeline definition file of your own (packed with the function or
 *       on a layer, e.g. /opt/pipeline.json), instead of {@code PIPELINE}
 *   <li>{@code EVENTS_TABLE_NAME}: required
 *   <li>{@code IDEMPOTENCY_TABLE_NAME}: required for ledger
 *   <li>{@code INVALID_POLICY}: record (default), dlq or drop
 *   <li>{@code DLQ_URL}: required for the dlq policy
 *   <li>the TTL of stored events, in seconds: the variables the pipeline's {@code
 *       environment.ttlSeconds} names (txma: {@code TXMA_EVENT_TTL_DURATION_IN_SECONDS}, the
 *       original's), else {@code TTL_SECONDS}, else the pipeline's default
 *   <li>{@code ALLOWED_EVENT_TYPES}: a comma-separated allow-list of event names (types); any other
 *       is INVALID. Off when unset, or the pipeline file's {@code allowedEventTypes}
 *   <li>{@code CONCURRENCY}: messages processed at once (default 8)
 *   <li>{@code WRITE_MODE}: item (default: one conditional write per event) or transaction (the
 *       valid events of up to ten messages in one TransactWriteItems request: fewer requests, 2 WCU
 *       per item)
 * </ul>
 */
record HandlerEnvironment(ProcessorSettings processorSettings) {

  static HandlerEnvironment read(Map<String, String> env) {
    Pipeline pipeline = pipeline(env);
    for (String variable : ttlVariables(pipeline)) {
      String ttl = value(env, variable);
      if (ttl != null) {
        pipeline = pipeline.withTtlSeconds(number(ttl, variable));
        break;
      }
    }
    String allowed = value(env, "ALLOWED_EVENT_TYPES");
    if (allowed != null) {
      pipeline =
          pipeline.withAllowedEventTypes(
              Arrays.stream(allowed.split(","))
                  .map(String::trim)
                  .filter(type -> !type.isEmpty())
                  .collect(Collectors.toSet()));
    }
    String eventsTable = value(env, "EVENTS_TABLE_NAME");
    if (eventsTable == null) {
      throw new HandlerConfigurationException("EVENTS_TABLE_NAME", "is not set");
    }
    String idempotencyTable = value(env, "IDEMPOTENCY_TABLE_NAME");
    if (pipeline.dedupeRule() == DedupeRule.IDEMPOTENCY_TABLE && idempotencyTable == null) {
      throw new HandlerConfigurationException(
          "IDEMPOTENCY_TABLE_NAME", "is not set (pipeline " + pipeline.name() + " needs it)");
    }
    InvalidPolicy policy;
    try {
      String value = value(env, "INVALID_POLICY");
      policy = value == null ? pipeline.invalidPolicy() : InvalidPolicy.parse(value);
    } catch (PipelineConfigException e) {
      throw new HandlerConfigurationException("INVALID_POLICY", e.getMessage());
    }
    String dlqUrl = value(env, "DLQ_URL");
    if (policy == InvalidPolicy.DLQ && dlqUrl == null) {
      throw new HandlerConfigurationException(
          "DLQ_URL", "is not set (INVALID_POLICY=dlq needs it)");
    }
    String concurrency = value(env, "CONCURRENCY");
    int threads =
        concurrency == null
            ? ProcessorSettings.DEFAULT_CONCURRENCY
            : (int) number(concurrency, "CONCURRENCY");
    if (threads < 1) {
      throw new HandlerConfigurationException("CONCURRENCY", "must be at least 1");
    }
    WriteMode writeMode;
    try {
      String value = value(env, "WRITE_MODE");
      writeMode = value == null ? WriteMode.ITEM : WriteMode.parse(value);
    } catch (PipelineConfigException e) {
      throw new HandlerConfigurationException("WRITE_MODE", e.getMessage());
    }
    return new HandlerEnvironment(
        new ProcessorSettings(
            pipeline, eventsTable, idempotencyTable, policy, dlqUrl, threads, writeMode));
  }

  private static Pipeline pipeline(Map<String, String> env) {
    String file = value(env, "PIPELINE_FILE");
    String name = value(env, "PIPELINE");
    if (file != null && name != null) {
      throw new HandlerConfigurationException(
          "PIPELINE_FILE", "and PIPELINE are both set; set one of them");
    }
    try {
      return file != null
          ? Pipelines.fromFile(Path.of(file))
          : Pipelines.builtIn(name == null ? "txma" : name);
    } catch (PipelineConfigException e) {
      throw new HandlerConfigurationException(
          file != null ? "PIPELINE_FILE" : "PIPELINE", e.getMessage());
    }
  }

  /** The TTL variables, the pipeline's own first (the original function's names), then ours. */
  private static List<String> ttlVariables(Pipeline pipeline) {
    List<String> variables = new ArrayList<>(pipeline.environment().ttlSeconds());
    variables.add("TTL_SECONDS");
    return variables;
  }

  private static String value(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static long number(String value, String name) {
    try {
      long number = Long.parseLong(value);
      if (number < 0) {
        throw new HandlerConfigurationException(name, "must not be negative, is " + value);
      }
      return number;
    } catch (NumberFormatException e) {
      throw new HandlerConfigurationException(name, "is not a whole number: '" + value + "'");
    }
  }
}
