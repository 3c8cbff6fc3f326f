package dev.evtctl.core.expect;

import dev.evtctl.core.pipeline.InvalidSettingException;
import dev.evtctl.core.table.EventQuery;
import java.util.List;

/**
 * Events expected in the table: those named {@code name} (TxMA event name, ledger event type,
 * message status) that pass every field matcher; exactly {@code count} of them, or at least one
 * when count is null.
 */
public record Expectation(String name, Integer count, List<FieldMatcher> matchers) {

  public Expectation {
    if (name == null || name.isBlank()) {
      throw new InvalidSettingException("an expectation needs an event name");
    }
    if (count != null && count < 0) {
      throw new InvalidSettingException("expected count for " + name + " must be 0 or more");
    }
    matchers = matchers == null ? List.of() : List.copyOf(matchers);
  }

  /** {@code NAME} (at least one) or {@code NAME=COUNT} (exactly), as --expect takes it. */
  public static Expectation parse(String text) {
    int equals = text.lastIndexOf('=');
    if (equals < 0) {
      return new Expectation(text, null, List.of());
    }
    try {
      return new Expectation(
          text.substring(0, equals), Integer.parseInt(text.substring(equals + 1)), List.of());
    } catch (NumberFormatException e) {
      throw new InvalidSettingException(
          "--expect " + text + ": the count after '=' is not a whole number");
    }
  }

  public boolean met(int found) {
    return count == null ? found >= 1 : found == count;
  }

  boolean matches(EventQuery.StoredEvent event) {
    return name.equals(event.name()) && matchers.stream().allMatch(m -> m.test(event.document()));
  }

  @Override
  public String toString() {
    String what = count == null ? name + " (at least 1)" : name + "=" + count;
    return matchers.isEmpty()
        ? what
        : what
            + " where "
            + String.join(", ", matchers.stream().map(FieldMatcher::toString).toList());
  }
}
