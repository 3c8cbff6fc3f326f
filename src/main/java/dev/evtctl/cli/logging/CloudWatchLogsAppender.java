package dev.evtctl.cli.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import dev.evtctl.core.processing.BackendErrors;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.RejectedLogEventsInfo;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * Ships the structured log lines to one CloudWatch Logs stream, the way Lambda ships a function's
 * stderr: each line one log event, its message the same JSON, so `aws logs filter-log-events` and
 * Logs Insights read a local drain like the Lambda's. Lines wait in memory and go out with
 * PutLogEvents every {@link #FLUSH_INTERVAL}, when a batch is full, and on {@link #stop()}.
 *
 * <p>Logging never waits for CloudWatch and never fails because of it: a line that cannot be
 * shipped (CloudWatch unreachable or refusing, a full buffer, a line too large) is counted with its
 * reason, for {@link #unshippedReport()}.
 */
public final class CloudWatchLogsAppender extends AppenderBase<ILoggingEvent> {

  /** The service, as a failure that could not be read names it. */
  public static final String SERVICE = "CloudWatch Logs";

  // PutLogEvents limits
  // (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html):
  // at most 10,000 events and 1,048,576 bytes a call, each event counted as its UTF-8 bytes + 26;
  // the events of one call in time order and within 24 hours.
  static final int MAX_BATCH_EVENTS = 10_000;
  static final int MAX_BATCH_BYTES = 1_048_576;
  static final int EVENT_OVERHEAD_BYTES = 26;
  static final long MAX_BATCH_SPAN_MILLIS = Duration.ofHours(24).toMillis();

  /** "Each log event can be no larger than 256 KB" (newer pages say 1 MB; the smaller holds). */
  static final int MAX_EVENT_BYTES = 256 * 1024;

  /** How long a line waits at most before it is shipped. */
  static final Duration FLUSH_INTERVAL = Duration.ofSeconds(2);

  /** Lines held while CloudWatch is slow or away; past this, new lines are counted unshipped. */
  static final int MAX_WAITING = 5 * MAX_BATCH_EVENTS;

  /**
   * One PutLogEvents, retries included (the client's standard mode: 3 attempts), may take this
   * long: a CloudWatch endpoint that stopped answering holds a flush, and the end of the drain, for
   * no longer.
   */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private static final AwsRequestOverrideConfiguration BOUNDED =
      AwsRequestOverrideConfiguration.builder().apiCallTimeout(CALL_TIMEOUT).build();

  /** One encoded line. */
  private record Line(long timestamp, String message, int bytes) {
    int size() {
      return bytes + EVENT_OVERHEAD_BYTES;
    }
  }

  private final CloudWatchLogsClient logs;
  private final String group;
  private final String stream;
  private final Duration flushInterval;
  private final LinkedBlockingQueue<Line> waiting = new LinkedBlockingQueue<>(MAX_WAITING);

  /** One flush at a time: the flusher thread's, or stop()'s. */
  private final Object flushing = new Object();

  /** stop() once: a second caller waits until the first has shipped everything. */
  private final Object stopLock = new Object();

  /** Unshipped lines by reason, in the order the reasons first came; guarded by itself. */
  private final Map<String, Long> unshipped = new LinkedHashMap<>();

  private Encoder<ILoggingEvent> encoder;
  private volatile Thread flusher;
  private volatile boolean stopping;
  private boolean stopped;
  private long shippedCount;

  private CloudWatchLogsAppender(
      CloudWatchLogsClient logs, String group, String stream, Duration flushInterval) {
    this.logs = logs;
    this.group = group;
    this.stream = stream;
    this.flushInterval = flushInterval;
  }

  /**
   * Makes sure the stream exists, creating the group too when it is missing (an existing group or
   * stream is fine, as for the Lambda runtime), so that a group that cannot be written to fails
   * here, before anything is drained. Set the encoder, then start the appender.
   *
   * @throws SdkException when CloudWatch Logs refuses (access denied, invalid name) or cannot be
   *     reached
   */
  public static CloudWatchLogsAppender open(
      CloudWatchLogsClient logs, String group, String stream) {
    return open(logs, group, stream, FLUSH_INTERVAL);
  }

  static CloudWatchLogsAppender open(
      CloudWatchLogsClient logs, String group, String stream, Duration flushInterval) {
    CloudWatchLogsAppender appender =
        new CloudWatchLogsAppender(logs, group, stream, flushInterval);
    appender.createStream();
    return appender;
  }

  /**
   * A stream per process, named as Lambda names its streams (date first) so they sort by day:
   * {@code evtctl-drain/2026/11/23/<hostname>-<pid>} for a drain.
   */
  public static String streamName(String command, Instant now) {
    String day = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC).format(now);
    // Stream names exclude ':' and '*'.
    String host = hostname().replaceAll("[^A-Za-z0-9._-]", "-");
    return "evtctl-" + command + "/" + day + "/" + host + "-" + ProcessHandle.current().pid();
  }

  String group() {
    return group;
  }

  String stream() {
    return stream;
  }

  void setEncoder(Encoder<ILoggingEvent> encoder) {
    this.encoder = encoder;
  }

  @Override
  public void start() {
    if (encoder == null) {
      addError("no encoder for CloudWatch Logs appender " + name);
      return;
    }
    Thread thread = new Thread(this::flushEveryInterval, "evtctl-cloudwatch-logs");
    thread.setDaemon(true);
    flusher = thread;
    super.start();
    thread.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    byte[] encoded = encoder.encode(event);
    int length = encoded.length;
    while (length > 0 && (encoded[length - 1] == '\n' || encoded[length - 1] == '\r')) {
      length--;
    }
    Line line =
        new Line(
            event.getTimeStamp(), new String(encoded, 0, length, StandardCharsets.UTF_8), length);
    if (line.size() > MAX_EVENT_BYTES) {
      countUnshipped(1, "a log line over CloudWatch's 256 KB limit for one event");
    } else if (!waiting.offer(line)) {
      countUnshipped(
          1, MAX_WAITING + " log lines already waiting for CloudWatch Logs (buffer full)");
    } else if (waiting.size() >= MAX_BATCH_EVENTS) {
      LockSupport.unpark(flusher);
    }
  }

  /** Ships what waits, and waits until it is shipped. */
  void flush() {
    synchronized (flushing) {
      List<Line> lines = new ArrayList<>(waiting.size());
      waiting.drainTo(lines);
      if (lines.isEmpty()) {
        return;
      }
      // Lines are logged from many threads: their timestamps reach the queue slightly out of order.
      lines.sort(Comparator.comparingLong(Line::timestamp));
      String unreachable = null;
      for (List<Line> batch : batches(lines)) {
        if (unreachable != null) {
          // Do not wait out the timeouts again for every batch of this flush.
          countUnshipped(batch.size(), unreachable);
          continue;
        }
        unreachable = ship(batch);
      }
    }
  }

  /**
   * Stops taking lines and ships every line taken before returning (so the drain's summary comes
   * after its last log line is in CloudWatch). Safe to call twice and from two threads (the Ctrl-C
   * hook and the drain's end): the second waits for the first.
   */
  @Override
  public void stop() {
    synchronized (stopLock) {
      if (stopped) {
        return;
      }
      stopped = true;
      stopping = true;
      super.stop();
      Thread thread = flusher;
      if (thread != null) {
        LockSupport.unpark(thread);
        try {
          thread.join(2 * CALL_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      flush();
    }
  }

  /** Lines shipped so far. */
  long shipped() {
    synchronized (unshipped) {
      return shippedCount;
    }
  }

  /** Lines that could not be shipped, by reason. */
  Map<String, Long> unshipped() {
    synchronized (unshipped) {
      return new LinkedHashMap<>(unshipped);
    }
  }

  /**
   * One line for stderr saying how many lines could not be shipped and why, or null when all were.
   */
  public String unshippedReport() {
    Map<String, Long> byReason = unshipped();
    if (byReason.isEmpty()) {
      return null;
    }
    long total = byReason.values().stream().mapToLong(Long::longValue).sum();
    StringBuilder report =
        new StringBuilder()
            .append(total)
            .append(total == 1 ? " log event" : " log events")
            .append(" could not be shipped to CloudWatch Logs group ")
            .append(group)
            .append(": ");
    String separator = "";
    for (Map.Entry<String, Long> reason : byReason.entrySet()) {
      report.append(separator).append(reason.getKey());
      if (byReason.size() > 1) {
        report.append(" (").append(reason.getValue()).append(')');
      }
      separator = "; ";
    }
    return report.toString();
  }

  private void flushEveryInterval() {
    while (!stopping) {
      LockSupport.parkNanos(flushInterval.toNanos());
      if (!stopping) {
        flush();
      }
    }
  }

  /** Ships one batch; returns the reason when CloudWatch could not be reached, else null. */
  private String ship(List<Line> batch) {
    List<InputLogEvent> events = new ArrayList<>(batch.size());
    for (Line line : batch) {
      events.add(
          InputLogEvent.builder().timestamp(line.timestamp()).message(line.message()).build());
    }
    try {
      PutLogEventsResponse response;
      try {
        response = put(events);
      } catch (ResourceNotFoundException e) {
        // The group or stream was deleted while the drain ran: create it again, once.
        createStream();
        response = put(events);
      }
      int rejected = rejected(response.rejectedLogEventsInfo(), events.size());
      if (rejected > 0) {
        countUnshipped(
            rejected, "rejected by CloudWatch Logs as too old, too new or past the retention");
      }
      synchronized (unshipped) {
        shippedCount += events.size() - rejected;
      }
      return null;
    } catch (SdkException e) {
      String reason = BackendErrors.describe(e, SERVICE);
      countUnshipped(events.size(), reason);
      return e instanceof SdkClientException ? reason : null;
    }
  }

  private PutLogEventsResponse put(List<InputLogEvent> events) {
    return logs.putLogEvents(
        request ->
            request
                .logGroupName(group)
                .logStreamName(stream)
                .logEvents(events)
                .overrideConfiguration(BOUNDED));
  }

  private void createStream() {
    try {
      createStreamInExistingGroup();
    } catch (ResourceNotFoundException missingGroup) {
      try {
        logs.createLogGroup(request -> request.logGroupName(group).overrideConfiguration(BOUNDED));
      } catch (ResourceAlreadyExistsException createdMeanwhile) {
        // another drain created it first
      }
      createStreamInExistingGroup();
    }
  }

  private void createStreamInExistingGroup() {
    try {
      logs.createLogStream(
          request ->
              request.logGroupName(group).logStreamName(stream).overrideConfiguration(BOUNDED));
    } catch (ResourceAlreadyExistsException exists) {
      // an earlier drain of this process today: go on writing to it
    }
  }

  /**
   * The events of a response that CloudWatch did not keep. The too-old and expired end indexes are
   * exclusive by the API reference; moto reports the last index itself, so an index that is there
   * counts at least one event.
   */
  private static int rejected(RejectedLogEventsInfo info, int size) {
    if (info == null) {
      return 0;
    }
    int oldEnd = 0;
    if (info.tooOldLogEventEndIndex() != null) {
      oldEnd = Math.max(oldEnd, Math.max(info.tooOldLogEventEndIndex(), 1));
    }
    if (info.expiredLogEventEndIndex() != null) {
      oldEnd = Math.max(oldEnd, Math.max(info.expiredLogEventEndIndex(), 1));
    }
    int newStart = info.tooNewLogEventStartIndex() == null ? size : info.tooNewLogEventStartIndex();
    oldEnd = Math.min(oldEnd, size);
    newStart = Math.max(Math.min(newStart, size), oldEnd);
    return oldEnd + (size - newStart);
  }

  /** Lines (in time order) cut into PutLogEvents calls within the limits. */
  private static List<List<Line>> batches(List<Line> lines) {
    List<List<Line>> batches = new ArrayList<>();
    List<Line> batch = new ArrayList<>();
    long bytes = 0;
    for (Line line : lines) {
      boolean full =
          batch.size() == MAX_BATCH_EVENTS
              || bytes + line.size() > MAX_BATCH_BYTES
              || (!batch.isEmpty()
                  && line.timestamp() - batch.get(0).timestamp() >= MAX_BATCH_SPAN_MILLIS);
      if (full) {
        batches.add(batch);
        batch = new ArrayList<>();
        bytes = 0;
      }
      batch.add(line);
      bytes += line.size();
    }
    if (!batch.isEmpty()) {
      batches.add(batch);
    }
    return batches;
  }

  private void countUnshipped(long count, String reason) {
    synchronized (unshipped) {
      unshipped.merge(reason, count, Long::sum);
    }
  }

  private static String hostname() {
    String fromEnvironment = System.getenv("HOSTNAME");
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return fromEnvironment.strip();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
