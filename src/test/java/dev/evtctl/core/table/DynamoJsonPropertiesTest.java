package dev.evtctl.core.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.evtctl.core.pipeline.Json;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** DynamoDB JSON, as export writes it and import reads it, loses nothing. */
class DynamoJsonPropertiesTest {

  @Property(tries = 500)
  void anItemWrittenAndReadBackIsTheSameItem(@ForAll("items") Map<String, AttributeValue> item)
      throws Exception {
    String line = DynamoJson.toJson(item).toString();

    Map<String, AttributeValue> back = DynamoJson.toItem(Json.MAPPER.readTree(line));

    assertThat(back).isEqualTo(item);
  }

  @Provide
  Arbitrary<Map<String, AttributeValue>> items() {
    return Arbitraries.maps(names(), values(3)).ofMinSize(1).ofMaxSize(6);
  }

  private static Arbitrary<String> names() {
    return Arbitraries.strings().ofMinLength(1).ofMaxLength(12);
  }

  private static Arbitrary<AttributeValue> values(int depth) {
    Arbitrary<String> text = Arbitraries.strings().ofMaxLength(20);
    Arbitrary<String> number =
        Arbitraries.bigDecimals()
            .between(new BigDecimal("-1e20"), new BigDecimal("1e20"))
            .ofScale(4)
            .map(BigDecimal::toPlainString);
    Arbitrary<SdkBytes> bytes =
        Arbitraries.bytes().array(byte[].class).ofMaxSize(16).map(SdkBytes::fromByteArray);
    List<Arbitrary<AttributeValue>> scalars =
        List.of(
            text.map(AttributeValue::fromS),
            number.map(AttributeValue::fromN),
            bytes.map(AttributeValue::fromB),
            Arbitraries.of(true, false).map(AttributeValue::fromBool),
            Arbitraries.just(AttributeValue.fromNul(true)),
            text.set().ofMinSize(1).ofMaxSize(4).map(s -> AttributeValue.fromSs(List.copyOf(s))),
            number.set().ofMinSize(1).ofMaxSize(4).map(s -> AttributeValue.fromNs(List.copyOf(s))),
            bytes.list().ofMinSize(1).ofMaxSize(3).uniqueElements().map(AttributeValue::fromBs));
    Arbitrary<AttributeValue> scalar = Arbitraries.oneOf(scalars);
    if (depth == 0) {
      return scalar;
    }
    Arbitrary<AttributeValue> nested = values(depth - 1);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, scalar),
        net.jqwik.api.Tuple.of(
            1, Arbitraries.maps(names(), nested).ofMaxSize(3).map(AttributeValue::fromM)),
        net.jqwik.api.Tuple.of(1, nested.list().ofMaxSize(3).map(AttributeValue::fromL)));
  }

  @Test
  void aLineThatIsNotDynamoDbJsonSaysWhereAndWhy() {
    assertThatThrownBy(
            () -> DynamoJson.toItem(Json.MAPPER.readTree("{\"a\":{\"M\":{\"b\":{\"N\":\"1x\"}}}}")))
        .hasMessage("a.b: not a number");
    assertThatThrownBy(() -> DynamoJson.toItem(Json.MAPPER.readTree("{\"a\":{\"X\":1}}")))
        .hasMessage("a: unknown DynamoDB type 'X'");
    assertThatThrownBy(() -> DynamoJson.toItem(Json.MAPPER.readTree("{\"a\":\"plain\"}")))
        .hasMessage("a: a value is an object with one type, such as {\"S\": \"text\"}");
    assertThatThrownBy(
            () -> DynamoJson.toItem(Json.MAPPER.readTree("{\"a\":{\"L\":[{\"B\":\"%%\"}]}}")))
        .hasMessage("a[0]: binary values are base64 text");
  }
}
