package dev.evtctl.aws;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * A call that could not connect names the endpoint it tried ("cannot reach http://127.0.0.1:4577:
 * Connection refused"): the SDK's own message names neither host nor port, and with --local, a
 * profile's endpoint_url or AWS_ENDPOINT_URL_SQS the user may not know which one it was.
 */
public final class UnreachableEndpoint implements ExecutionInterceptor {

  private static final String PREFIX = "cannot reach ";

  /** Whether the failure is a call that could not connect, its endpoint named by this class. */
  public static boolean named(Throwable e) {
    return e instanceof SdkClientException
        && e.getMessage() != null
        && e.getMessage().startsWith(PREFIX);
  }

  @Override
  public Throwable modifyException(
      Context.FailedExecution context, ExecutionAttributes attributes) {
    Throwable e = context.exception();
    if (!(e instanceof SdkClientException)
        || context.httpRequest().isEmpty()
        || named(e)
        || !couldNotConnect(e)) {
      return e;
    }
    SdkHttpRequest request = context.httpRequest().get();
    boolean defaultPort =
        request.port() == (request.protocol().equalsIgnoreCase("https") ? 443 : 80);
    String url =
        request.protocol() + "://" + request.host() + (defaultPort ? "" : ":" + request.port());
    String reason =
        String.valueOf(e.getMessage())
            .replaceFirst("^Unable to execute HTTP request: ", "")
            .replaceFirst(" \\(SDK Attempt Count: \\d+\\)", "");
    return SdkClientException.create(PREFIX + url + ": " + reason, e);
  }

  private static boolean couldNotConnect(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException
          || cause instanceof NoRouteToHostException
          || cause instanceof UnknownHostException
          || String.valueOf(cause.getMessage()).contains("connect timed out")
          || String.valueOf(cause.getMessage()).contains("Connection refused")) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }
}
