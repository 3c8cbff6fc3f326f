package dev.evtctl.cli;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A point in time: RFC 3339 (2026-11-23T10:00:00Z), or a duration ago (10m, 2h). */
final class InstantConverter implements ITypeConverter<Instant> {

  @Override
  public Instant convert(String value) {
    try {
      return Instant.parse(value.trim());
    } catch (DateTimeParseException e) {
      try {
        return Instant.now().minus(new DurationConverter().convert(value));
      } catch (TypeConversionException notADuration) {
        throw new TypeConversionException(
            "'" + value + "' is neither a time (2026-11-23T10:00:00Z) nor a duration ago (10m)");
      }
    }
  }
}
