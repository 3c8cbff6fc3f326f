package dev.evtctl.core.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evtctl.core.processing.BackendErrors.Failure;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** The one classifier and the one description of a failed AWS call. */
class BackendErrorsTest {

  private static AwsServiceException service(int status, String code, String message) {
    return AwsServiceException.builder()
        .statusCode(status)
        .message(message)
        .awsErrorDetails(
            code == null && message == null
                ? null
                : AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
        .build();
  }

  @Test
  void aServiceErrorIsItsCodeAndTheFirstLineOfItsMessage() {
    assertThat(
            BackendErrors.describe(
                service(400, "ResourceNotFoundException", "Requested resource not found")))
        .isEqualTo("ResourceNotFoundException: Requested resource not found");
    assertThat(BackendErrors.describe(service(400, "ValidationException", "first\nsecond")))
        .isEqualTo("ValidationException: first");
    assertThat(BackendErrors.describe(service(400, "UnknownService", " ")))
        .isEqualTo("UnknownService");
  }

  @Test
  void anAnswerThatCouldNotBeReadIsItsStatusNamingTheServiceWhenGiven() {
    assertThat(BackendErrors.describe(service(403, null, null), "CloudWatch Logs"))
        .isEqualTo("HTTP 403 Forbidden (access denied) from CloudWatch Logs");
    assertThat(BackendErrors.describe(service(418, null, null))).isEqualTo("HTTP 418");
  }

  @Test
  void aCallWithoutAnAnswerIsTheFirstLineWithoutTheAttemptCount() {
    SdkException e =
        SdkClientException.create(
            "Unable to execute HTTP request: Connection refused (SDK Attempt Count: 3)\nmore");
    assertThat(BackendErrors.describe(e))
        .isEqualTo("Unable to execute HTTP request: Connection refused");
  }

  @Test
  void theCallersOwnMissingSetupIsToldFromABackendsAnswer() {
    assertThat(
            BackendErrors.missingSetup(SdkClientException.create("Unable to load region from x")))
        .isTrue();
    assertThat(
            BackendErrors.missingSetup(
                SdkClientException.create("Profile file contained no credentials for profile 'p'")))
        .isTrue();
    assertThat(BackendErrors.missingSetup(SdkClientException.create("Connection refused")))
        .isFalse();
    assertThat(BackendErrors.missingSetup(service(403, "AccessDenied", "Unable to load region")))
        .isFalse();
  }

  @Test
  void classifiesWhatAFailureMeansForTheMessage() {
    assertThat(BackendErrors.classify(service(503, "ServiceUnavailable", "down")))
        .isEqualTo(Failure.RETRY);
    assertThat(BackendErrors.classify(service(400, "AccessDeniedException", "no")))
        .isEqualTo(Failure.CONFIGURATION);
    assertThat(BackendErrors.classify(service(400, "ValidationException", "Item size too large")))
        .isEqualTo(Failure.REJECTED);
    assertThat(
            BackendErrors.classify(
                service(
                    400,
                    "ValidationException",
                    "The provided key element does not match the schema")))
        .isEqualTo(Failure.CONFIGURATION);
    assertThat(BackendErrors.classify(SdkClientException.create("Unable to load credentials")))
        .isEqualTo(Failure.CONFIGURATION);
    assertThat(BackendErrors.classify(SdkClientException.create("Connection reset")))
        .isEqualTo(Failure.RETRY);
  }
}
