package dev.evtctl.core.pipeline;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A string template such as {@code TXMA#EVENT_NAME#{/event_name}#TIMESTAMP#{/timestamp}}, parsed
 * once. A placeholder is a JSON Pointer into the document, optionally with a filter ({@code
 * |before:.} keeps the text before the first dot, {@code |after:#} the text after the first {@code
 * #}), or a variable ({@link #VARIABLES}). A pointer resolves to a non-empty string or an integer
 * (or the pipeline's default for that field); anything else leaves the template unresolved. {@code
 * A ?? B} renders B where A does not resolve.
 */
public final class Template {

  /**
   * The variables a template may name: of a message ({@code $messageId}, {@code $date} today in
   * UTC, {@code $now} the processing time in RFC 3339), and of an events query (the selector values
   * {@code $session}, {@code $tenant}, {@code $company}, {@code $status}, the {@code $eventName}
   * filter, and {@code $day}, each day of the queried range).
   */
  static final Set<String> VARIABLES =
      Set.of(
          "$messageId",
          "$date",
          "$now",
          "$session",
          "$tenant",
          "$company",
          "$status",
          "$eventName",
          "$day");

  /** What a template is rendered against: a document and the values of its variables. */
  public interface Source {
    /** The JSON the pointers read (an event, or a stored item), or null. */
    JsonNode document();

    /** A variable's value, or null when it has none here. */
    String variable(String name);

    /** The value of a field the document does not hold (the pipeline's defaults), or null. */
    default String absent(JsonPointer pointer) {
      return null;
    }
  }

  private sealed interface Part {}

  private record Literal(String text) implements Part {}

  /** A pointer, with the text its value is cut at (before or after its first occurrence). */
  private record Pointer(JsonPointer pointer, String before, String after) implements Part {}

  private record Variable(String name) implements Part {}

  private final String source;
  private final List<List<Part>> alternatives;

  private Template(String source, List<List<Part>> alternatives) {
    this.source = source;
    this.alternatives = alternatives;
  }

  public static Template parse(String source) {
    List<List<Part>> alternatives = new ArrayList<>();
    for (String alternative : source.split(" \\?\\? ", -1)) {
      alternatives.add(parts(alternative, source));
    }
    return new Template(source, List.copyOf(alternatives));
  }

  private static List<Part> parts(String text, String source) {
    List<Part> parts = new ArrayList<>();
    int at = 0;
    while (at < text.length()) {
      int open = text.indexOf('{', at);
      if (open < 0) {
        parts.add(new Literal(text.substring(at)));
        break;
      }
      if (open > at) {
        parts.add(new Literal(text.substring(at, open)));
      }
      int close = text.indexOf('}', open);
      if (close < 0) {
        throw new PipelineDefinitionException("template '" + source + "' has an unclosed '{'");
      }
      parts.add(placeholder(text.substring(open + 1, close), source));
      at = close + 1;
    }
    return List.copyOf(parts);
  }

  private static Part placeholder(String inside, String source) {
    if (inside.startsWith("$")) {
      if (!VARIABLES.contains(inside)) {
        throw new PipelineDefinitionException(
            "template '"
                + source
                + "': unknown variable '"
                + inside
                + "' (known: "
                + String.join(", ", VARIABLES.stream().sorted().toList())
                + ")");
      }
      return new Variable(inside);
    }
    int bar = inside.indexOf('|');
    if (bar < 0) {
      return new Pointer(pointer(inside, source), null, null);
    }
    String filter = inside.substring(bar + 1);
    JsonPointer pointer = pointer(inside.substring(0, bar), source);
    if (filter.startsWith("before:") && filter.length() > "before:".length()) {
      return new Pointer(pointer, filter.substring("before:".length()), null);
    }
    if (filter.startsWith("after:") && filter.length() > "after:".length()) {
      return new Pointer(pointer, null, filter.substring("after:".length()));
    }
    throw new PipelineDefinitionException(
        "template '" + source + "': unknown filter '" + filter + "' (known: before:X, after:X)");
  }

  static JsonPointer pointer(String pointer, String source) {
    if (!pointer.startsWith("/")) {
      throw new PipelineDefinitionException(
          "'" + source + "': '" + pointer + "' is not a JSON Pointer (it must start with '/')");
    }
    try {
      return JsonPointer.compile(pointer);
    } catch (IllegalArgumentException e) {
      throw new PipelineDefinitionException("'" + source + "': " + e.getMessage());
    }
  }

  /** The rendered text of the first alternative that resolves, or null when none does. */
  public String render(Source context) {
    for (List<Part> parts : alternatives) {
      String text = render(parts, context);
      if (text != null) {
        return text;
      }
    }
    return null;
  }

  private static String render(List<Part> parts, Source context) {
    if (parts.size() == 1 && parts.get(0) instanceof Literal literal) {
      return literal.text();
    }
    StringBuilder text = new StringBuilder(64);
    for (Part part : parts) {
      if (part instanceof Literal literal) {
        text.append(literal.text());
      } else if (part instanceof Variable variable) {
        String value = context.variable(variable.name());
        if (value == null) {
          return null;
        }
        text.append(value);
      } else if (part instanceof Pointer pointer) {
        String value = scalar(context.document(), pointer.pointer());
        if (value == null) {
          value = context.absent(pointer.pointer());
          if (value == null) {
            return null;
          }
        }
        text.append(cut(value, pointer));
      }
    }
    return text.toString();
  }

  private static String cut(String value, Pointer pointer) {
    if (pointer.before() != null) {
      int at = value.indexOf(pointer.before());
      return at < 0 ? value : value.substring(0, at);
    }
    if (pointer.after() != null) {
      int at = value.indexOf(pointer.after());
      return at < 0 ? value : value.substring(at + pointer.after().length());
    }
    return value;
  }

  /** The pointers this template reads, for messages that name a missing field. */
  List<String> pointers() {
    return alternatives.get(0).stream()
        .filter(Pointer.class::isInstance)
        .map(part -> ((Pointer) part).pointer().toString())
        .toList();
  }

  /** Whether an alternative of this template names the variable. */
  public boolean uses(String variable) {
    return alternatives.stream()
        .flatMap(List::stream)
        .anyMatch(part -> part instanceof Variable v && v.name().equals(variable));
  }

  /** The variables of the first alternative, which it needs to resolve. */
  public List<String> variables() {
    return alternatives.get(0).stream()
        .filter(Variable.class::isInstance)
        .map(part -> ((Variable) part).name())
        .toList();
  }

  /**
   * A key field: a non-empty string, or a whole number (epoch seconds in the TxMA sort key) as the
   * original writes it into a key: {@code 1736294400.0} and {@code 1.7362944E9} are {@code
   * 1736294400}, as JavaScript's {@code String(number)} makes them.
   */
  static String scalar(JsonNode event, JsonPointer pointer) {
    if (event == null) {
      return null;
    }
    JsonNode node = event.at(pointer);
    if (node.isTextual()) {
      String text = node.textValue();
      return text.isEmpty() ? null : text;
    }
    if (node.isIntegralNumber()) {
      return node.asText();
    }
    if (node.isNumber()) {
      BigDecimal value = node.decimalValue();
      if (value.signum() == 0) {
        return "0";
      }
      BigDecimal whole = value.stripTrailingZeros();
      // A whole number within 21 digits: beyond it JavaScript writes exponents (1e+21).
      if (whole.scale() <= 0 && whole.precision() - whole.scale() <= 21) {
        return whole.toBigIntegerExact().toString();
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return source;
  }
}
