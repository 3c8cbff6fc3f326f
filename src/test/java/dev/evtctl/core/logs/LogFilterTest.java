package dev.evtctl.core.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogFilterTest {

  private static LogLine line(String text) {
    return LogLine.parse(null, null, null, text);
  }

  @Test
  void theFlagsBecomeACloudWatchJsonFilterPattern() {
    assertThat(LogFilter.ALL.toFilterPattern()).isNull();
    assertThat(
            new LogFilter("INVALID_EVENT", "s1", null, null, null, null, null, null)
                .toFilterPattern())
        .isEqualTo("{ ($.code = \"INVALID_EVENT\") && ($.sessionId = \"s1\") }");
    assertThat(
            new LogFilter(null, null, "t1", "m1", "user.created", null, null, null)
                .toFilterPattern())
        .isEqualTo(
            "{ ($.tenantId = \"t1\") && ($.messageId = \"m1\") && ($.eventName = \"user.created\""
                + " || $.eventType = \"user.created\") }");
    assertThat(
            new LogFilter(null, null, null, null, null, LogLevel.WARN, null, null)
                .toFilterPattern())
        .isEqualTo(
            "{ ($.level = \"WARN\" || $.level = \"WARNING\" || $.level = \"ERROR\" || $.level ="
                + " \"FATAL\" || $.level = \"CRITICAL\") }");
    // a value the syntax cannot quote is left to the client-side check
    assertThat(new LogFilter("A", "s\"1", null, null, null, null, null, null).toFilterPattern())
        .isEqualTo("{ ($.code = \"A\") }");
  }

  @Test
  void matchesTheKeysOfDrainAndLambdaLinesAndKeepsWildcardsLiteral() {
    LogLine drain =
        line(
            "{\"timestamp\":\"2026-12-02T05:08:35.628357791Z\",\"level\":\"WARN\",\"code\":\"INVALID_EVENT\","
                + "\"messageId\":\"m1\",\"sessionId\":\"s1\",\"eventName\":\"E\"}");
    LogLine lambda =
        line(
            "{\"timestamp\":\"2026-12-02T05:08:36.000Z\",\"level\":\"ERROR\",\"code\":\"X\",\"tenantId\":\"t1\","
                + "\"eventType\":\"user.created\",\"cold_start\":true}");
    LogLine raw = line("START RequestId: 1");
    assertThat(new LogFilter(null, "s1", null, "m1", "E", LogLevel.INFO, null, null).matches(drain))
        .isTrue();
    assertThat(new LogFilter(null, "s*", null, null, null, null, null, null).matches(drain))
        .isFalse();
    assertThat(
            new LogFilter(null, null, "t1", null, "user.created", LogLevel.ERROR, null, null)
                .matches(lambda))
        .isTrue();
    assertThat(
            new LogFilter(null, null, null, null, null, LogLevel.ERROR, null, null).matches(drain))
        .isFalse();
    assertThat(
            new LogFilter(
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    Instant.parse("2026-12-02T05:08:35.629Z"),
                    null)
                .matches(drain))
        .isFalse();
    assertThat(LogFilter.ALL.matches(raw)).isTrue();
    assertThat(LogFilter.message("m1").matches(raw)).isFalse();
    assertThat(drain.time()).isEqualTo(Instant.parse("2026-12-02T05:08:35.628357791Z"));
  }
}
