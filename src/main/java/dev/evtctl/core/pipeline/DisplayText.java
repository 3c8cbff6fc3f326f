package dev.evtctl.core.pipeline;

/**
 * Text from events made safe to show: on one line, with nothing a terminal would act on. Event
 * names, reasons and ids come from whoever sent the message; an ESC or BEL in them must not clear a
 * screen or ring a bell, a CR/LF must not forge a table row or log line, and bidirectional controls
 * must not reorder what an operator reads ("Trojan Source", CVE-2021-42574).
 */
public final class DisplayText {

  private DisplayText() {}

  /**
   * The text with line breaks, tabs and every other control character escaped as in JSON ({@code
   * \n}, {@code \u001b}): C0, DEL, C1, the Unicode line and paragraph separators and the
   * bidirectional embeddings, overrides and isolates.
   */
  public static String oneLine(String text) {
    if (text == null) {
      return "unreadable";
    }
    if (text.codePoints().noneMatch(DisplayText::isControl)) {
      return text;
    }
    StringBuilder line = new StringBuilder(text.length() + 16);
    text.codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                  if (isControl(c)) {
                    line.append(String.format("\\u%04x", c));
                  } else {
                    line.appendCodePoint(c);
                  }
                }
              }
            });
    return line.toString();
  }

  private static boolean isControl(int c) {
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || c == 0x2028
        || c == 0x2029
        || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069);
  }

  /**
   * A CSV cell a spreadsheet will not run: text starting with {@code = + - @}, a tab or a CR gets a
   * leading {@code '} (OWASP, CSV injection).
   */
  public static String csvCell(String text) {
    if (text.isEmpty()) {
      return text;
    }
    char first = text.charAt(0);
    return first == '='
            || first == '+'
            || first == '-'
            || first == '@'
            || first == '\t'
            || first == '\r'
        ? "'" + text
        : text;
  }
}
