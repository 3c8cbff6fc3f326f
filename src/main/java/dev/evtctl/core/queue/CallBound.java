package dev.evtctl.core.queue;

import dev.evtctl.core.processing.BackendErrors;
import java.time.Duration;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * A client's bound on each call, retries included (its {@code apiCallTimeout}: how long a command
 * rides out passing faults before it gives up, see {@code AwsClients.ridingOutFaults}), as the
 * calls that wait on purpose and the messages that report a give-up need it.
 */
final class CallBound {

  private CallBound() {}

  /**
   * A long poll waits on purpose: its bound is the client's plus the wait, so that a healthy poll
   * never counts against the time the backend may be gone.
   */
  static ReceiveMessageRequest.Builder longPoll(
      ReceiveMessageRequest.Builder request, SdkClient client, int waitTimeSeconds) {
    Duration bound = of(client);
    return bound == null
        ? request
        : request.overrideConfiguration(o -> o.apiCallTimeout(bound.plusSeconds(waitTimeSeconds)));
  }

  /**
   * One line for a call that failed: a give-up names the bound, anything else says what {@link
   * BackendErrors#describe} says.
   */
  static String describe(SdkClient client, SdkException e) {
    Duration bound = of(client);
    if (e instanceof ApiCallTimeoutException && bound != null) {
      return "still failing after "
          + bound.toSeconds()
          + " s of retries (the give-up time); the backend looks gone";
    }
    return BackendErrors.describe(e);
  }

  private static Duration of(SdkClient client) {
    return client
        .serviceClientConfiguration()
        .overrideConfiguration()
        .apiCallTimeout()
        .orElse(null);
  }
}
