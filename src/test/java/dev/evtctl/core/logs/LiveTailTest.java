package dev.evtctl.core.logs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatchlogs.model.SessionStreamingException;

/** Which answers to StartLiveTail mean "this endpoint has none: poll", and which are errors. */
class LiveTailTest {

  private static CloudWatchLogsException answer(int status, String code) {
    return (CloudWatchLogsException)
        CloudWatchLogsException.builder()
            .statusCode(status)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("x").build())
            .build();
  }

  @Test
  void anEndpointWithoutStartLiveTailIsNotServed() {
    // moto 5: 404 "Not yet implemented", no error code
    assertThat(LiveTail.notServed(answer(404, null))).isTrue();
    // LocalStack: 501, "not yet implemented or pro feature"
    assertThat(LiveTail.notServed(answer(501, "InternalFailure"))).isTrue();
    // the JSON protocol's answer to a target it does not know
    assertThat(LiveTail.notServed(answer(400, "UnknownOperationException"))).isTrue();
  }

  @Test
  void aServerErrorIsAServerError() {
    // moto_server answers an action it lacks 500; only before a session started does that make
    // the tail give way (LiveTail.follow), and a 4xx never does
    assertThat(LiveTail.serverError(answer(500, null))).isTrue();
    assertThat(LiveTail.serverError(answer(503, "ServiceUnavailableException"))).isTrue();
    assertThat(LiveTail.serverError(answer(400, "AccessDeniedException"))).isFalse();
    assertThat(LiveTail.serverError(SdkClientException.create("Connection refused"))).isFalse();
  }

  @Test
  void otherErrorsAreErrors() {
    assertThat(
            LiveTail.notServed(
                ResourceNotFoundException.builder()
                    .statusCode(400)
                    .awsErrorDetails(
                        AwsErrorDetails.builder().errorCode("ResourceNotFoundException").build())
                    .build()))
        .isFalse();
    assertThat(LiveTail.notServed(answer(400, "AccessDeniedException"))).isFalse();
    assertThat(LiveTail.notServed(answer(400, "ThrottlingException"))).isFalse();
    assertThat(LiveTail.notServed(answer(500, "ServiceUnavailableException"))).isFalse();
    assertThat(LiveTail.notServed(SessionStreamingException.builder().build())).isFalse();
    assertThat(LiveTail.notServed(SdkClientException.create("Connection refused"))).isFalse();
  }
}
