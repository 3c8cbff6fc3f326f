package dev.evtctl.serve;

import dev.evtctl.core.processing.BackendErrors;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A failed AWS call as an HTTP answer: a table or queue that does not exist is 404, anything else
 * the backend did or could not do (down, throttling, access denied) is 502 Bad Gateway, each with
 * the backend's own words on one line (BackendErrors).
 */
final class BackendFailures {

  private BackendFailures() {}

  static RequestFailedException of(SdkException e, String resource) {
    String code =
        e instanceof AwsServiceException service && service.awsErrorDetails() != null
            ? String.valueOf(service.awsErrorDetails().errorCode())
            : "";
    if (code.equals("ResourceNotFoundException")
        || code.equals("QueueDoesNotExist")
        || code.equals("AWS.SimpleQueueService.NonExistentQueue")) {
      return new RequestFailedException(404, resource + " does not exist");
    }
    return new RequestFailedException(502, "backend failed: " + BackendErrors.describe(e));
  }
}
