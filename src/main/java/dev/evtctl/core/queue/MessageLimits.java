package dev.evtctl.core.queue;

import dev.evtctl.core.table.ItemSize;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * What SQS refuses of a message it is sent (Amazon SQS API Reference, SendMessage and
 * SendMessageBatch, as of 2025): an empty body, characters outside the XML character set, more than
 * 1 MiB of body and message attributes.
 */
public final class MessageLimits {

  /**
   * SQS: a message, its body and message attributes together, is at most 1 MiB, 1,048,576 bytes; so
   * is one SendMessageBatch, all its messages together (raised from 256 KiB in August 2025).
   */
  public static final int MAX_BYTES = 1_048_576;

  private MessageLimits() {}

  /**
   * The bytes SQS counts: the body's UTF-8 length, and for each message attribute its name, its
   * data type and its value (SQS Developer Guide, "Amazon SQS message attributes").
   */
  public static long bytes(SendMessageBatchRequestEntry entry) {
    long bytes = entry.messageBody() == null ? 0 : ItemSize.utf8Length(entry.messageBody());
    for (Map.Entry<String, MessageAttributeValue> attribute :
        entry.messageAttributes().entrySet()) {
      MessageAttributeValue value = attribute.getValue();
      bytes += ItemSize.utf8Length(attribute.getKey());
      bytes += value.dataType() == null ? 0 : ItemSize.utf8Length(value.dataType());
      bytes += value.stringValue() == null ? 0 : ItemSize.utf8Length(value.stringValue());
      bytes += value.binaryValue() == null ? 0 : value.binaryValue().asByteArrayUnsafe().length;
    }
    return bytes;
  }

  /** Why SQS would refuse the message, or null. Says what and where, never the text. */
  public static String problem(SendMessageBatchRequestEntry entry) {
    String body = entry.messageBody();
    if (body == null || body.isEmpty()) {
      return "body is empty; SQS refuses empty messages";
    }
    String refused = refusedCharacter("body", body);
    if (refused != null) {
      return refused;
    }
    for (Map.Entry<String, MessageAttributeValue> attribute :
        entry.messageAttributes().entrySet()) {
      String value = attribute.getValue().stringValue();
      refused =
          value == null ? null : refusedCharacter("message attribute " + attribute.getKey(), value);
      if (refused != null) {
        return refused;
      }
    }
    long bytes = bytes(entry);
    if (bytes > MAX_BYTES) {
      return String.format(
          Locale.ROOT,
          "message is %,d bytes (body and message attributes); SQS's limit is 1 MiB (%,d bytes)",
          bytes,
          MAX_BYTES);
    }
    return null;
  }

  /**
   * SQS takes only #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF (the
   * XML 1.0 characters); an unpaired surrogate, from a JSON escape, is none of them.
   */
  private static String refusedCharacter(String where, String text) {
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      boolean allowed =
          c == 0x9
              || c == 0xA
              || c == 0xD
              || (c >= 0x20 && c <= 0xD7FF)
              || (c >= 0xE000 && c <= 0xFFFD)
              || (c >= 0x10000 && c <= 0x10FFFF);
      if (!allowed) {
        return String.format(
            "%s holds U+%04X at character %d, a character SQS refuses", where, c, i);
      }
      i += Character.charCount(c);
    }
    return null;
  }
}
