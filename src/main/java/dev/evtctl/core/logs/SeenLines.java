package dev.evtctl.core.logs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The lines a follow has handed over, so that a later look (a poll from the last time seen, whose
 * start is inclusive) hands none of them over twice. A line is forgotten once it is older than the
 * newest seen: no look goes back before that.
 */
final class SeenLines {

  /** FilterLogEvents gives every event an id; a line without one is always new. */
  static final Function<LogLine, String> BY_EVENT_ID = LogLine::eventId;

  /**
   * Live tail events have no id, and the same event may come live and from a catch-up poll: one
   * stream, one time, one text is one line.
   */
  static final Function<LogLine, String> BY_CONTENT =
      line -> line.stream() + "\n" + line.time() + "\n" + line.text();

  private final Function<LogLine, String> key;

  /** key -> the line's time, for the lines at or after {@link #from}. */
  private final Map<String, Instant> seen = new HashMap<>();

  private Instant from;

  /**
   * @param since where the follow starts when no line is newer: the filter's --since, else now
   * @param found the lines {@code find} handed over
   */
  SeenLines(Function<LogLine, String> key, Instant since, List<LogLine> found) {
    this.key = key;
    this.from = since;
    fresh(found);
    if (from == null) {
      from = Instant.now();
    }
  }

  /** Where the next look starts: the newest time seen. */
  Instant from() {
    return from;
  }

  /** The lines not handed over yet, in their order; they count as handed over from now on. */
  List<LogLine> fresh(List<LogLine> lines) {
    List<LogLine> fresh = new ArrayList<>();
    for (LogLine line : lines) {
      String id = key.apply(line);
      if (id == null || seen.putIfAbsent(id, line.time()) == null) {
        fresh.add(line);
      }
      from = later(from, line.time());
    }
    Instant last = from;
    seen.values().removeIf(time -> time != null && last != null && time.isBefore(last));
    return fresh;
  }

  private static Instant later(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || b.isBefore(a) ? a : b;
  }
}
