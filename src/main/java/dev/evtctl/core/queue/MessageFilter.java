package dev.evtctl.core.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.re2j.Pattern;
import dev.evtctl.core.expect.FieldMatcher;
import dev.evtctl.core.pipeline.InvalidSettingException;
import dev.evtctl.core.pipeline.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Which queue messages a command picks, by JSON Pointer into a document made of the message:
 *
 * <pre>
 * {"body": the body (as JSON when it is JSON, else as text),
 *  "attributes": {"ApproximateReceiveCount": "4", "MessageGroupId": ..., ...},
 *  "message_attributes": {"evtctl-invalid-reason": "schema: ...", ...}}   (binary ones in base64)
 * </pre>
 *
 * <p>Each condition is {@code POINTER} (present), {@code !POINTER} (absent), {@code POINTER=TEXT}
 * (a value whose text is TEXT: a string, number or boolean), {@code POINTER!=TEXT} (absent or other
 * text) or {@code POINTER=~REGEX} (text matching the whole regular expression). A message is picked
 * when every condition holds.
 */
public final class MessageFilter {

  /** Every message. */
  public static final MessageFilter ALL = new MessageFilter(List.of(), List.of());

  private record Condition(FieldMatcher matcher, boolean negated) {
    boolean test(JsonNode document) {
      return matcher.test(document) != negated;
    }
  }

  private final List<Condition> conditions;
  private final List<String> expressions;

  private MessageFilter(List<Condition> conditions, List<String> expressions) {
    this.conditions = conditions;
    this.expressions = expressions;
  }

  /** The conditions, all of which must hold; a condition that does not parse is an error. */
  public static MessageFilter parse(List<String> expressions) {
    List<Condition> conditions = new ArrayList<>();
    for (String expression : expressions) {
      conditions.add(condition(expression));
    }
    return new MessageFilter(List.copyOf(conditions), List.copyOf(expressions));
  }

  private static Condition condition(String expression) {
    if (expression.startsWith("!/")) {
      return new Condition(
          new FieldMatcher(
              pointer(expression.substring(1), expression), FieldMatcher.Kind.ABSENT, null),
          false);
    }
    int equals = expression.indexOf('=');
    if (equals < 0) {
      return new Condition(
          new FieldMatcher(pointer(expression, expression), FieldMatcher.Kind.EXISTS, null), false);
    }
    boolean negated = equals > 0 && expression.charAt(equals - 1) == '!';
    boolean regex = !negated && expression.startsWith("=~", equals);
    String pointer = pointer(expression.substring(0, negated ? equals - 1 : equals), expression);
    String operand = expression.substring(equals + (regex ? 2 : 1));
    String pattern = regex ? operand : Pattern.quote(operand);
    try {
      return new Condition(
          new FieldMatcher(
              pointer, FieldMatcher.Kind.REGEX, Json.MAPPER.getNodeFactory().textNode(pattern)),
          negated);
    } catch (InvalidSettingException e) {
      throw new InvalidSettingException("filter '" + expression + "': " + e.getMessage());
    }
  }

  private static String pointer(String pointer, String expression) {
    if (!pointer.startsWith("/")) {
      throw new InvalidSettingException(
          "filter '"
              + expression
              + "' does not parse: a condition is POINTER, !POINTER, POINTER=TEXT, POINTER!=TEXT"
              + " or POINTER=~REGEX, with a JSON Pointer such as /body/event_name");
    }
    return pointer;
  }

  /** Whether the message is picked. */
  public boolean test(Message message) {
    if (conditions.isEmpty()) {
      return true;
    }
    JsonNode document = document(message);
    return conditions.stream().allMatch(condition -> condition.test(document));
  }

  /** The document the pointers look into. */
  public static ObjectNode document(Message message) {
    ObjectNode document = Json.MAPPER.createObjectNode();
    document.set("body", body(message.body()));
    ObjectNode attributes = document.putObject("attributes");
    message.attributesAsStrings().forEach(attributes::put);
    ObjectNode messageAttributes = document.putObject("message_attributes");
    for (Map.Entry<String, MessageAttributeValue> attribute :
        message.messageAttributes().entrySet()) {
      MessageAttributeValue value = attribute.getValue();
      messageAttributes.put(
          attribute.getKey(),
          value.stringValue() != null
              ? value.stringValue()
              : value.binaryValue() == null
                  ? null
                  : Base64.getEncoder().encodeToString(value.binaryValue().asByteArray()));
    }
    return document;
  }

  /** The body as JSON when it is JSON, else as text. */
  public static JsonNode body(String body) {
    try {
      JsonNode json = Json.readTree(body);
      if (json != null && !json.isMissingNode()) {
        return json;
      }
    } catch (IOException | RuntimeException e) {
      // not JSON: the text itself
    }
    return Json.MAPPER.getNodeFactory().textNode(body);
  }

  @Override
  public String toString() {
    return expressions.isEmpty() ? "every message" : String.join(" and ", expressions);
  }
}
