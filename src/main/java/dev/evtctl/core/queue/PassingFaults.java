package dev.evtctl.core.queue;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.http.HttpMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;

/**
 * The failed attempts the SDK tried again, counted by service and kind from its per-call metrics
 * (one collection a call, one child an attempt): what a long-running command rode out, for its
 * summary. A call's last failed attempt is not counted here: it was not retried, and the command
 * reports that failure itself.
 */
public final class PassingFaults implements MetricPublisher {

  /** The SDK's name for an attempt's metric collection. */
  private static final String ATTEMPT = "ApiCallAttempt";

  private final Map<String, LongAdder> retried = new ConcurrentHashMap<>();

  @Override
  public void publish(MetricCollection call) {
    List<MetricCollection> attempts = call.childrenWithName(ATTEMPT).toList();
    boolean succeeded = call.metricValues(CoreMetric.API_CALL_SUCCESSFUL).contains(Boolean.TRUE);
    String service = first(call, CoreMetric.SERVICE_ID, "AWS");
    int retriedAttempts = succeeded ? attempts.size() : attempts.size() - 1;
    for (int i = 0; i < retriedAttempts; i++) {
      String kind = kind(attempts.get(i));
      if (kind != null) {
        retried.computeIfAbsent(service + " " + kind, k -> new LongAdder()).increment();
      }
    }
  }

  /** Failed attempts tried again. */
  public long total() {
    return retried.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Failed attempts tried again, by kind ("SQS HTTP 503"), the most frequent first. */
  public Map<String, Long> byKind() {
    return retried.entrySet().stream()
        .sorted(
            Comparator.comparing((Map.Entry<String, LongAdder> e) -> -e.getValue().sum())
                .thenComparing(Map.Entry::getKey))
        .collect(
            Collectors.toMap(
                Map.Entry::getKey, e -> e.getValue().sum(), (a, b) -> a, LinkedHashMap::new));
  }

  /** "412 failed attempts tried again: 301 × SQS HTTP 503, 111 × SQS I/O error", or null. */
  public String describe() {
    long total = total();
    if (total == 0) {
      return null;
    }
    return total
        + " failed attempt(s) tried again: "
        + byKind().entrySet().stream()
            .map(e -> e.getValue() + " × " + e.getKey())
            .collect(Collectors.joining(", "));
  }

  /** What went wrong in one attempt, or null when it succeeded. */
  static String kind(MetricCollection attempt) {
    String error = first(attempt, CoreMetric.ERROR_TYPE, null);
    if (error == null) {
      return null;
    }
    Integer status =
        attempt.metricValues(HttpMetric.HTTP_STATUS_CODE).stream().findFirst().orElse(null);
    return switch (error) {
      case "Throttling" -> "throttled" + (status == null ? "" : " (HTTP " + status + ")");
      case "IO" -> "I/O error (connection refused, reset or closed)";
      case "ConfiguredTimeout" -> "no answer in time";
      default -> status == null ? "error (" + error + ")" : "HTTP " + status;
    };
  }

  private static <T> String first(
      MetricCollection collection,
      software.amazon.awssdk.metrics.SdkMetric<T> metric,
      String otherwise) {
    return collection.metricValues(metric).stream()
        .findFirst()
        .map(String::valueOf)
        .orElse(otherwise);
  }

  @Override
  public void close() {}
}
