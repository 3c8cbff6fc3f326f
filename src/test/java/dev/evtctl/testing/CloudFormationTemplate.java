package dev.evtctl.testing;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CloudFormation (SAM) template read as CloudFormation reads it, and rendered for one set of
 * parameters: conditions evaluated, resources and outputs whose condition is false left out, {@code
 * Fn::If}, {@code Fn::FindInMap}, {@code Ref} to parameters and {@code Fn::Sub} over parameters
 * resolved, {@code AWS::NoValue} removed. References to resources stay as they are ({@code {"Ref":
 * "Queue"}}, {@code {"Fn::GetAtt": ["Queue", "Arn"]}}).
 *
 * <p>The short-form tags ({@code !Ref}, {@code !GetAtt A.B}, {@code !Sub}, {@code !If} ...) are
 * read into their long form ({@code {"Fn::GetAtt": ["A", "B"]}}): Jackson's YAML parser reports a
 * value's tag as its type id, which plain YAML-to-tree reading drops.
 */
public final class CloudFormationTemplate {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final JsonNode NO_VALUE = new TextNode("<AWS::NoValue>");
  private static final Set<String> FN_TAGS =
      Set.of(
          "And",
          "Base64",
          "Cidr",
          "Equals",
          "FindInMap",
          "GetAZs",
          "If",
          "ImportValue",
          "Join",
          "Not",
          "Or",
          "Select",
          "Split",
          "Sub",
          "Transform");
  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!]+)}");

  private final ObjectNode template;

  private CloudFormationTemplate(ObjectNode template) {
    this.template = template;
  }

  public static CloudFormationTemplate read(Path file) throws IOException {
    try (YAMLParser parser = (YAMLParser) new YAMLFactory().createParser(Files.readString(file))) {
      parser.nextToken();
      return new CloudFormationTemplate((ObjectNode) readValue(parser));
    }
  }

  /** The template as written, intrinsic functions in long form. */
  public ObjectNode raw() {
    return template;
  }

  /** The template for these parameter values (the others take their defaults). */
  public Rendered render(Map<String, String> parameterValues) {
    Map<String, String> parameters = new LinkedHashMap<>();
    template
        .path("Parameters")
        .fields()
        .forEachRemaining(
            parameter -> {
              String name = parameter.getKey();
              JsonNode given =
                  parameterValues.containsKey(name)
                      ? new TextNode(parameterValues.get(name))
                      : parameter.getValue().get("Default");
              if (given == null) {
                throw new IllegalArgumentException("parameter " + name + " has no value");
              }
              parameters.put(name, given.asText());
            });
    for (String name : parameterValues.keySet()) {
      if (!parameters.containsKey(name)) {
        throw new IllegalArgumentException("the template has no parameter " + name);
      }
    }
    Renderer renderer = new Renderer(parameters);
    return new Rendered(
        parameters,
        renderer.section(template.path("Resources")),
        renderer.section(template.path("Outputs")));
  }

  /** A rendered template: the resources and outputs that exist for its parameters. */
  public record Rendered(Map<String, String> parameters, ObjectNode resources, ObjectNode outputs) {

    public JsonNode resource(String logicalId) {
      JsonNode resource = resources.get(logicalId);
      if (resource == null) {
        throw new AssertionError("no resource " + logicalId + " for " + parameters);
      }
      return resource;
    }

    public JsonNode properties(String logicalId) {
      return resource(logicalId).path("Properties");
    }

    /** Logical id to resource, of one type. */
    public Map<String, JsonNode> ofType(String type) {
      Map<String, JsonNode> found = new LinkedHashMap<>();
      resources
          .fields()
          .forEachRemaining(
              resource -> {
                if (resource.getValue().path("Type").asText().equals(type)) {
                  found.put(resource.getKey(), resource.getValue());
                }
              });
      return found;
    }
  }

  private final class Renderer {
    private final Map<String, String> parameters;
    private final Map<String, Boolean> conditions = new HashMap<>();

    Renderer(Map<String, String> parameters) {
      this.parameters = parameters;
    }

    ObjectNode section(JsonNode entries) {
      ObjectNode rendered = NODES.objectNode();
      entries
          .fields()
          .forEachRemaining(
              entry -> {
                JsonNode condition = entry.getValue().get("Condition");
                if (condition == null || condition(condition.asText())) {
                  rendered.set(entry.getKey(), resolve(entry.getValue()));
                }
              });
      return rendered;
    }

    boolean condition(String name) {
      Boolean known = conditions.get(name);
      if (known == null) {
        JsonNode definition = template.path("Conditions").get(name);
        if (definition == null) {
          throw new IllegalArgumentException("no condition " + name);
        }
        known = evaluate(definition);
        conditions.put(name, known);
      }
      return known;
    }

    boolean evaluate(JsonNode node) {
      String function = node.fieldNames().next();
      JsonNode arguments = node.get(function);
      switch (function) {
        case "Fn::Equals":
          return resolve(arguments.get(0)).asText().equals(resolve(arguments.get(1)).asText());
        case "Fn::Not":
          return !evaluate(arguments.get(0));
        case "Fn::And":
          for (JsonNode argument : arguments) {
            if (!evaluate(argument)) {
              return false;
            }
          }
          return true;
        case "Fn::Or":
          for (JsonNode argument : arguments) {
            if (evaluate(argument)) {
              return true;
            }
          }
          return false;
        case "Condition":
          return condition(arguments.asText());
        default:
          throw new IllegalArgumentException("not a condition function: " + node);
      }
    }

    JsonNode resolve(JsonNode node) {
      if (node.isArray()) {
        ArrayNode resolved = NODES.arrayNode();
        for (JsonNode element : node) {
          JsonNode value = resolve(element);
          if (value != NO_VALUE) {
            resolved.add(value);
          }
        }
        return resolved;
      }
      if (!node.isObject()) {
        return node;
      }
      if (node.size() == 1) {
        String key = node.fieldNames().next();
        JsonNode argument = node.get(key);
        switch (key) {
          case "Ref":
            if (argument.asText().equals("AWS::NoValue")) {
              return NO_VALUE;
            }
            if (parameters.containsKey(argument.asText())) {
              return new TextNode(parameters.get(argument.asText()));
            }
            return node;
          case "Fn::If":
            return resolve(condition(argument.get(0).asText()) ? argument.get(1) : argument.get(2));
          case "Fn::FindInMap":
            JsonNode value =
                template
                    .path("Mappings")
                    .path(resolve(argument.get(0)).asText())
                    .path(resolve(argument.get(1)).asText())
                    .get(resolve(argument.get(2)).asText());
            if (value == null) {
              throw new IllegalArgumentException("no mapping for " + node + " in " + parameters);
            }
            return value;
          case "Fn::Sub":
            return sub(argument);
          default:
            break;
        }
      }
      ObjectNode resolved = NODES.objectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        JsonNode value = resolve(field.getValue());
        if (value != NO_VALUE) {
          resolved.set(field.getKey(), value);
        }
      }
      return resolved;
    }

    /** ${Parameter} substituted; anything else (${Resource.Attribute}, ${AWS::Region}) kept. */
    JsonNode sub(JsonNode argument) {
      String text = argument.isArray() ? argument.get(0).asText() : argument.asText();
      Matcher variables = SUB_VARIABLE.matcher(text);
      StringBuilder result = new StringBuilder();
      boolean unresolved = false;
      while (variables.find()) {
        String name = variables.group(1);
        String value = parameters.get(name);
        if (value == null) {
          unresolved = true;
          value = variables.group();
        }
        variables.appendReplacement(result, Matcher.quoteReplacement(value));
      }
      variables.appendTail(result);
      return unresolved
          ? NODES.objectNode().put("Fn::Sub", result.toString())
          : new TextNode(result.toString());
    }
  }

  private static JsonNode readValue(YAMLParser parser) throws IOException {
    String tag = parser.getTypeId();
    JsonToken token = parser.currentToken();
    JsonNode value;
    switch (token) {
      case START_OBJECT:
        ObjectNode object = NODES.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          parser.nextToken();
          object.set(name, readValue(parser));
        }
        value = object;
        break;
      case START_ARRAY:
        ArrayNode array = NODES.arrayNode();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(readValue(parser));
        }
        value = array;
        break;
      case VALUE_STRING:
        value = new TextNode(parser.getText());
        break;
      case VALUE_NUMBER_INT:
        value = NODES.numberNode(parser.getLongValue());
        break;
      case VALUE_NUMBER_FLOAT:
        value = NODES.numberNode(parser.getDecimalValue());
        break;
      case VALUE_TRUE:
      case VALUE_FALSE:
        value = NODES.booleanNode(parser.getBooleanValue());
        break;
      case VALUE_NULL:
        value = NODES.nullNode();
        break;
      default:
        throw new IOException("unexpected " + token + " at " + parser.currentLocation());
    }
    return tag == null ? value : intrinsic(tag, value);
  }

  /** The long form of a short-form tag: !Ref X, !GetAtt A.B, !Condition C, !Sub ... */
  private static JsonNode intrinsic(String tag, JsonNode value) {
    if (tag.equals("Ref") || tag.equals("Condition")) {
      return NODES.objectNode().set(tag, value);
    }
    if (tag.equals("GetAtt")) {
      JsonNode arguments = value;
      if (value.isTextual()) {
        String[] parts = value.asText().split("\\.", 2);
        arguments = NODES.arrayNode().add(parts[0]).add(parts[1]);
      }
      return NODES.objectNode().set("Fn::GetAtt", arguments);
    }
    if (FN_TAGS.contains(tag)) {
      return NODES.objectNode().set("Fn::" + tag, value);
    }
    throw new IllegalArgumentException("unknown CloudFormation tag !" + tag);
  }
}
