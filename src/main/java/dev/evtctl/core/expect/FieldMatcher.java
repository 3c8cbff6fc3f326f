package dev.evtctl.core.expect;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.evtctl.core.pipeline.InvalidSettingException;

/**
 * One check on a field of a stored event, by JSON Pointer: equals a JSON value, matches a regular
 * expression (whole text), exists, or is absent.
 *
 * <p>Regular expressions are RE2's (RE2/J): matching takes time linear in the text, whatever the
 * pattern, so {@code (.*a){12}x} cannot hang a redrive as a backtracking engine would. RE2 has no
 * backreferences or lookaround; such a pattern is refused when parsed.
 */
public record FieldMatcher(String pointer, Kind kind, JsonNode value) {

  public enum Kind {
    EQUALS,
    REGEX,
    EXISTS,
    ABSENT
  }

  public FieldMatcher {
    if (pointer == null || !(pointer.isEmpty() || pointer.startsWith("/"))) {
      throw new InvalidSettingException(
          "'" + pointer + "' is not a JSON Pointer (it starts with '/')");
    }
    if (kind == Kind.REGEX) {
      try {
        Pattern.compile(value.asText());
      } catch (PatternSyntaxException e) {
        throw new InvalidSettingException(
            "regex for " + pointer + " does not compile: " + e.getDescription());
      }
    }
  }

  public boolean test(JsonNode document) {
    JsonNode node = document.at(JsonPointer.compile(pointer));
    boolean present = !node.isMissingNode();
    return switch (kind) {
      case EXISTS -> present;
      case ABSENT -> !present;
      case EQUALS -> present && node.equals(value);
      case REGEX ->
          present
              && node.isValueNode()
              && Pattern.compile(value.asText()).matcher(node.asText()).matches();
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case EXISTS -> pointer + " exists";
      case ABSENT -> pointer + " absent";
      case EQUALS -> pointer + " equals " + value;
      case REGEX -> pointer + " matches /" + value.asText() + "/";
    };
  }
}
