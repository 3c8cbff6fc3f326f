package dev.evtctl.cli;

import dev.evtctl.core.pipeline.Json;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.pipeline.PreparedEvent;
import dev.evtctl.core.pipeline.QueueMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Offline validation: the pipeline's parse, unwrap, schema and key steps, nothing written. */
@Command(
    name = "validate",
    footerHeading = "%nExamples:%n",
    footer = {
      "  Check a file of TxMA events (exit 3 if any is invalid):",
      "    evtctl validate samples/txma-invalid.ndjson",
      "",
      "  Ledger events from standard input, as CSV:",
      "    evtctl validate --pipeline ledger -o csv - < samples/ledger.ndjson"
    },
    mixinStandardHelpOptions = true,
    description = {
      "Validate events offline with a pipeline's envelope, schemas and key layout. Input is NDJSON (one event per line) or one JSON document, from FILE or - (stdin). Exits 3 when any event is invalid."
    })
final class ValidateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin PipelineOptions pipelineOptions;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "FILE",
      defaultValue = "-",
      description = "NDJSON or JSON file, or - for stdin (default).")
  String file;

  @Override
  public Integer call() throws IOException {
    Pipeline pipeline = pipelineOptions.pipeline();
    List<String> events = events(read());
    List<Map<String, Object>> rows = new ArrayList<>();
    int invalid = 0;
    Instant now = Instant.now();
    for (int i = 0; i < events.size(); i++) {
      String line = "line-" + (i + 1);
      PreparedEvent prepared = pipeline.prepare(QueueMessage.of(line, events.get(i)), now);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("event", events.size() == 1 ? "document" : Integer.toString(i + 1));
      if (prepared instanceof PreparedEvent.Valid valid) {
        row.put("result", "VALID");
        row.put("detail", key(pipeline, valid.item()));
      } else {
        invalid++;
        row.put("result", "INVALID");
        row.put("detail", ((PreparedEvent.Invalid) prepared).reason());
      }
      rows.add(row);
    }
    Evtctl.output(spec).rows(List.of("event", "result", "detail"), rows);
    spec.commandLine()
        .getErr()
        .printf(
            "%d event(s): %d valid, %d invalid (pipeline %s)%n",
            events.size(), events.size() - invalid, invalid, pipeline.name());
    return invalid == 0 ? ExitCode.OK : ExitCode.NOT_MET;
  }

  private String read() throws IOException {
    if (file.equals("-")) {
      return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (InputStream in = Files.newInputStream(java.nio.file.Path.of(file))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new CommandFailedException(ExitCode.USAGE, "no such file: " + file);
    }
  }

  /**
   * One document when the whole input is one (perhaps pretty-printed), or when it looks like a
   * broken one (it starts a JSON object or array that its first line does not close); otherwise
   * NDJSON, each non-blank line an event, so a first line that is not JSON is reported as one bad
   * event among the others.
   */
  static List<String> events(String input) {
    List<String> lines = input.lines().filter(line -> !line.isBlank()).collect(Collectors.toList());
    if (lines.size() <= 1 || isJson(input)) {
      return List.of(input.strip());
    }
    String first = lines.get(0).strip();
    boolean opensADocument = first.startsWith("{") || first.startsWith("[");
    if (opensADocument && !isJson(first)) {
      return List.of(input.strip());
    }
    return lines;
  }

  private static boolean isJson(String text) {
    try {
      Json.readTree(text);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String key(Pipeline pipeline, Map<String, AttributeValue> item) {
    String key = item.get(pipeline.partitionKey()).s();
    return pipeline.sortKey() == null ? key : key + " | " + item.get(pipeline.sortKey()).s();
  }
}
