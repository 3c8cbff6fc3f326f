package dev.evtctl.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * Figures in command output as numbers, never text, so that -o json gives a script numbers: times
 * in seconds with two decimals, rates with one.
 */
final class Figures {

  private Figures() {}

  static BigDecimal seconds(Duration duration) {
    return BigDecimal.valueOf(duration.toNanos(), 9).setScale(2, RoundingMode.HALF_UP);
  }

  static BigDecimal rate(double perSecond) {
    return BigDecimal.valueOf(perSecond).setScale(1, RoundingMode.HALF_UP);
  }
}
