package dev.evtctl.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsRequest;

/**
 * CloudWatch Logs going away: while an outage is on, every PutLogEvents of a real CloudWatch Logs
 * client is sent to a loopback port nobody listens on, so it fails as a vanished endpoint does
 * (connection refused, the SDK's retries, then the error). The SDK loads this interceptor into
 * every CloudWatch Logs client of the test JVM (src/test/resources/software/amazon/awssdk/services/
 * cloudwatchlogs/execution.interceptors), so it reaches the client a command line builds; it does
 * nothing until {@link #begin()}. Other calls (CreateLogStream at start-up) still go through.
 */
public final class CloudWatchLogsOutage implements ExecutionInterceptor {

  private static volatile int deadPort;

  /** Starts an outage of PutLogEvents; closing it ends it. */
  public static AutoCloseable begin() {
    deadPort = deadPort();
    return () -> deadPort = 0;
  }

  /** A loopback port with nothing listening on it (just closed). */
  public static int deadPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends the requests the test picks to the dead port: for a client of the test's own. */
  public static ExecutionInterceptor from(java.util.function.BooleanSupplier on, int port) {
    return new ExecutionInterceptor() {
      @Override
      public SdkHttpRequest modifyHttpRequest(
          Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        return on.getAsBoolean() && context.request() instanceof PutLogEventsRequest
            ? context.httpRequest().toBuilder().host("127.0.0.1").port(port).build()
            : context.httpRequest();
      }
    };
  }

  @Override
  public SdkHttpRequest modifyHttpRequest(
      Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
    int port = deadPort;
    return port != 0 && context.request() instanceof PutLogEventsRequest
        ? context.httpRequest().toBuilder().host("127.0.0.1").port(port).build()
        : context.httpRequest();
  }
}
