package dev.evtctl.core.logs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.services.cloudwatchlogs.model.LiveTailSessionLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.LiveTailSessionUpdate;

/**
 * The log lines of a StartLiveTail session's update: each event of it parsed as the polled ones
 * are, checked again with {@link LogFilter#matches} (the session's filter pattern only narrows what
 * travels, as FilterLogEvents' does), oldest first. A live event has no event id
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_LiveTailSessionLogEvent.html).
 */
public final class LiveTailEvents {

  private LiveTailEvents() {}

  public static List<LogLine> lines(LiveTailSessionUpdate update, LogFilter filter) {
    List<LogLine> lines = new ArrayList<>();
    for (LiveTailSessionLogEvent event : update.sessionResults()) {
      if (event.message() == null) {
        continue;
      }
      LogLine line =
          LogLine.parse(
              event.timestamp() == null ? null : Instant.ofEpochMilli(event.timestamp()),
              event.logStreamName(),
              null,
              event.message());
      if (filter.matches(line)) {
        lines.add(line);
      }
    }
    // An update gathers a second of events from every stream; a stable sort keeps each stream's
    // own order.
    lines.sort(
        Comparator.comparing(LogLine::time, Comparator.nullsFirst(Comparator.naturalOrder())));
    return lines;
  }
}
