package dev.evtctl.lambda;

import dev.evtctl.core.pipeline.InvalidPolicy;
import dev.evtctl.core.pipeline.InvalidSettingException;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.pipeline.PipelineDefinitionException;
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

  /** The variable that gives each setting {@link ProcessorSettings} checks. */
  private static final Map<String, String> VARIABLES =
      Map.of(
          ProcessorSettings.EVENTS_TABLE, "EVENTS_TABLE_NAME",
          ProcessorSettings.IDEMPOTENCY_TABLE, "IDEMPOTENCY_TABLE_NAME",
          ProcessorSettings.DLQ_URL, "DLQ_URL",
          ProcessorSettings.CONCURRENCY, "CONCURRENCY");

  /**
   * Parses the variables, then lets {@link ProcessorSettings} check them (the one check of the
   * settings); a failure names the variable.
   */
  static HandlerEnvironment read(Map<String, String> env) {
    Pipeline pipeline = pipeline(env);
    for (String variable : ttlVariables(pipeline)) {
      String ttl = value(env, variable);
      if (ttl != null) {
        try {
          pipeline = pipeline.withTtlSeconds(number(ttl, variable));
        } catch (InvalidSettingException e) {
          throw new HandlerConfigurationException(variable, e.problem());
        }
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
    InvalidPolicy policy;
    try {
      String value = value(env, "INVALID_POLICY");
      policy = value == null ? null : InvalidPolicy.parse(value);
    } catch (InvalidSettingException e) {
      throw new HandlerConfigurationException("INVALID_POLICY", e.getMessage());
    }
    String concurrency = value(env, "CONCURRENCY");
    int threads =
        concurrency == null
            ? ProcessorSettings.DEFAULT_CONCURRENCY
            : (int) number(concurrency, "CONCURRENCY");
    WriteMode writeMode;
    try {
      String value = value(env, "WRITE_MODE");
      writeMode = value == null ? WriteMode.ITEM : WriteMode.parse(value);
    } catch (InvalidSettingException e) {
      throw new HandlerConfigurationException("WRITE_MODE", e.getMessage());
    }
    try {
      return new HandlerEnvironment(
          new ProcessorSettings(
              pipeline,
              value(env, "EVENTS_TABLE_NAME"),
              value(env, "IDEMPOTENCY_TABLE_NAME"),
              policy,
              value(env, "DLQ_URL"),
              threads,
              writeMode));
    } catch (InvalidSettingException e) {
      String variable = VARIABLES.get(e.setting());
      if (variable == null) {
        throw e;
      }
      throw new HandlerConfigurationException(variable, e.problem());
    }
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
    } catch (PipelineDefinitionException | InvalidSettingException e) {
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
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new HandlerConfigurationException(name, "is not a whole number: '" + value + "'");
    }
  }
}
