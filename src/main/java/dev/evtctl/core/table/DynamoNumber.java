package dev.evtctl.core.table;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A DynamoDB Number read from its text, with DynamoDB's rules for it (Amazon DynamoDB Developer
 * Guide, "Supported data types", Number): at most 38 significant digits, leading and trailing zeros
 * trimmed; magnitude from 1E-130 to 9.9999999999999999999999999999999999999E+125, or zero. Read
 * from the text, not with BigDecimal, whose parse of a long run of digits is quadratic in their
 * number: an import line must not be able to stall the check.
 *
 * @param negative whether the number is below zero
 * @param digits the significant digits, without leading or trailing zeros; empty for zero
 * @param exponent the power of ten of the first significant digit (1.5E+3 has 3)
 */
record DynamoNumber(boolean negative, String digits, long exponent) {

  /** DynamoDB: numbers keep at most 38 significant digits. */
  static final int MAX_DIGITS = 38;

  /** DynamoDB's range: 9.99...E+125 at the most, 1E-130 at the least (other than zero). */
  static final int MAX_EXPONENT = 125;

  static final int MIN_EXPONENT = -130;

  /** What DynamoDB Local takes as a number (probed: "+5", ".5", "5." and "1e5" yes; " 5" no). */
  private static final Pattern SYNTAX =
      Pattern.compile("([+-]?)(\\d*)(?:\\.(\\d*))?(?:[eE]([+-]?\\d+))?");

  /** The number the text is, or null when it is not one. */
  static DynamoNumber parse(String text) {
    Matcher m = SYNTAX.matcher(text);
    String whole = m.matches() ? m.group(2) : "";
    String fraction = m.matches() && m.group(3) != null ? m.group(3) : "";
    String all = whole + fraction;
    if (all.isEmpty()) {
      return null;
    }
    int first = 0;
    while (first < all.length() && all.charAt(first) == '0') {
      first++;
    }
    if (first == all.length()) {
      return new DynamoNumber(false, "", 0);
    }
    int end = all.length();
    while (all.charAt(end - 1) == '0') {
      end--;
    }
    return new DynamoNumber(
        m.group(1).equals("-"),
        all.substring(first, end),
        whole.length() - first - 1L + exponent(m.group(4)));
  }

  /** The exponent written after e; one too long for a long is held beyond any that matters. */
  private static long exponent(String text) {
    if (text == null) {
      return 0;
    }
    String digits = text.replaceFirst("^[+-]?0*", "");
    long value = digits.length() > 12 ? 1L << 40 : digits.isEmpty() ? 0 : Long.parseLong(digits);
    return text.startsWith("-") ? -value : value;
  }

  /** Why DynamoDB refuses the number, or null. */
  String problem() {
    if (digits.length() > MAX_DIGITS) {
      return "has " + digits.length() + " significant digits; DynamoDB keeps at most " + MAX_DIGITS;
    }
    if (!digits.isEmpty() && exponent > MAX_EXPONENT) {
      return "is beyond DynamoDB's range (at most 9.9999999999999999999999999999999999999E+125)";
    }
    if (!digits.isEmpty() && exponent < MIN_EXPONENT) {
      return "is too small for DynamoDB (other than zero, at least 1E-130)";
    }
    return null;
  }

  /** One text for each value, as DynamoDB compares numbers: 1, 1.0 and 10E-1 are the same. */
  String canonical() {
    return digits.isEmpty() ? "0" : (negative ? "-" : "") + digits + "E" + exponent;
  }
}
