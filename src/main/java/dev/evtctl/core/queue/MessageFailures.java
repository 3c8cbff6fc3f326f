package dev.evtctl.core.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Calls on received messages (deletes, visibility changes) that failed, counted by what and why, so
 * that a summary can say why in one line each: "3 delete(s) failed: SQS refused them
 * (ReceiptHandleIsInvalid)". Thread-safe: receivers add from their own threads.
 */
public final class MessageFailures {

  /** What was tried on a message. */
  public enum Call {
    DELETE("delete(s)"),
    VISIBILITY_CHANGE("visibility change(s)");

    private final String plural;

    Call(String plural) {
      this.plural = plural;
    }
  }

  /**
   * Why.
   *
   * @param refused SQS answered and refused the entries; otherwise the call itself failed
   * @param detail the error code, or what happened to the call
   */
  private record Reason(boolean refused, String detail) implements Comparable<Reason> {
    @Override
    public int compareTo(Reason other) {
      return refused != other.refused
          ? Boolean.compare(other.refused, refused)
          : detail.compareTo(other.detail);
    }

    @Override
    public String toString() {
      return refused ? "SQS refused them (" + detail + ")" : "the call failed (" + detail + ")";
    }
  }

  private final Map<Call, Map<Reason, LongAdder>> counts = new ConcurrentHashMap<>();

  /** SQS answered and refused these entries of a batch call, with this error code. */
  public void refused(Call call, String code, long count) {
    add(call, new Reason(true, code), count);
  }

  /** The call itself failed (transport, or the backend gone): SQS may never have seen it. */
  public void failed(Call call, String reason, long count) {
    add(call, new Reason(false, reason), count);
  }

  private void add(Call call, Reason reason, long count) {
    if (count > 0) {
      counts
          .computeIfAbsent(call, c -> new ConcurrentHashMap<>())
          .computeIfAbsent(reason, r -> new LongAdder())
          .add(count);
    }
  }

  public long count(Call call) {
    return counts.getOrDefault(call, Map.of()).values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** One line per call and reason, deletes first. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (Call call : Call.values()) {
      counts.getOrDefault(call, Map.of()).entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(
              e -> lines.add(e.getValue().sum() + " " + call.plural + " failed: " + e.getKey()));
    }
    return lines;
  }
}
