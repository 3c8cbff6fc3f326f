package dev.evtctl.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.List;
import org.slf4j.MDC;

/**
 * The keys Powertools for AWS Lambda's logger puts on every line of an invocation ({@code service},
 * {@code cold_start}, {@code function_*}, {@code xray_trace_id}), held in the MDC for the length of
 * the invocation: LogstashEncoder writes MDC entries as top-level fields (JsonLogConfigurator
 * writes {@code cold_start} and {@code function_memory_size} as a boolean and a number), and
 * BatchProcessor hands the MDC to its worker threads.
 */
final class InvocationFields {

  /** Powertools' service name when POWERTOOLS_SERVICE_NAME is not set. */
  static final String SERVICE_UNDEFINED = "service_undefined";

  /** Where the Lambda Java runtime (17 and later) puts the X-Ray trace header of an invocation. */
  static final String TRACE_HEADER_PROPERTY = "com.amazonaws.xray.traceHeader";

  static final String TRACE_HEADER_VARIABLE = "_X_AMZN_TRACE_ID";

  private static final List<String> KEYS =
      List.of(
          "service",
          "cold_start",
          "function_name",
          "function_arn",
          "function_memory_size",
          "function_request_id",
          "xray_trace_id");

  private InvocationFields() {}

  /**
   * @param context the invocation's context, or null (tests): then no {@code function_*} keys
   * @param traceHeader the X-Ray trace header, or null: then no {@code xray_trace_id}
   */
  static void put(String service, boolean coldStart, Context context, String traceHeader) {
    MDC.put("service", service == null || service.isBlank() ? SERVICE_UNDEFINED : service);
    MDC.put("cold_start", Boolean.toString(coldStart));
    if (context != null) {
      put("function_name", context.getFunctionName());
      put("function_arn", context.getInvokedFunctionArn());
      put("function_memory_size", Integer.toString(context.getMemoryLimitInMB()));
      put("function_request_id", context.getAwsRequestId());
    }
    put("xray_trace_id", traceId(traceHeader));
  }

  /** The end of the invocation: its keys leave the MDC. */
  static void remove() {
    KEYS.forEach(MDC::remove);
  }

  /**
   * The trace id of an X-Ray trace header ({@code Root=1-5759e988-bd862e3fe1be46a994272793;
   * Parent=53995c3f42cd8ad8;Sampled=1}), the Root part as Powertools logs it; null without one.
   */
  static String traceId(String header) {
    if (header == null) {
      return null;
    }
    for (String part : header.split(";")) {
      String field = part.trim();
      if (field.startsWith("Root=") && field.length() > "Root=".length()) {
        return field.substring("Root=".length());
      }
    }
    return null;
  }

  private static void put(String key, String value) {
    if (value != null) {
      MDC.put(key, value);
    }
  }
}
