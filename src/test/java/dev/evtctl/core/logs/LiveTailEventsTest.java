package dev.evtctl.core.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.model.LiveTailSessionLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.LiveTailSessionUpdate;

/** A live tail update, as the SDK hands it over, becomes the lines a follow shows. */
class LiveTailEventsTest {

  private static final long T0 = Instant.parse("2026-12-02T10:00:00Z").toEpochMilli();

  private static LiveTailSessionLogEvent event(String stream, long timestamp, String message) {
    return LiveTailSessionLogEvent.builder()
        .logGroupIdentifier("arn:aws:logs:us-east-1:123456789012:log-group:/evtctl/test")
        .logStreamName(stream)
        .timestamp(timestamp)
        .ingestionTime(timestamp + 50)
        .message(message)
        .build();
  }

  @Test
  void theMatchingEventsOfAnUpdateBecomeLinesOldestFirst() {
    // GIVEN an update with the events of two streams, out of time order, one of another code
    LiveTailSessionUpdate update =
        LiveTailSessionUpdate.builder()
            .sessionResults(
                event(
                    "b",
                    T0 + 20,
                    "{\"level\":\"WARN\",\"code\":\"INVALID_EVENT\",\"messageId\":\"m2\"}"),
                event(
                    "a",
                    T0 + 10,
                    "{\"level\":\"INFO\",\"code\":\"EVENT_PERSISTED\",\"messageId\":\"m0\"}"),
                event(
                    "a",
                    T0 + 30,
                    "{\"timestamp\":\"2026-12-02T10:00:00.005Z\",\"level\":\"WARN\","
                        + "\"code\":\"INVALID_EVENT\",\"messageId\":\"m1\"}"))
            .build();

    // WHEN turned into lines for --code INVALID_EVENT
    List<LogLine> lines =
        LiveTailEvents.lines(
            update, new LogFilter("INVALID_EVENT", null, null, null, null, null, null, null));

    // THEN the two INVALID_EVENT lines, by their time (the line's own timestamp first), with the
    // stream, no event id, the text as written
    assertThat(lines)
        .extracting(
            LogLine::time, LogLine::stream, LogLine::eventId, line -> line.field("messageId"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Instant.parse("2026-12-02T10:00:00.005Z"), "a", null, "m1"),
            org.assertj.core.groups.Tuple.tuple(Instant.ofEpochMilli(T0 + 20), "b", null, "m2"));
    assertThat(lines.get(1).text())
        .isEqualTo("{\"level\":\"WARN\",\"code\":\"INVALID_EVENT\",\"messageId\":\"m2\"}");
  }

  @Test
  void aLineThatIsNotJsonComesRawAndAnEmptyUpdateGivesNone() {
    LiveTailSessionUpdate update =
        LiveTailSessionUpdate.builder()
            .sessionResults(
                event("2026/12/02/[$LATEST]abc", T0, "START RequestId: r-1 Version: $LATEST"))
            .build();

    List<LogLine> lines = LiveTailEvents.lines(update, LogFilter.ALL);

    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).json()).isNull();
    assertThat(lines.get(0).text()).isEqualTo("START RequestId: r-1 Version: $LATEST");
    assertThat(lines.get(0).time()).isEqualTo(Instant.ofEpochMilli(T0));
    // "If no new log events were ingested in the past second, the LiveTailSessionUpdate object
    // will contain an empty array" (StartLiveTail)
    assertThat(LiveTailEvents.lines(LiveTailSessionUpdate.builder().build(), LogFilter.ALL))
        .isEmpty();
  }
}
