package dev.evtctl.core.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evtctl.core.pipeline.BodyCheck;
import dev.evtctl.core.pipeline.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Items as DynamoDB JSON, the typed form of the DynamoDB API, {@code aws dynamodb scan} and
 * DynamoDB's export to S3 ({@code {"S": "text"}}, {@code {"N": "12"}}, {@code {"B": base64}},
 * {@code SS}/{@code NS}/{@code BS}, {@code BOOL}, {@code NULL}, {@code M}, {@code L}): lossless, so
 * an item read back is the item written.
 */
public final class DynamoJson {

  private DynamoJson() {}

  /** An item as a JSON object of typed values, attributes in name order (diffable). */
  public static ObjectNode toJson(Map<String, AttributeValue> item) {
    ObjectNode object = Json.MAPPER.createObjectNode();
    new TreeMap<>(item).forEach((name, value) -> object.set(name, toJson(value)));
    return object;
  }

  /**
   * DynamoDB: attributes nest at most 32 levels deep, an attribute of the item being the first
   * (Developer Guide, "Quotas": nested attribute depth; DynamoDB Local refuses a 33rd).
   */
  static final int MAX_DEPTH = 32;

  /**
   * An item from a JSON object of typed values; anything else, and any value DynamoDB refuses
   * (numbers beyond its precision or range, empty or repeating sets, nesting beyond 32 levels, text
   * that is not Unicode), is an error naming where, never quoting the value.
   */
  public static Map<String, AttributeValue> toItem(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException("an item is a JSON object of typed values");
    }
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    json.fields()
        .forEachRemaining(f -> item.put(name(f.getKey()), toValue(f.getValue(), f.getKey(), 1)));
    return item;
  }

  /**
   * A value as plain JSON (what {@code events} shows): strings, numbers, booleans, null, objects
   * and arrays; sets as arrays, binary as base64. Lossy where DynamoDB JSON is not.
   */
  public static JsonNode toPlainJson(AttributeValue value) {
    var nodes = Json.MAPPER.getNodeFactory();
    return switch (value.type()) {
      case S -> nodes.textNode(value.s());
      case N -> nodes.numberNode(new java.math.BigDecimal(value.n()));
      case B -> nodes.binaryNode(value.b().asByteArray());
      case BOOL -> nodes.booleanNode(value.bool());
      case SS -> {
        ArrayNode set = nodes.arrayNode();
        value.ss().forEach(set::add);
        yield set;
      }
      case NS -> {
        ArrayNode set = nodes.arrayNode();
        value.ns().forEach(n -> set.add(new java.math.BigDecimal(n)));
        yield set;
      }
      case BS -> {
        ArrayNode set = nodes.arrayNode();
        value.bs().forEach(b -> set.add(b.asByteArray()));
        yield set;
      }
      case M -> {
        ObjectNode map = nodes.objectNode();
        value.m().forEach((name, inner) -> map.set(name, toPlainJson(inner)));
        yield map;
      }
      case L -> {
        ArrayNode list = nodes.arrayNode();
        value.l().forEach(inner -> list.add(toPlainJson(inner)));
        yield list;
      }
      default -> nodes.nullNode();
    };
  }

  private static JsonNode toJson(AttributeValue value) {
    ObjectNode typed = Json.MAPPER.createObjectNode();
    switch (value.type()) {
      case S -> typed.put("S", value.s());
      case N -> typed.put("N", value.n());
      case B -> typed.put("B", value.b().asByteArray());
      case BOOL -> typed.put("BOOL", value.bool());
      case NUL -> typed.put("NULL", true);
      case SS -> value.ss().forEach(typed.putArray("SS")::add);
      case NS -> value.ns().forEach(typed.putArray("NS")::add);
      case BS -> value.bs().forEach(b -> typed.withArray("BS").add(b.asByteArray()));
      case M -> typed.set("M", toJson(value.m()));
      case L -> {
        ArrayNode list = typed.putArray("L");
        value.l().forEach(inner -> list.add(toJson(inner)));
      }
      default -> throw new IllegalArgumentException("unknown DynamoDB type of " + value);
    }
    return typed;
  }

  private static AttributeValue toValue(JsonNode typed, String where, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException(
          where + ": nested deeper than DynamoDB's " + MAX_DEPTH + " levels");
    }
    if (!typed.isObject() || typed.size() != 1) {
      throw new IllegalArgumentException(
          where + ": a value is an object with one type, such as {\"S\": \"text\"}");
    }
    Map.Entry<String, JsonNode> only = typed.fields().next();
    JsonNode v = only.getValue();
    return switch (only.getKey()) {
      case "S" -> AttributeValue.fromS(text(v, where));
      case "N" -> AttributeValue.fromN(number(text(v, where), where));
      case "B" -> AttributeValue.fromB(SdkBytes.fromByteArray(binary(v, where)));
      case "BOOL" -> {
        if (!v.isBoolean()) {
          throw new IllegalArgumentException(where + ": BOOL is true or false");
        }
        yield AttributeValue.fromBool(v.booleanValue());
      }
      case "NULL" -> AttributeValue.fromNul(true);
      case "SS" -> AttributeValue.fromSs(set(texts(v, where), text -> text, where));
      case "NS" ->
          AttributeValue.fromNs(
              set(
                  texts(v, where).stream().map(n -> number(n, where)).toList(),
                  n -> DynamoNumber.parse(n).canonical(),
                  where));
      case "BS" -> {
        List<SdkBytes> bytes = new ArrayList<>();
        for (JsonNode b : array(v, where)) {
          bytes.add(SdkBytes.fromByteArray(binary(b, where)));
        }
        yield AttributeValue.fromBs(set(bytes, b -> b, where));
      }
      case "M" -> {
        if (!v.isObject()) {
          throw new IllegalArgumentException(where + ": M is an object");
        }
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        v.fields()
            .forEachRemaining(
                f ->
                    map.put(
                        name(f.getKey()),
                        toValue(f.getValue(), where + "." + f.getKey(), depth + 1)));
        yield AttributeValue.fromM(map);
      }
      case "L" -> {
        List<AttributeValue> list = new ArrayList<>();
        int i = 0;
        for (JsonNode inner : array(v, where)) {
          list.add(toValue(inner, where + "[" + i++ + "]", depth + 1));
        }
        yield AttributeValue.fromL(list);
      }
      default ->
          throw new IllegalArgumentException(
              where + ": unknown DynamoDB type '" + only.getKey() + "'");
    };
  }

  private static String text(JsonNode v, String where) {
    if (!v.isTextual()) {
      throw new IllegalArgumentException(where + ": expected a string, found " + v.getNodeType());
    }
    if (BodyCheck.unpairedSurrogate(v.textValue()) >= 0) {
      throw new IllegalArgumentException(where + ": " + UNPAIRED_SURROGATE);
    }
    return v.textValue();
  }

  /**
   * A JSON escape such as \\ud800 can name half a UTF-16 pair, which is no character: DynamoDB
   * would store '?' in its place without a word.
   */
  private static final String UNPAIRED_SURROGATE =
      "holds an unpaired surrogate escape, which is not Unicode text (DynamoDB would store '?')";

  private static String name(String name) {
    if (BodyCheck.unpairedSurrogate(name) >= 0) {
      throw new IllegalArgumentException("an attribute name " + UNPAIRED_SURROGATE);
    }
    return name;
  }

  private static String number(String text, String where) {
    DynamoNumber number = DynamoNumber.parse(text);
    if (number == null) {
      throw new IllegalArgumentException(where + ": not a number");
    }
    String problem = number.problem();
    if (problem != null) {
      throw new IllegalArgumentException(where + ": the number " + problem);
    }
    return text;
  }

  /** The elements, when DynamoDB takes them as a set: at least one, none twice. */
  private static <T> List<T> set(List<T> elements, Function<T, Object> identity, String where) {
    if (elements.isEmpty()) {
      throw new IllegalArgumentException(where + ": an empty set, which DynamoDB refuses");
    }
    Set<Object> seen = new HashSet<>();
    for (T element : elements) {
      if (!seen.add(identity.apply(element))) {
        throw new IllegalArgumentException(
            where + ": a set holding one element twice, which DynamoDB refuses");
      }
    }
    return elements;
  }

  private static byte[] binary(JsonNode v, String where) {
    try {
      if (v.isTextual()) {
        return v.binaryValue();
      }
    } catch (java.io.IOException e) {
      // not base64: said below
    }
    throw new IllegalArgumentException(where + ": binary values are base64 text");
  }

  private static List<String> texts(JsonNode v, String where) {
    List<String> texts = new ArrayList<>();
    for (JsonNode inner : array(v, where)) {
      texts.add(text(inner, where));
    }
    return texts;
  }

  private static Iterable<JsonNode> array(JsonNode v, String where) {
    if (!v.isArray()) {
      throw new IllegalArgumentException(where + ": expected an array");
    }
    return v;
  }
}
