package dev.evtctl.core.expect;

import dev.evtctl.core.table.EventQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Checks expectations against what a query finds, once or by polling until they hold: the engine
 * behind {@code evtctl events --expect}, {@code evtctl assert} and {@link EventAssertions}.
 */
public final class EventExpectations {

  /** Polling backoff: 500 ms, doubling, at most 10 s between queries. */
  static final Duration FIRST_WAIT = Duration.ofMillis(500);

  static final Duration MAX_WAIT = Duration.ofSeconds(10);

  /**
   * One expectation against the events found.
   *
   * @param found how many events matched it
   * @param closest for an unmet expectation, what came nearest (same name failing a matcher, a
   *     similar name)
   */
  public record Result(Expectation expectation, int found, List<String> closest) {
    public boolean met() {
      return expectation.met(found);
    }
  }

  /** Every result, the events seen at the last query, and how long it took. */
  public record Report(
      List<Result> results, List<EventQuery.StoredEvent> events, int queries, Duration waited) {
    public boolean met() {
      return results.stream().allMatch(Result::met);
    }

    /** What was expected, what was found, and the closest mismatches: one line each. */
    public List<String> describe() {
      List<String> lines = new ArrayList<>();
      for (Result result : results) {
        lines.add(
            (result.met() ? "met:     " : "NOT MET: ")
                + "expected "
                + result.expectation()
                + ", found "
                + result.found());
        result.closest().forEach(closest -> lines.add("           closest: " + closest));
      }
      return lines;
    }
  }

  private EventExpectations() {}

  public static Report check(List<Expectation> expectations, List<EventQuery.StoredEvent> events) {
    List<Result> results = new ArrayList<>();
    for (Expectation expectation : expectations) {
      int found = (int) events.stream().filter(expectation::matches).count();
      results.add(
          new Result(
              expectation,
              found,
              expectation.met(found) ? List.of() : closest(expectation, events, found)));
    }
    return new Report(results, events, 1, Duration.ZERO);
  }

  /** Queries until every expectation holds or the timeout passes (then one last query). */
  public static Report await(
      Supplier<List<EventQuery.StoredEvent>> query,
      List<Expectation> expectations,
      Duration timeout)
      throws InterruptedException {
    long started = System.nanoTime();
    long deadline = started + timeout.toNanos();
    Duration wait = FIRST_WAIT;
    int queries = 0;
    while (true) {
      Report report = check(expectations, query.get());
      queries++;
      long now = System.nanoTime();
      if (report.met() || now >= deadline) {
        return new Report(
            report.results(), report.events(), queries, Duration.ofNanos(now - started));
      }
      long sleep = Math.min(wait.toNanos(), deadline - now);
      Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
      wait = wait.multipliedBy(2).compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait.multipliedBy(2);
    }
  }

  private static List<String> closest(
      Expectation expectation, List<EventQuery.StoredEvent> events, int found) {
    List<String> closest = new ArrayList<>();
    for (EventQuery.StoredEvent event : events) {
      if (!expectation.name().equals(event.name())) {
        continue;
      }
      for (FieldMatcher matcher : expectation.matchers()) {
        if (!matcher.test(event.document())) {
          closest.add(event.name() + " at " + event.time() + " fails " + matcher);
          break;
        }
      }
    }
    Map<String, Integer> similar = new LinkedHashMap<>();
    LevenshteinDistance distance =
        new LevenshteinDistance(Math.max(3, expectation.name().length() / 4));
    for (EventQuery.StoredEvent event : events) {
      if (event.name() != null
          && !event.name().equals(expectation.name())
          && distance.apply(event.name(), expectation.name()) >= 0) {
        similar.merge(event.name(), 1, Integer::sum);
      }
    }
    similar.forEach((name, count) -> closest.add("a similar name: " + name + " (" + count + ")"));
    if (found > 0 && closest.isEmpty()) {
      closest.add(
          found
              + " matching, "
              + (expectation.count() == null ? "at least 1" : expectation.count())
              + " expected");
    }
    return closest.size() > 5 ? closest.subList(0, 5) : closest;
  }
}
