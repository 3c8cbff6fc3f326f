package dev.evtctl.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.evtctl.testing.CloudWatchLogsOutage;
import dev.evtctl.testing.MotoServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsRequest;

/**
 * The appender against a real moto_server: PutLogEvents within its limits (moto checks only the
 * time order, so the requests themselves are checked here as they leave the client), and what
 * cannot be shipped counted with its reason. Skipped where moto_server is not installed.
 */
class CloudWatchLogsAppenderTest {

  private static MotoServer moto;
  private final LoggerContext context = new LoggerContext();
  private final String group = "/evtctl/appender/" + UUID.randomUUID().toString().substring(0, 8);
  private final String stream = CloudWatchLogsAppender.streamName("drain", Instant.now());

  /** Every PutLogEvents request as sent. */
  private final List<PutLogEventsRequest> sent = new CopyOnWriteArrayList<>();

  private final ExecutionInterceptor recorder =
      new ExecutionInterceptor() {
        @Override
        public void beforeTransmission(
            Context.BeforeTransmission request, ExecutionAttributes attributes) {
          if (request.request() instanceof PutLogEventsRequest put) {
            sent.add(put);
          }
        }
      };

  /** Started for the first test that runs (each test is skipped where moto is missing). */
  private static MotoServer moto() {
    if (moto == null) {
      moto = MotoServer.start();
    }
    return moto;
  }

  @AfterAll
  static void stopMoto() {
    if (moto != null) {
      moto.close();
      moto = null;
    }
  }

  private CloudWatchLogsAppender open(CloudWatchLogsClient logs) {
    CloudWatchLogsAppender appender =
        CloudWatchLogsAppender.open(logs, group, stream, Duration.ofHours(1));
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%msg%n");
    encoder.start();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.start();
    return appender;
  }

  private void log(CloudWatchLogsAppender appender, long timestamp, String message) {
    LoggingEvent event =
        new LoggingEvent(
            getClass().getName(), context.getLogger("evtctl"), Level.INFO, message, null, null);
    event.setTimeStamp(timestamp);
    appender.doAppend(event);
  }

  private List<String> stored(CloudWatchLogsClient logs) {
    return MotoServer.events(logs, group, stream).stream().map(OutputLogEvent::message).toList();
  }

  @Test
  void linesOutOfOrderAndBeyondOneCallsLimitsAllArriveInCallsWithinTheLimits() {
    try (CloudWatchLogsClient logs = moto().logs(recorder)) {
      // GIVEN an appender on a new group (created with its stream at open)
      CloudWatchLogsAppender appender = open(logs);
      long now = System.currentTimeMillis();

      // WHEN 12,000 short lines arrive out of time order, then 6 lines of 200 KB, then a line
      // from 25 hours ago
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < 12_000; i++) {
        order.add(i);
      }
      Collections.shuffle(order, new Random(7));
      for (int i : order) {
        log(appender, now - 60_000 + i, "line " + i);
      }
      String large = "x".repeat(200 * 1024);
      for (int i = 0; i < 6; i++) {
        log(appender, now + i, i + large);
      }
      log(appender, now - Duration.ofHours(25).toMillis(), "from yesterday");
      appender.stop();

      // THEN every line is stored, and nothing is reported unshipped
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 12_000; i++) {
        expected.add("line " + i);
      }
      for (int i = 0; i < 6; i++) {
        expected.add(i + large);
      }
      expected.add("from yesterday");
      assertThat(stored(logs)).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(appender.shipped()).isEqualTo(12_007);
      assertThat(appender.unshippedReport()).isNull();

      // AND each call kept PutLogEvents' limits: 10,000 events, 1,048,576 bytes with 26 a
      // piece, time order, 24 hours
      assertThat(sent).hasSizeGreaterThanOrEqualTo(4);
      for (PutLogEventsRequest put : sent) {
        List<InputLogEvent> events = put.logEvents();
        assertThat(events).hasSizeLessThanOrEqualTo(10_000);
        long bytes =
            events.stream()
                .mapToLong(e -> e.message().getBytes(StandardCharsets.UTF_8).length + 26)
                .sum();
        assertThat(bytes).isLessThanOrEqualTo(1_048_576);
        assertThat(events)
            .isSortedAccordingTo((a, b) -> Long.compare(a.timestamp(), b.timestamp()));
        assertThat(events.get(events.size() - 1).timestamp() - events.get(0).timestamp())
            .isLessThan(Duration.ofHours(24).toMillis());
      }
    }
  }

  @Test
  void whatCannotBeShippedIsCountedWithItsReason() {
    AtomicBoolean unreachable = new AtomicBoolean();
    int deadPort = CloudWatchLogsOutage.deadPort();
    try (CloudWatchLogsClient logs =
        moto().logs(CloudWatchLogsOutage.from(unreachable::get, deadPort))) {
      // GIVEN an appender whose first lines were shipped, one line over 256 KB among them, and a
      // line older than CloudWatch's 14 days
      CloudWatchLogsAppender appender = open(logs);
      long now = System.currentTimeMillis();
      log(appender, now - Duration.ofDays(20).toMillis(), "too old");
      log(appender, now, "shipped 1");
      log(appender, now + 1, "y".repeat(300 * 1024));
      log(appender, now + 2, "shipped 2");
      appender.flush();

      // WHEN CloudWatch goes away and 5 more lines come before the end
      unreachable.set(true);
      for (int i = 0; i < 5; i++) {
        log(appender, now + 10 + i, "lost " + i);
      }
      appender.stop();
      unreachable.set(false);

      // THEN the shipped lines are there, and each loss is counted under its reason
      assertThat(stored(logs)).containsExactly("shipped 1", "shipped 2");
      assertThat(appender.shipped()).isEqualTo(2);
      assertThat(appender.unshipped())
          .containsEntry("a log line over CloudWatch's 256 KB limit for one event", 1L)
          .containsEntry(
              "rejected by CloudWatch Logs as too old, too new or past the retention", 1L)
          .hasSize(3);
      assertThat(appender.unshippedReport())
          .startsWith("7 log events could not be shipped to CloudWatch Logs group " + group + ": ")
          .containsPattern("cannot reach http://127\\.0\\.0\\.1:\\d+: Connection refused")
          .contains("(5)")
          .doesNotContain("\n");
    }
  }
}
