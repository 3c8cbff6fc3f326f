package dev.evtctl.core;

/** The checks a body passes before it is parsed at all. */
final class BodyCheck {

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
  static int unpairedSurrogate(String text) {
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
}
