package dev.evtctl.core.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.evtctl.core.pipeline.InvalidSettingException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

class MessageFilterTest {

  private static final Message MESSAGE =
      Message.builder()
          .messageId("m-1")
          .body(
              "{\"event_name\":\"AUTH_IPV_SUCCESS\",\"timestamp\":1700000000,"
                  + "\"user\":{\"session_id\":\"s-1\"},\"a/b\":true}")
          .attributes(Map.of(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "4"))
          .messageAttributes(
              Map.of(
                  "evtctl-invalid-reason",
                  MessageAttributeValue.builder()
                      .dataType("String")
                      .stringValue("schema: $.user: required")
                      .build(),
                  "raw",
                  MessageAttributeValue.builder()
                      .dataType("Binary")
                      .binaryValue(SdkBytes.fromUtf8String("hi"))
                      .build()))
          .build();

  /**
   * The pattern that hung a redrive (and kept SIGTERM waiting 70 s) with a backtracking engine: on
   * a 40-character name, java.util.regex takes minutes; RE2/J answers at once. The timeout only
   * guards the build against a hang: it fails only if the engine backtracks again.
   */
  @org.junit.jupiter.api.Test
  @org.junit.jupiter.api.Timeout(30)
  void aCatastrophicPatternCannotHang() {
    Message longName =
        MESSAGE.toBuilder().body("{\"event_name\":\"" + "a".repeat(40) + "\"}").build();
    MessageFilter filter = MessageFilter.parse(List.of("/body/event_name=~(.*a){12}x"));
    assertThat(filter.test(longName)).isFalse();
    assertThat(MessageFilter.parse(List.of("/body/event_name=~(.*a){12}")).test(longName)).isTrue();
  }

  @org.junit.jupiter.api.Test
  void aBackreferenceIsRefusedAsRe2HasNone() {
    assertThatThrownBy(() -> MessageFilter.parse(List.of("/body/event_name=~(a)\\1")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("does not compile");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/body/event_name=AUTH_IPV_SUCCESS | true",
        "/body/event_name=AUTH_IPV | false",
        "/body/event_name!=AUTH_IPV | true",
        "/body/missing!=x | true",
        "/body/event_name=~AUTH_.* | true",
        "/body/event_name=~AUTH | false",
        "/body/timestamp=1700000000 | true",
        "/body/user/session_id | true",
        "!/body/user/ip_address | true",
        "!/body/user | false",
        "/body/a~1b=true | true",
        "/attributes/ApproximateReceiveCount=4 | true",
        "/message_attributes/evtctl-invalid-reason=~schema: .* | true",
        "/message_attributes/raw=aGk= | true",
        "/body/event_name=a.b | false",
      })
  void aConditionPicksWhatItSays(String expression, boolean picked) {
    assertThat(MessageFilter.parse(List.of(expression)).test(MESSAGE)).isEqualTo(picked);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"{\"n\":1} | /body/n", "not json | /body", "'' | /body"})
  void theBodyIsJsonWhenItIsJsonAndTextOtherwise(String body, String pointer) {
    Message message = MESSAGE.toBuilder().body(body).build();
    assertThat(MessageFilter.parse(List.of(pointer)).test(message)).isTrue();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "event_name=X | filter 'event_name=X' does not parse",
        "body/x | filter 'body/x' does not parse",
        "/body/x=~[ | filter '/body/x=~[': regex for /body/x does not compile",
      })
  void aConditionThatDoesNotParseSaysSo(String expression, String message) {
    assertThatThrownBy(() -> MessageFilter.parse(List.of(expression)))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith(message);
  }

  @org.junit.jupiter.api.Test
  void everyConditionMustHold() {
    MessageFilter both =
        MessageFilter.parse(List.of("/body/event_name=AUTH_IPV_SUCCESS", "/body/user/ip_address"));
    assertThat(both.test(MESSAGE)).isFalse();
    assertThat(MessageFilter.ALL.test(MESSAGE)).isTrue();
  }
}
