package dev.evtctl.core.logs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
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
 * <p>A follow tails the group live with StartLiveTail ({@link LiveTail}) where it is given one and
 * the endpoint serves it; else (moto answers StartLiveTail 404) it polls FilterLogEvents from the
 * last timestamp seen, leaving out the lines already handed over.
 */
public final class CloudWatchLogs implements LogSource {

  private final CloudWatchLogsClient logs;
  private final String group;
  private final Integer pageLimit;

  /** Follows with it, or null: polls. */
  private final LiveTail liveTail;

  public CloudWatchLogs(CloudWatchLogsClient logs, String group) {
    this(logs, group, null, null);
  }

  /** Following with StartLiveTail where the endpoint serves it. */
  public CloudWatchLogs(CloudWatchLogsClient logs, String group, LiveTail liveTail) {
    this(logs, group, null, liveTail);
  }

  /**
   * @param pageLimit events a page, or null for the server's (10,000): tests page with less
   */
  public CloudWatchLogs(CloudWatchLogsClient logs, String group, Integer pageLimit) {
    this(logs, group, pageLimit, null);
  }

  private CloudWatchLogs(
      CloudWatchLogsClient logs, String group, Integer pageLimit, LiveTail liveTail) {
    this.logs = logs;
    this.group = group;
    this.pageLimit = pageLimit;
    this.liveTail = liveTail;
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

  /**
   * Follows with StartLiveTail where the endpoint serves it ({@code liveTail}), else polls
   * FilterLogEvents every {@code every}. A live tail is pushed a second of events at a time, with
   * no gap at the start or at a session's restart: each session start is followed by one look at
   * what came since the last line seen.
   */
  @Override
  public void follow(
      LogFilter filter, List<LogLine> after, Duration every, Consumer<List<LogLine>> batch)
      throws InterruptedException {
    if (liveTail == null) {
      poll(filter, new SeenLines(SeenLines.BY_EVENT_ID, filter.since(), after), every, batch);
      return;
    }
    // Live lines have no event id: one key for the lines of both ways, should the tail give way.
    SeenLines seen = new SeenLines(SeenLines.BY_CONTENT, filter.since(), after);
    try {
      tail(filter, seen, batch);
    } catch (LiveTailUnsupportedException e) {
      // an emulator's endpoint: polling gives the same lines
    }
    poll(filter, seen, every, batch);
  }

  private void tail(LogFilter filter, SeenLines seen, Consumer<List<LogLine>> batch)
      throws InterruptedException {
    LiveTail.Listener handOver =
        new LiveTail.Listener() {
          @Override
          public void started() {
            lines(find(filter.since(seen.from())));
          }

          @Override
          public void lines(List<LogLine> lines) {
            List<LogLine> fresh = seen.fresh(lines);
            if (!fresh.isEmpty()) {
              batch.accept(fresh);
            }
          }
        };
    try {
      liveTail.follow(arn(), filter, handOver);
    } catch (ResourceNotFoundException e) {
      throw new LogGroupNotFoundException(group, e);
    }
  }

  private void poll(LogFilter filter, SeenLines seen, Duration every, Consumer<List<LogLine>> batch)
      throws InterruptedException {
    while (true) {
      Thread.sleep(every.toMillis());
      List<LogLine> fresh = seen.fresh(find(filter.since(seen.from())));
      if (!fresh.isEmpty()) {
        batch.accept(fresh);
      }
    }
  }

  /**
   * The group's ARN, which StartLiveTail takes instead of its name: DescribeLogGroups' logGroupArn,
   * else its arn without the trailing {@code :*} (an endpoint that leaves the newer field out).
   */
  private String arn() {
    for (LogGroup found :
        logs.describeLogGroupsPaginator(request -> request.logGroupNamePrefix(group)).logGroups()) {
      if (group.equals(found.logGroupName())) {
        if (found.logGroupArn() != null) {
          return found.logGroupArn();
        }
        return found.arn().endsWith(":*")
            ? found.arn().substring(0, found.arn().length() - 2)
            : found.arn();
      }
    }
    throw new LogGroupNotFoundException(group, null);
  }

  @Override
  public String describe() {
    return "log group " + group;
  }
}
