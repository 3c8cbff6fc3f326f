package dev.evtctl.core.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a follow hands over once, whichever look brings a line again. */
class SeenLinesTest {

  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

  private static LogLine line(String stream, String eventId, long millis, String text) {
    return LogLine.parse(T0.plusMillis(millis), stream, eventId, text);
  }

  @Test
  void aLineThatComesLiveAndFromTheCatchUpPollIsHandedOverOnce() {
    // GIVEN what find showed
    LogLine found = line("a", "e1", 0, "{\"code\":\"A\"}");
    SeenLines seen = new SeenLines(SeenLines.BY_CONTENT, null, List.of(found));
    assertThat(seen.from()).isEqualTo(T0);

    // WHEN a session's catch-up poll brings it again with a newer one, then the live tail brings
    // the newer one (no event id) and one more
    LogLine newer = line("a", "e2", 5, "{\"code\":\"B\"}");
    List<LogLine> caughtUp = seen.fresh(List.of(found, newer));
    List<LogLine> live =
        seen.fresh(
            List.of(
                line("a", null, 5, "{\"code\":\"B\"}"), line("b", null, 5, "{\"code\":\"B\"}")));

    // THEN each line once: the same text in another stream is another line
    assertThat(caughtUp).containsExactly(newer);
    assertThat(live).extracting(LogLine::stream).containsExactly("b");
    assertThat(seen.from()).isEqualTo(T0.plusMillis(5));
  }

  @Test
  void polledLinesAreKnownByTheirEventIds() {
    SeenLines seen = new SeenLines(SeenLines.BY_EVENT_ID, T0, List.of());
    LogLine a = line("a", "e1", 0, "{\"code\":\"A\"}");
    LogLine same = line("a", "e2", 0, "{\"code\":\"A\"}");

    assertThat(seen.fresh(List.of(a, same))).containsExactly(a, same);
    assertThat(seen.fresh(List.of(a, same))).isEmpty();
  }

  @Test
  void withoutLinesAFollowStartsAtSinceElseNow() {
    assertThat(new SeenLines(SeenLines.BY_EVENT_ID, T0, List.of()).from()).isEqualTo(T0);
    Instant before = Instant.now();
    assertThat(new SeenLines(SeenLines.BY_EVENT_ID, null, List.of()).from())
        .isBetween(before, Instant.now());
  }
}
