package dev.evtctl.core.pipeline;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** The built-in pipelines ({@code src/main/resources/pipelines/}) and users' pipeline files. */
public final class Pipelines {

  public static final List<String> BUILT_IN = List.of("txma", "ledger", "messages");

  private static final ObjectReader READER =
      Json.MAPPER
          .readerFor(PipelineDefinition.class)
          .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** The JSON Schema every pipeline definition follows (docs/pipelines.md). */
  public static final String DEFINITION_SCHEMA = "evtctl/pipeline";

  private Pipelines() {}

  public static Pipeline builtIn(String name) {
    if (!BUILT_IN.contains(name)) {
      throw new InvalidSettingException(
          "unknown pipeline '"
              + name
              + "' (built in: "
              + String.join(", ", BUILT_IN)
              + "; or --pipeline-file FILE)");
    }
    try (InputStream in =
        Pipelines.class.getClassLoader().getResourceAsStream("pipelines/" + name + ".json")) {
      return Pipeline.compile(READER.readValue(in), null);
    } catch (IOException e) {
      throw new PipelineDefinitionException("built-in pipeline " + name + " is unreadable", e);
    }
  }

  /**
   * A user's pipeline file, checked against the pipeline schema ({@code
   * schemas/evtctl/pipeline.json}) first, so a mistake is named by where it is; schema files it
   * names are resolved beside it.
   */
  public static Pipeline fromFile(Path file) {
    JsonNode document;
    try {
      document = Json.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new InvalidSettingException("pipeline file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new PipelineDefinitionException(
          "pipeline file " + file + " is not JSON: " + e.getMessage(), e);
    }
    String problems =
        SchemaCatalog.problems(SchemaCatalog.load(DEFINITION_SCHEMA, null), document, "");
    if (problems != null) {
      throw new PipelineDefinitionException(
          "pipeline file " + file + " is not a valid definition: " + problems);
    }
    try {
      return Pipeline.compile(READER.readValue(document), file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new PipelineDefinitionException(
          "pipeline file " + file + " is not a valid definition: " + e.getMessage(), e);
    }
  }
}
