package dev.evtctl.core.processing;

import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * What a failed AWS call means and what it says, decided here once for every door: {@link
 * #classify} sorts it for the message that made it, {@link #missingSetup} tells the caller's own
 * missing setup from a backend's answer, {@link #describe} puts it on one line.
 */
public final class BackendErrors {

  public enum Failure {
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

  public static Failure classify(SdkException e) {
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

  /**
   * The caller's own setup is missing (no region, no credentials, a profile without them): nothing
   * was asked of a backend.
   */
  public static boolean missingSetup(SdkException e) {
    String message = e.getMessage();
    return e instanceof SdkClientException
        && message != null
        && (message.contains("Unable to load region")
            || message.contains("Unable to load credentials")
            || message.contains("Profile file contained no credentials"));
  }

  /** {@link #describe(SdkException, String)} for a call whose service the reader knows. */
  public static String describe(SdkException e) {
    return describe(e, null);
  }

  /**
   * The backend's own words on one line, without the request id noise: its error code and message
   * ("ResourceNotFoundException: Requested resource not found"); the HTTP status when its answer
   * could not be read, naming {@code service} when given; for a call that got no answer, the SDK's
   * first line without its attempt count.
   */
  public static String describe(SdkException e, String service) {
    if (e instanceof AwsServiceException failed) {
      AwsErrorDetails details = failed.awsErrorDetails();
      if (details != null && details.errorCode() != null) {
        String message = details.errorMessage();
        return details.errorCode()
            + (message == null || message.isBlank() ? "" : ": " + firstLine(message));
      }
      // An error body the protocol could not read (an emulator's XML to a JSON API): the status
      // says the most.
      return "HTTP "
          + failed.statusCode()
          + switch (failed.statusCode()) {
            case 400 -> " Bad Request";
            case 403 -> " Forbidden (access denied)";
            case 404 -> " Not Found";
            default -> "";
          }
          + (service == null ? "" : " from " + service);
    }
    String message = e.getMessage() == null ? e.toString() : firstLine(e.getMessage());
    return message.replaceFirst(" \\(SDK Attempt Count: \\d+\\)", "").strip();
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
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
