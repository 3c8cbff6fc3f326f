package dev.evtctl.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A share as people type it: 10% or 10, a whole number from 0 to 100. */
final class PercentConverter implements ITypeConverter<Integer> {

  @Override
  public Integer convert(String value) {
    String text = value.strip();
    if (text.endsWith("%")) {
      text = text.substring(0, text.length() - 1).strip();
    }
    try {
      int percent = Integer.parseInt(text);
      if (percent >= 0 && percent <= 100) {
        return percent;
      }
    } catch (NumberFormatException e) {
      // Said below, with the value as given.
    }
    throw new TypeConversionException(
        "'" + value + "' is not a percentage: a whole number from 0 to 100 (e.g. 10%)");
  }
}
