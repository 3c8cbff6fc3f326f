package dev.evtctl.core;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A string template such as {@code TXMA#EVENT_NAME#{/event_name}#TIMESTAMP#{/timestamp}}, parsed
 * once. A placeholder is a JSON Pointer into the event, optionally with the filter {@code
 * |first-segment} (the text before the first dot), or one of {@code {$messageId}}, {@code {$date}}.
 * A pointer resolves to a non-empty string or an integer; anything else leaves the whole template
 * unresolved.
 */
final class Template {

  private sealed interface Part {}

  private record Literal(String text) implements Part {}

  private record Pointer(JsonPointer pointer, boolean firstSegment) implements Part {}

  private record Variable(String name) implements Part {}

  private final String source;
  private final List<Part> parts;

  private Template(String source, List<Part> parts) {
    this.source = source;
    this.parts = parts;
  }

  static Template parse(String source) {
    List<Part> parts = new ArrayList<>();
    int at = 0;
    while (at < source.length()) {
      int open = source.indexOf('{', at);
      if (open < 0) {
        parts.add(new Literal(source.substring(at)));
        break;
      }
      if (open > at) {
        parts.add(new Literal(source.substring(at, open)));
      }
      int close = source.indexOf('}', open);
      if (close < 0) {
        throw new PipelineConfigException("template '" + source + "' has an unclosed '{'");
      }
      parts.add(placeholder(source.substring(open + 1, close), source));
      at = close + 1;
    }
    return new Template(source, List.copyOf(parts));
  }

  private static Part placeholder(String inside, String source) {
    switch (inside) {
      case "$messageId":
      case "$date":
        return new Variable(inside);
      default:
        break;
    }
    String filter = null;
    String pointer = inside;
    int bar = inside.indexOf('|');
    if (bar >= 0) {
      pointer = inside.substring(0, bar);
      filter = inside.substring(bar + 1);
      if (!filter.equals("first-segment")) {
        throw new PipelineConfigException(
            "template '" + source + "': unknown filter '" + filter + "' (known: first-segment)");
      }
    }
    return new Pointer(pointer(pointer, source), filter != null);
  }

  static JsonPointer pointer(String pointer, String source) {
    if (!pointer.startsWith("/")) {
      throw new PipelineConfigException(
          "'" + source + "': '" + pointer + "' is not a JSON Pointer (it must start with '/')");
    }
    try {
      return JsonPointer.compile(pointer);
    } catch (IllegalArgumentException e) {
      throw new PipelineConfigException("'" + source + "': " + e.getMessage());
    }
  }

  /** The rendered text, or null when a placeholder does not resolve. */
  String render(ItemContext context) {
    if (parts.size() == 1 && parts.get(0) instanceof Literal literal) {
      return literal.text();
    }
    StringBuilder text = new StringBuilder(64);
    for (Part part : parts) {
      if (part instanceof Literal literal) {
        text.append(literal.text());
      } else if (part instanceof Variable variable) {
        text.append(variable.name().equals("$date") ? context.date() : context.messageId());
      } else if (part instanceof Pointer pointer) {
        String value = scalar(context.event(), pointer.pointer());
        if (value == null) {
          return null;
        }
        if (pointer.firstSegment()) {
          int dot = value.indexOf('.');
          value = dot < 0 ? value : value.substring(0, dot);
        }
        text.append(value);
      }
    }
    return text.toString();
  }

  /** The pointers this template reads, for messages that name a missing field. */
  List<String> pointers() {
    return parts.stream()
        .filter(Pointer.class::isInstance)
        .map(part -> ((Pointer) part).pointer().toString())
        .toList();
  }

  /** A key field: a non-empty string, or an integer (epoch seconds in the TxMA sort key). */
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
    return null;
  }

  @Override
  public String toString() {
    return source;
  }
}
