package dev.evtctl.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations as people type them: 500ms, 40s, 2m, 1h, or ISO-8601 (PT40S); a bare number is seconds.
 */
final class DurationConverter implements ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    String text = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (text.startsWith("pt") || text.startsWith("p")) {
        return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
      }
      if (text.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
      }
      long amount = Long.parseLong(text.replaceAll("[smhd]$", ""));
      return switch (text.charAt(text.length() - 1)) {
        case 'm' -> Duration.ofMinutes(amount);
        case 'h' -> Duration.ofHours(amount);
        case 'd' -> Duration.ofDays(amount);
        default -> Duration.ofSeconds(amount);
      };
    } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
      throw new TypeConversionException(
          "'" + value + "' is not a duration (e.g. 500ms, 40s, 2m, 1h)");
    }
  }

  /** A duration as people read it, in its two largest units: 45s, 3m 20s, 2h 5m, 4d 1h. */
  static String format(Duration duration) {
    long seconds = Math.max(duration.toSeconds(), 0);
    long days = seconds / 86_400;
    long hours = seconds % 86_400 / 3_600;
    long minutes = seconds % 3_600 / 60;
    long rest = seconds % 60;
    if (days > 0) {
      return days + "d " + hours + "h";
    }
    if (hours > 0) {
      return hours + "h " + minutes + "m";
    }
    return minutes > 0 ? minutes + "m " + rest + "s" : rest + "s";
  }
}
