package dev.evtctl.core.pipeline;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One key or item value of a pipeline definition, parsed once (syntax in {@link
 * PipelineDefinition}). {@link #evaluate} returns null when the value cannot be resolved (a pointer
 * into a missing field), and the attribute is then left out.
 */
@FunctionalInterface
public interface ValueExpression {

  AttributeValue evaluate(ItemContext context);

  static ValueExpression parse(String spec) {
    if (spec.contains(" ?? ")) {
      List<ValueExpression> alternatives = new ArrayList<>();
      for (String alternative : spec.split(" \\?\\? ")) {
        alternatives.add(parse(alternative.trim()));
      }
      return new FirstResolved(alternatives);
    }
    if (spec.equals("$body")) {
      return context -> string(context.eventText());
    }
    if (spec.equals("$ttl")) {
      return context ->
          context.ttlEpochSeconds() > 0
              ? AttributeValue.fromN(Long.toString(context.ttlEpochSeconds()))
              : null;
    }
    if (spec.equals("$reason")) {
      return context -> string(context.reason());
    }
    if (spec.equals("$messageId")) {
      return context -> string(context.messageId());
    }
    if (spec.startsWith("$json:")) {
      JsonPointer pointer = Template.pointer(spec.substring("$json:".length()), spec);
      return context ->
          context.event() == null ? null : toAttributeValue(context.event().at(pointer));
    }
    if (spec.startsWith("$value:")) {
      // A JSON literal as a DynamoDB value: $value:0, $value:{}, $value:"text"
      AttributeValue value;
      try {
        value = toAttributeValue(Json.readTree(spec.substring("$value:".length())));
      } catch (IOException e) {
        throw new PipelineDefinitionException("'" + spec + "' is not a JSON value");
      }
      return context -> value;
    }
    if (spec.startsWith("$")) {
      throw new PipelineDefinitionException(
          "unknown value '"
              + spec
              + "': expected $body, $ttl, $reason, $messageId, $json:/pointer or $value:JSON");
    }
    Template template = Template.parse(spec);
    return context -> string(template.render(context));
  }

  private static AttributeValue string(String value) {
    return value == null ? null : AttributeValue.fromS(value);
  }

  /** A JSON value as the DynamoDB value of the same shape; null for a missing node. */
  static AttributeValue toAttributeValue(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return null;
    }
    return switch (node.getNodeType()) {
      case OBJECT -> {
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        node.fields()
            .forEachRemaining(field -> map.put(field.getKey(), toAttributeValue(field.getValue())));
        yield AttributeValue.fromM(map);
      }
      case ARRAY -> {
        List<AttributeValue> list = new ArrayList<>(node.size());
        node.forEach(element -> list.add(toAttributeValue(element)));
        yield AttributeValue.fromL(list);
      }
      case STRING -> AttributeValue.fromS(node.textValue());
      case NUMBER -> AttributeValue.fromN(number(node));
      case BOOLEAN -> AttributeValue.fromBool(node.booleanValue());
      case NULL -> AttributeValue.fromNul(true);
      case BINARY -> AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(binary(node)));
      default -> null;
    };
  }

  /**
   * A JSON number as DynamoDB's N text. Plain notation while it is short; beyond DynamoDB's range
   * (magnitude 1E-130 to 1E+126) scientific notation, which DynamoDB then refuses as it refuses the
   * plain form: {@code toPlainString()} of 1e999999999 is a billion characters.
   */
  static String number(JsonNode node) {
    if (node.isIntegralNumber()) {
      return node.asText();
    }
    BigDecimal value = node.decimalValue();
    long exponent = (long) value.precision() - value.scale() - 1;
    return exponent > 126 || exponent < -131 ? value.toString() : value.toPlainString();
  }

  private static byte[] binary(JsonNode node) {
    try {
      return node.binaryValue();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code A ?? B}: the first alternative that resolves. */
  record FirstResolved(List<ValueExpression> alternatives) implements ValueExpression {
    @Override
    public AttributeValue evaluate(ItemContext context) {
      for (ValueExpression alternative : alternatives) {
        AttributeValue value = alternative.evaluate(context);
        if (value != null) {
          return value;
        }
      }
      return null;
    }
  }
}
