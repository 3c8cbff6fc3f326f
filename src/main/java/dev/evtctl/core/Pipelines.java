package dev.evtctl.core;

import com.fasterxml.jackson.databind.DeserializationFeature;
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

  private Pipelines() {}

  public static Pipeline builtIn(String name) {
    if (!BUILT_IN.contains(name)) {
      throw new PipelineConfigException(
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
      throw new PipelineConfigException("built-in pipeline " + name + " is unreadable", e);
    }
  }

  /** A user's pipeline file; schema files it names are resolved beside it. */
  public static Pipeline fromFile(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return Pipeline.compile(READER.readValue(in), file.toAbsolutePath().getParent());
    } catch (NoSuchFileException e) {
      throw new PipelineConfigException("pipeline file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new PipelineConfigException(
          "pipeline file " + file + " is not a valid definition: " + e.getMessage(), e);
    }
  }
}
