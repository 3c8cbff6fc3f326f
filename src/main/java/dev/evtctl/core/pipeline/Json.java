package dev.evtctl.core.pipeline;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import java.util.Map;

/** The one JSON mapper of the core. */
public final class Json {

  /**
   * Strict on purpose: an audit event with two values for one field, or with text after the
   * document, is not one event. Jackson's default read constraints bound nesting depth (1000) and
   * number length, so a hostile body fails fast instead of exhausting the stack.
   */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private Json() {}

  /**
   * Reads a document of outside data (a message body, a file line). Use this, not {@code
   * MAPPER.readTree}: a number {@code BigDecimal} cannot hold (1e9999999990, an exponent beyond
   * int) makes Jackson throw an unchecked NumberFormatException, which here is a parse error like
   * any other.
   */
  public static JsonNode readTree(String text) throws JsonProcessingException {
    try {
      return MAPPER.readTree(text);
    } catch (NumberFormatException e) {
      throw new JsonParseException(null, e.getMessage());
    }
  }

  /** Jackson's messages, by how they start, and what they say without the text they quote. */
  private static final List<Map.Entry<String, String>> KINDS =
      List.of(
          Map.entry("Unrecognized token", "an unrecognized token"),
          Map.entry("Unexpected character", "an unexpected character"),
          Map.entry("Unexpected end-of-input", "unexpected end of input"),
          Map.entry("Duplicate field", "a duplicate field"),
          Map.entry("Document nesting depth", "nesting deeper than 1000"),
          Map.entry("Trailing token", "text after the document"),
          Map.entry("Illegal unquoted character", "an unescaped control character in a string"),
          Map.entry("Unrecognized character escape", "an invalid escape in a string"),
          Map.entry("Invalid UTF-8", "invalid UTF-8"),
          Map.entry("Number value length", "a number too long"),
          Map.entry("String value length", "a string too long"),
          Map.entry("Value \"", "a number out of range"),
          Map.entry("Numeric value", "a number out of range"));

  /**
   * Why a document is not JSON, naming where and what ({@code an unrecognized token at line 1,
   * column 5}) but never its text: Jackson's own messages quote the input, and a body's text is
   * personal data (TxMA IP addresses) that must stay out of reasons and log lines.
   */
  public static String problem(JsonProcessingException e) {
    String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    String kind =
        KINDS.stream()
            .filter(entry -> message.startsWith(entry.getKey()))
            .map(Map.Entry::getValue)
            .findFirst()
            .orElse("malformed JSON");
    JsonLocation at = e.getLocation();
    return at == null || at.getLineNr() < 1
        ? kind
        : kind + " at line " + at.getLineNr() + ", column " + at.getColumnNr();
  }
}
