package dev.evtctl.core.logs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LiveTailSessionStart;
import software.amazon.awssdk.services.cloudwatchlogs.model.LiveTailSessionUpdate;
import software.amazon.awssdk.services.cloudwatchlogs.model.SessionTimeoutException;
import software.amazon.awssdk.services.cloudwatchlogs.model.StartLiveTailRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.StartLiveTailResponseHandler;
import software.amazon.awssdk.services.cloudwatchlogs.model.StartLiveTailResponseStream;

/**
 * StartLiveTail sessions on one log group, one after another until the thread is interrupted: a
 * session sends LiveTailSessionStart, then a LiveTailSessionUpdate every second, and ends after
 * three hours with SessionTimeoutException
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_StartLiveTail.html); a
 * session that ends so, or that the server closes, is started again. The SDK's threads only queue
 * the events; they are handled in the calling thread, which is the one an interrupt ends.
 */
public final class LiveTail {

  /** What a follow does with a session's events. */
  public interface Listener {

    /** A session started: lines may have come between the last one seen and now. */
    void started();

    void lines(List<LogLine> lines);
  }

  /** How long to wait before starting a session again: no busy loop on a server that ends them. */
  static final Duration RESTART_PAUSE = Duration.ofSeconds(1);

  /**
   * The answers of an endpoint that has no StartLiveTail: 404 (moto's in-process mock: "Not yet
   * implemented"), 501 (LocalStack's "not yet implemented or pro feature"), or the JSON protocol's
   * unknown operation.
   */
  private static final Set<Integer> NOT_SERVED_STATUSES = Set.of(404, 501);

  private static final Set<String> NOT_SERVED_CODES =
      Set.of("UnknownOperationException", "UnknownOperation", "NotImplemented", "InvalidAction");

  private final CloudWatchLogsAsyncClient logs;

  public LiveTail(CloudWatchLogsAsyncClient logs) {
    this.logs = logs;
  }

  /**
   * @param groupArn the group's ARN, without the {@code :*} of DescribeLogGroups' {@code arn}:
   *     StartLiveTail takes ARNs, not names
   * @throws LiveTailUnsupportedException when the endpoint does not serve StartLiveTail, or fails
   *     it with a 5xx before any session started ({@link #serverError})
   * @throws SdkException when CloudWatch Logs refuses or cannot be reached
   *     (ResourceNotFoundException: the group is gone)
   * @throws InterruptedException when the thread is interrupted: the end of a follow
   */
  public void follow(String groupArn, LogFilter filter, Listener listener)
      throws InterruptedException {
    StartLiveTailRequest request =
        StartLiveTailRequest.builder()
            .logGroupIdentifiers(groupArn)
            .logEventFilterPattern(filter.toFilterPattern())
            .build();
    AtomicBoolean started = new AtomicBoolean();
    while (true) {
      try {
        session(request, filter, listener, started);
      } catch (SessionTimeoutException threeHours) {
        // the session's end, not the follow's
      } catch (SdkException e) {
        if (notServed(e) || (!started.get() && serverError(e))) {
          throw new LiveTailUnsupportedException(e);
        }
        throw e;
      }
      Thread.sleep(RESTART_PAUSE.toMillis());
    }
  }

  /** One session, until the server ends it; {@code started} is set at its LiveTailSessionStart. */
  private void session(
      StartLiveTailRequest request, LogFilter filter, Listener listener, AtomicBoolean started)
      throws InterruptedException {
    BlockingQueue<StartLiveTailResponseStream> events = new LinkedBlockingQueue<>();
    StartLiveTailResponseHandler handler =
        StartLiveTailResponseHandler.builder().subscriber(events::add).build();
    CompletableFuture<Void> done = logs.startLiveTail(request, handler);
    try {
      while (true) {
        StartLiveTailResponseStream event = events.poll(200, TimeUnit.MILLISECONDS);
        if (event != null) {
          if (event instanceof LiveTailSessionStart) {
            started.set(true);
          }
          handle(event, filter, listener);
        } else if (done.isDone()) {
          List<StartLiveTailResponseStream> last = new ArrayList<>();
          events.drainTo(last);
          for (StartLiveTailResponseStream each : last) {
            handle(each, filter, listener);
          }
          done.get();
          return;
        }
      }
    } catch (ExecutionException e) {
      throw unwrap(e.getCause());
    } finally {
      // Ends the stream (and its connection) when the follow ends first.
      done.cancel(true);
    }
  }

  private static void handle(
      StartLiveTailResponseStream event, LogFilter filter, Listener listener) {
    if (event instanceof LiveTailSessionStart) {
      listener.started();
    } else if (event instanceof LiveTailSessionUpdate update) {
      List<LogLine> lines = LiveTailEvents.lines(update, filter);
      if (!lines.isEmpty()) {
        listener.lines(lines);
      }
    }
  }

  private static RuntimeException unwrap(Throwable cause) {
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause instanceof RuntimeException runtime
        ? runtime
        : new IllegalStateException("StartLiveTail failed", cause);
  }

  /**
   * A 5xx (after the SDK's retries) before any session started. moto's server answers an action it
   * lacks so (500, its log says "The start_live_tail action has not been implemented"), which no
   * answer tells apart from a failing StartLiveTail; either way polling is the way left, and an
   * endpoint that is really failing fails the poll's FilterLogEvents too, with its own error.
   */
  static boolean serverError(SdkException e) {
    return e instanceof AwsServiceException service && service.statusCode() >= 500;
  }

  /** Whether the endpoint answered that it has no StartLiveTail at all. */
  static boolean notServed(SdkException e) {
    if (!(e instanceof AwsServiceException service)) {
      return false;
    }
    String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
    return NOT_SERVED_STATUSES.contains(service.statusCode())
        || (code != null && NOT_SERVED_CODES.contains(code));
  }
}
