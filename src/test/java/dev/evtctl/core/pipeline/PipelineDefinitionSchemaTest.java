package dev.evtctl.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * schemas/evtctl/pipeline.json describes every shipped pipeline, and refuses a broken one; every
 * shipped pipeline's example is a valid event of it.
 */
class PipelineDefinitionSchemaTest {

  @ParameterizedTest
  @ValueSource(strings = {"txma", "ledger", "messages"})
  void everyBuiltInPipelineFollowsTheDefinitionSchema(String name) throws IOException {
    JsonNode definition;
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream("pipelines/" + name + ".json")) {
      definition = Json.MAPPER.readTree(in);
    }
    assertThat(
            SchemaCatalog.problems(
                SchemaCatalog.load(Pipelines.DEFINITION_SCHEMA, null), definition, ""))
        .isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"txma", "ledger", "messages"})
  void everyBuiltInPipelinesExamplePassesItsOwnValidation(String name) {
    // GIVEN the example a built-in pipeline primes the Lambda with
    Pipeline pipeline = Pipelines.builtIn(name);
    assertThat(pipeline.example()).isNotNull();

    // WHEN it goes through the pipeline as a message body
    PreparedEvent prepared =
        pipeline.prepare(QueueMessage.of("example", pipeline.example().toString()), Instant.now());

    // THEN it is valid (envelope and payload schemas, allow-list, keys): priming runs the whole
    // path
    assertThat(prepared)
        .as(
            () ->
                prepared instanceof PreparedEvent.Invalid invalid
                    ? invalid.reason()
                    : "a valid event")
        .isInstanceOf(PreparedEvent.Valid.class);
  }

  @Test
  void theClientsSampleLoadsAndEachBuiltInIsListed() {
    assertThat(Pipelines.fromFile(Path.of("samples/clients/pipeline.json")).name())
        .isEqualTo("clients");
    assertThat(Pipelines.BUILT_IN).containsExactly("txma", "ledger", "messages");
  }

  @Test
  void aBrokenFileIsRefusedWithWhereAndWhat(@TempDir Path dir) throws IOException {
    // GIVEN the clients sample with a misspelt field; and with a query of neither key nor scan
    String text = Files.readString(Path.of("samples/clients/pipeline.json"));
    Path misspelt = dir.resolve("misspelt.json");
    Files.writeString(misspelt, text.replace("\"fairQueues\"", "\"fairQueue\""));
    Path noKey = dir.resolve("no-key.json");
    Files.writeString(
        noKey, text.replace("{ \"partitionKey\": \"{$tenant}\" }", "{ \"index\": \"x\" }"));

    assertThatThrownBy(() -> Pipelines.fromFile(misspelt))
        .isInstanceOf(PipelineDefinitionException.class)
        .hasMessage(
            "pipeline file "
                + misspelt
                + " is not a valid definition: property 'fairQueue' is not defined in the schema"
                + " and the schema does not allow additional properties");
    assertThatThrownBy(() -> Pipelines.fromFile(noKey))
        .hasMessageStartingWith("pipeline file " + noKey + " is not a valid definition: ")
        .hasMessageContaining("/read/queries/0: required property 'partitionKey' not found");
  }
}
