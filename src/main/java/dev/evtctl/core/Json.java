package dev.evtctl.core;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

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
}
