package dev.evtctl.core.logs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * A CloudWatch Logs group, every stream of it, read with FilterLogEvents: the filter goes to the
 * server as a JSON filter pattern ({@link LogFilter#toFilterPattern}) and its time bounds as
 * startTime/endTime, every page followed (nextToken; a page holds at most 10,000 events or 1 MB,
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html).
 * What comes back is checked again with {@link LogFilter#matches}: the pattern only narrows what
 * travels, and an endpoint that ignores it (moto 5 returns every event) still gives the right
 * lines.
 *
 * <p>A follow polls FilterLogEvents from the last timestamp seen, leaving out the event ids already
 * handed over; StartLiveTail is not used (it needs the async client, and moto answers it 404).
 */
public final class CloudWatchLogs implements LogSource {

  private final CloudWatchLogsClient logs;
  private final String group;
  private final Integer pageLimit;

  public CloudWatchLogs(CloudWatchLogsClient logs, String group) {
    this(logs, group, null);
  }

  /**
   * @param pageLimit events a page, or null for the server's (10,000): tests page with less
   */
  public CloudWatchLogs(CloudWatchLogsClient logs, String group, Integer pageLimit) {
    this.logs = logs;
    this.group = group;
    this.pageLimit = pageLimit;
  }

  /**
   * @throws LogGroupNotFoundException when the group does not exist
   * @throws software.amazon.awssdk.core.exception.SdkException when CloudWatch Logs refuses or
   *     cannot be reached
   */
  @Override
  public List<LogLine> find(LogFilter filter) {
    List<LogLine> lines = new ArrayList<>();
    String token = null;
    FilterLogEventsRequest.Builder request =
        FilterLogEventsRequest.builder()
            .logGroupName(group)
            .filterPattern(filter.toFilterPattern())
            .limit(pageLimit);
    if (filter.since() != null) {
      request.startTime(filter.since().toEpochMilli());
    }
    if (filter.until() != null) {
      request.endTime(filter.until().toEpochMilli());
    }
    do {
      FilterLogEventsResponse page;
      try {
        page = logs.filterLogEvents(request.nextToken(token).build());
      } catch (ResourceNotFoundException e) {
        throw new LogGroupNotFoundException(group, e);
      }
      for (FilteredLogEvent event : page.events()) {
        LogLine line =
            LogLine.parse(
                event.timestamp() == null ? null : Instant.ofEpochMilli(event.timestamp()),
                event.logStreamName(),
                event.eventId(),
                event.message());
        if (filter.matches(line)) {
          lines.add(line);
        }
      }
      token = page.nextToken();
    } while (token != null && !token.isEmpty());
    // Pages come interleaved by time across streams; a stable sort keeps a stream's own order.
    lines.sort(
        Comparator.comparing(LogLine::time, Comparator.nullsFirst(Comparator.naturalOrder())));
    return lines;
  }

  @Override
  public void follow(
      LogFilter filter, List<LogLine> after, Duration every, Consumer<List<LogLine>> batch)
      throws InterruptedException {
    // event id -> its timestamp, for the events at or after the last timestamp seen
    Map<String, Instant> seen = new HashMap<>();
    Instant from = filter.since();
    for (LogLine line : after) {
      from = later(from, line.time());
      if (line.eventId() != null) {
        seen.put(line.eventId(), line.time());
      }
    }
    if (from == null) {
      from = Instant.now();
    }
    while (true) {
      Thread.sleep(every.toMillis());
      List<LogLine> fresh = new ArrayList<>();
      for (LogLine line : find(filter.since(from))) {
        if (line.eventId() == null || seen.putIfAbsent(line.eventId(), line.time()) == null) {
          fresh.add(line);
        }
        from = later(from, line.time());
      }
      Instant last = from;
      seen.values().removeIf(time -> time != null && time.isBefore(last));
      if (!fresh.isEmpty()) {
        batch.accept(fresh);
      }
    }
  }

  @Override
  public String describe() {
    return "log group " + group;
  }

  private static Instant later(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || b.isBefore(a) ? a : b;
  }
}
