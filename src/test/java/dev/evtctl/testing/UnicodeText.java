package dev.evtctl.testing;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/** jqwik generator of text for the property tests. */
public final class UnicodeText {

  private UnicodeText() {}

  /**
   * Text of whole code points (never a lone surrogate): ASCII, controls, the rest of the BMP and
   * the supplementary planes; '#' only when allowed.
   */
  public static Arbitrary<String> of(int min, int max, boolean allowHash) {
    Arbitrary<Integer> codePoints =
        Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.integers().between(0x20, 0x7e)),
            Tuple.of(1, Arbitraries.integers().between(0x00, 0x1f)),
            Tuple.of(3, Arbitraries.integers().between(0x80, 0xd7ff)),
            Tuple.of(1, Arbitraries.integers().between(0xe000, 0xffff)),
            Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10ffff)));
    if (!allowHash) {
      codePoints = codePoints.filter(cp -> cp != '#');
    }
    return codePoints
        .list()
        .ofMinSize(min)
        .ofMaxSize(max)
        .map(
            list -> {
              StringBuilder text = new StringBuilder(list.size() * 2);
              list.forEach(text::appendCodePoint);
              return text.toString();
            });
  }
}
