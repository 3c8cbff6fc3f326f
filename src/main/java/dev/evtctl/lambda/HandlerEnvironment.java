package dev.evtctl.lambda;

import dev.evtctl.core.DedupeRule;
import dev.evtctl.core.InvalidPolicy;
import dev.evtctl.core.Pipeline;
import dev.evtctl.core.PipelineConfigException;
import dev.evtctl.core.Pipelines;
import dev.evtctl.core.ProcessorSettings;
import dev.evtctl.core.WriteMode;
import java.util.Map;

/**
 * The handler's configuration, from environment variables:
 *
 * <ul>
 *   <li>{@code PIPELINE}: txma (default, as the original dequeue Lambda), ledger or messages
 *   <li>{@code EVENTS_TABLE_NAME}: required
 *   <li>{@code IDEMPOTENCY_TABLE_NAME}: required for ledger
 *   <li>{@code INVALID_POLICY}: record (default), dlq or drop
 *   <li>{@code DLQ_URL}: required for the dlq policy
 *   <li>{@code TTL_SECONDS}: TTL of stored events; the pipeline's default when unset
 *   <li>{@code CONCURRENCY}: messages processed at once (default 8)
 *   <li>{@code WRITE_MODE}: item (default: one conditional write per event) or transaction (the
 *       valid events of up to ten messages in one TransactWriteItems request: fewer requests, 2 WCU
 *       per item)
 * </ul>
 */
record HandlerEnvironment(ProcessorSettings processorSettings) {

  static HandlerEnvironment read(Map<String, String> env) {
    String pipelineName = value(env, "PIPELINE");
    Pipeline pipeline;
    try {
      pipeline = Pipelines.builtIn(pipelineName == null ? "txma" : pipelineName);
    } catch (PipelineConfigException e) {
      throw new HandlerConfigurationException("PIPELINE", e.getMessage());
    }
    String ttl = value(env, "TTL_SECONDS");
    if (ttl != null) {
      pipeline = pipeline.withTtlSeconds(number(ttl, "TTL_SECONDS"));
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
