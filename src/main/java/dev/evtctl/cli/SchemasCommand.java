package dev.evtctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evtctl.core.pipeline.InvalidSettingException;
import dev.evtctl.core.pipeline.SchemaCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The JSON Schemas events are validated with. */
@Command(
    name = "schemas",
    footerHeading = "%nExamples:%n",
    footer = {
      "  The schemas, then one of them as JSON:",
      "    evtctl schemas list",
      "    evtctl schemas show monitoring -o json"
    },
    mixinStandardHelpOptions = true,
    description = "List and show the built-in JSON Schemas.",
    subcommands = {SchemasCommand.ListSchemas.class, SchemasCommand.ShowSchema.class})
final class SchemasCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "list",
      footerHeading = "%nExamples:%n",
      footer = {"  Every built-in schema:", "    evtctl schemas list"},
      mixinStandardHelpOptions = true,
      description = "List the schemas.")
  static final class ListSchemas implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (String name : SchemaCatalog.BUILT_IN) {
        JsonNode schema = SchemaCatalog.builtInDocument(name);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", name);
        row.put("draft", schema.path("$schema").asText().contains("draft-07") ? "07" : "2020-12");
        row.put("title", schema.path("title").asText());
        rows.add(row);
      }
      Evtctl.output(spec).rows(List.of("name", "draft", "title"), rows);
    }
  }

  @Command(
      name = "show",
      footerHeading = "%nExamples:%n",
      footer = {
        "  The ledger monitoring event's schema, as JSON:",
        "    evtctl schemas show monitoring -o json"
      },
      mixinStandardHelpOptions = true,
      description = "Print a schema: by name (ledger/user.created) or by type (user.created).")
  static final class ShowSchema implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(
        paramLabel = "TYPE",
        completionCandidates = Candidates.Schemas.class,
        description = "Schema name or event type.")
    String type;

    @Override
    public void run() {
      String name =
          SchemaCatalog.BUILT_IN.stream()
              .filter(n -> n.equals(type) || n.endsWith("/" + type))
              .findFirst()
              .orElseThrow(
                  () ->
                      new InvalidSettingException(
                          "no schema '"
                              + type
                              + "' (known: "
                              + String.join(", ", SchemaCatalog.BUILT_IN)
                              + ")"));
      Evtctl.output(spec).document(SchemaCatalog.builtInDocument(name));
    }
  }
}
