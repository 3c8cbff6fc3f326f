package dev.evtctl.core.processing;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The outcome of every message of a batch, in the order the batch gave them. */
public record BatchResult(List<MessageResult> results) {

  public BatchResult {
    results = List.copyOf(results);
  }

  /** The ids to return in batchItemFailures: RETRY and SKIPPED, in batch order. */
  public List<String> failedMessageIds() {
    return results.stream()
        .filter(r -> r.outcome().returnsToQueue())
        .map(MessageResult::messageId)
        .toList();
  }

  /** The count of each outcome, every outcome present (zero when none). */
  public Map<Outcome, Integer> counts() {
    Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
    for (Outcome outcome : Outcome.values()) {
      counts.put(outcome, 0);
    }
    results.forEach(r -> counts.merge(r.outcome(), 1, Integer::sum));
    return counts;
  }
}
