package dev.evtctl.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;

/** The checks a body passes before it is parsed at all. */
public final class BodyCheck {

  private BodyCheck() {}

  /**
   * Null when the body can be parsed, else why not. One pass counts its UTF-8 size and finds
   * unpaired surrogates: a body that was not valid UTF-8 when sent reaches Java with them, and
   * DynamoDB would store them as '?' without a word.
   */
  static String problem(String body, int maxBytes) {
    if (body == null || body.isEmpty()) {
      return "body is empty";
    }
    if (body.isBlank()) {
      return "body is only whitespace";
    }
    long bytes = 0;
    int length = body.length();
    for (int i = 0; i < length; i++) {
      char c = body.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        if (i + 1 < length && Character.isLowSurrogate(body.charAt(i + 1))) {
          bytes += 4;
          i++;
        } else {
          return unpairedSurrogate(c, i);
        }
      } else if (Character.isLowSurrogate(c)) {
        return unpairedSurrogate(c, i);
      } else {
        bytes += 3;
      }
    }
    if (bytes > maxBytes) {
      return "body is " + bytes + " bytes; this pipeline accepts at most " + maxBytes;
    }
    return null;
  }

  /** The index of the first unpaired surrogate in the text, or -1. */
  public static int unpairedSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  private static String unpairedSurrogate(char c, int index) {
    return String.format(
        "body is not valid UTF-8: unpaired surrogate U+%04X at character %d", (int) c, index);
  }

  /**
   * Whether the body may hold a number with an exponent of three digits or more (1e400), the only
   * short way to write one beyond a double's range, which is then worth a walk of the parsed tree.
   * A cheap scan, so that ordinary bodies skip the walk.
   */
  static boolean mayHoldHugeNumber(String body) {
    int length = body.length();
    for (int i = 1; i < length - 3; i++) {
      char c = body.charAt(i);
      if ((c == 'e' || c == 'E') && isDigitOrDot(body.charAt(i - 1))) {
        int at = i + 1;
        if (body.charAt(at) == '+' || body.charAt(at) == '-') {
          at++;
        }
        int digits = 0;
        while (at < length && Character.isDigit(body.charAt(at)) && digits < 3) {
          at++;
          digits++;
        }
        if (digits == 3) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isDigitOrDot(char c) {
    return Character.isDigit(c) || c == '.';
  }

  /**
   * Where the event holds a number beyond a double's range (magnitude over 1.8e308, or non-zero
   * under 4.9e-324), or null. JSON Schema validators compare such numbers as infinities or zero:
   * {@code "minimum": 0} let {@code -1e999999999} through. No event needs one.
   */
  static String hugeNumber(JsonNode node, String path) {
    if ((node.isNumber() && !node.isIntegralNumber()) || node.isBigInteger()) {
      double value = node.doubleValue();
      boolean zero = node.decimalValue().signum() == 0;
      if (Double.isInfinite(value) || (value == 0 && !zero)) {
        return path.isEmpty() ? "/" : path;
      }
      return null;
    }
    if (node.isContainerNode()) {
      var fields = node.fields();
      while (fields.hasNext()) {
        var field = fields.next();
        String found =
            hugeNumber(
                field.getValue(),
                path + "/" + field.getKey().replace("~", "~0").replace("/", "~1"));
        if (found != null) {
          return found;
        }
      }
      for (int i = 0; node.isArray() && i < node.size(); i++) {
        String found = hugeNumber(node.get(i), path + "/" + i);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }
}
