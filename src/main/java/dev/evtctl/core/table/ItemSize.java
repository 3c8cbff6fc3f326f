package dev.evtctl.core.table;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An item's size as DynamoDB counts it against its limit, from the Amazon DynamoDB Developer Guide,
 * "DynamoDB item sizes and formats"
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html):
 * the UTF-8 length of each attribute name plus its value; strings by their UTF-8 length, binaries
 * by their raw bytes, numbers about one byte per two significant digits plus one, booleans and
 * nulls one byte, lists and maps 3 bytes plus one a element, sets the sum of their elements.
 * DynamoDB Local agrees to the byte for strings, maps and lists (measured).
 */
public final class ItemSize {

  /** DynamoDB: an item is at most 400 KB, and DynamoDB's KB is 1,024 bytes ("Quotas": items). */
  public static final int MAX_BYTES = 400 * 1024;

  private ItemSize() {}

  /** The item's size in bytes. */
  public static long of(Map<String, AttributeValue> item) {
    long bytes = 0;
    for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
      bytes += utf8Length(attribute.getKey()) + value(attribute.getValue());
    }
    return bytes;
  }

  private static long value(AttributeValue value) {
    return switch (value.type()) {
      case S -> utf8Length(value.s());
      case N -> number(value.n());
      case B -> value.b().asByteArrayUnsafe().length;
      case BOOL, NUL -> 1;
      case SS -> value.ss().stream().mapToLong(ItemSize::utf8Length).sum();
      case NS -> value.ns().stream().mapToLong(ItemSize::number).sum();
      case BS -> value.bs().stream().mapToLong(b -> b.asByteArrayUnsafe().length).sum();
      case M -> {
        long bytes = 3;
        for (Map.Entry<String, AttributeValue> inner : value.m().entrySet()) {
          bytes += utf8Length(inner.getKey()) + value(inner.getValue()) + 1;
        }
        yield bytes;
      }
      case L -> 3 + value.l().stream().mapToLong(inner -> value(inner) + 1).sum();
      default -> throw new IllegalArgumentException("unknown DynamoDB type of " + value);
    };
  }

  private static long number(String text) {
    DynamoNumber number = DynamoNumber.parse(text);
    int digits = number == null ? text.length() : number.digits().length();
    return (digits + 1) / 2 + 1;
  }

  /** UTF-8 length without encoding: a surrogate pair is 4 bytes, as one code point. */
  public static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
