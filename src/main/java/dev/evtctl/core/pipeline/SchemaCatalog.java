package dev.evtctl.core.pipeline;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The JSON Schemas events are validated with (networknt json-schema-validator; draft 2020-12 by
 * default, draft-07 where a schema says so in {@code $schema}). Built-in schemas are on the
 * classpath under {@code schemas/<name>.json}; a user's pipeline may name a schema file instead.
 */
public final class SchemaCatalog {

  /** Every built-in schema, as listed by {@code evtctl schemas list}. */
  public static final List<String> BUILT_IN =
      List.of(
          "txma/audit-event",
          "ledger/envelope",
          "ledger/user.created",
          "ledger/monitoring",
          "ledger/user.applications",
          "ledger/transaction.authorizers",
          "ledger/integrations",
          "messages/message");

  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  private static final SchemaValidatorsConfig CONFIG =
      SchemaValidatorsConfig.builder()
          .pathType(PathType.JSON_POINTER)
          .formatAssertionsEnabled(true)
          .build();

  private static final ConcurrentHashMap<String, JsonSchema> BUILT_IN_CACHE =
      new ConcurrentHashMap<>();

  private SchemaCatalog() {}

  /** A built-in schema by name, or a schema file (a name ending in .json, relative to base). */
  static JsonSchema load(String name, Path base) {
    if (name.endsWith(".json")) {
      Path file = base == null ? Path.of(name) : base.resolve(name);
      try {
        return compile(Json.readTree(Files.readString(file)), file.toString());
      } catch (IOException e) {
        throw new PipelineDefinitionException(
            "cannot read schema " + file + ": " + e.getMessage(), e);
      }
    }
    return BUILT_IN_CACHE.computeIfAbsent(
        name, n -> compile(builtInDocument(n), "schemas/" + n + ".json"));
  }

  /** The text of a built-in schema, for {@code evtctl schemas show}. */
  public static JsonNode builtInDocument(String name) {
    try (InputStream in =
        SchemaCatalog.class.getClassLoader().getResourceAsStream("schemas/" + name + ".json")) {
      if (in == null) {
        throw new PipelineDefinitionException(
            "no schema '" + name + "' (known: " + String.join(", ", BUILT_IN) + ")");
      }
      return Json.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonSchema compile(JsonNode document, String where) {
    try {
      JsonSchema schema = FACTORY.getSchema(document, CONFIG);
      schema.initializeValidators();
      return schema;
    } catch (RuntimeException e) {
      throw new PipelineDefinitionException(
          "schema " + where + " is not valid: " + e.getMessage(), e);
    }
  }

  private static String location(String pointer) {
    return pointer.isEmpty() ? "" : pointer + ": ";
  }

  /**
   * Null when the node is valid against a built-in schema, else the first problems, in a line, each
   * at its JSON Pointer; an unknown key is named by its own pointer, with the keys known there.
   */
  public static String problems(String builtInSchema, JsonNode node) {
    Set<ValidationMessage> messages = load(builtInSchema, null).validate(node);
    if (messages.isEmpty()) {
      return null;
    }
    JsonNode schema = builtInDocument(builtInSchema);
    return messages.stream()
        .limit(3)
        .map(message -> problem(schema, message))
        .collect(Collectors.joining("; "));
  }

  private static String problem(JsonNode schema, ValidationMessage message) {
    String at = message.getInstanceLocation().toString();
    if (!"additionalProperties".equals(message.getType()) || message.getProperty() == null) {
      return location(at) + message.getError();
    }
    // The schema's "properties" beside the "additionalProperties": false that refused the key.
    String refusedBy = message.getSchemaLocation().toString();
    String parent =
        refusedBy.substring(refusedBy.indexOf('#') + 1).replaceFirst("/additionalProperties$", "");
    List<String> known = new ArrayList<>();
    schema
        .at(JsonPointer.compile(parent))
        .path("properties")
        .fieldNames()
        .forEachRemaining(known::add);
    String key = message.getProperty().replace("~", "~0").replace("/", "~1");
    return at + "/" + key + ": unknown key (known: " + String.join(", ", known) + ")";
  }

  /** Null when the node is valid, else the first problems, in a line a person can act on. */
  static String problems(JsonSchema schema, JsonNode node, String prefix) {
    Set<ValidationMessage> messages = schema.validate(node);
    if (messages.isEmpty()) {
      return null;
    }
    return messages.stream()
        .limit(3)
        .map(message -> location(prefix + message.getInstanceLocation()) + message.getError())
        .collect(Collectors.joining("; "));
  }
}
