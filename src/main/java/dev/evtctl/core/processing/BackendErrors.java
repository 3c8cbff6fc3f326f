package dev.evtctl.core.processing;

import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** Sorts a failed AWS call into what it means for the message that made it. */
final class BackendErrors {

  enum Failure {
    /** May pass on a second try: throttling, 5xx, timeouts, connection errors. */
    RETRY,
    /** The pipeline cannot work at all: table or queue missing, access denied, wrong key schema. */
    CONFIGURATION,
    /**
     * This one item was refused (too large, a number DynamoDB cannot hold): the event is invalid.
     */
    REJECTED
  }

  private static final Set<String> CONFIGURATION_CODES =
      Set.of(
          "ResourceNotFoundException",
          "AccessDeniedException",
          "AccessDenied",
          "UnrecognizedClientException",
          "InvalidClientTokenId",
          "InvalidSignatureException",
          "IncompleteSignature",
          "MissingAuthenticationTokenException",
          "ExpiredTokenException",
          "QueueDoesNotExist",
          "AWS.SimpleQueueService.NonExistentQueue",
          "KMS.AccessDeniedException",
          "KMSAccessDeniedException");

  private BackendErrors() {}

  static Failure classify(SdkException e) {
    if (e instanceof TransactionCanceledException cancelled) {
      return classifyCancellation(cancelled);
    }
    if (e instanceof AwsServiceException service) {
      String code = service.awsErrorDetails() == null ? "" : service.awsErrorDetails().errorCode();
      if (service.isThrottlingException() || service.statusCode() >= 500) {
        return Failure.RETRY;
      }
      if (CONFIGURATION_CODES.contains(code) || service.statusCode() == 403) {
        return Failure.CONFIGURATION;
      }
      if ("ValidationException".equals(code)) {
        return isKeySchemaMismatch(service) ? Failure.CONFIGURATION : Failure.REJECTED;
      }
      return Failure.RETRY;
    }
    if (e instanceof SdkClientException && mentionsCredentials(e)) {
      return Failure.CONFIGURATION;
    }
    return Failure.RETRY;
  }

  /** The backend's own words, one line, without the request id noise. */
  static String describe(SdkException e) {
    if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
      String code = service.awsErrorDetails().errorCode();
      String message = service.awsErrorDetails().errorMessage();
      return (code == null ? "" : code + ": ") + (message == null ? service.getMessage() : message);
    }
    return e.getMessage();
  }

  private static Failure classifyCancellation(TransactionCanceledException e) {
    if (e.hasCancellationReasons()) {
      for (CancellationReason reason : e.cancellationReasons()) {
        if ("ValidationError".equals(reason.code())) {
          return Failure.REJECTED;
        }
      }
    }
    return Failure.RETRY;
  }

  // "The provided key element does not match the schema", "Missing the key sk in the item"
  private static boolean isKeySchemaMismatch(AwsServiceException e) {
    String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    return message.contains("does not match the schema") || message.contains("missing the key");
  }

  private static boolean mentionsCredentials(SdkException e) {
    return String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("credentials");
  }
}
