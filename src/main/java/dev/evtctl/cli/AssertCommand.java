package dev.evtctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evtctl.core.expect.EventExpectations;
import dev.evtctl.core.expect.Expectation;
import dev.evtctl.core.expect.FieldMatcher;
import dev.evtctl.core.pipeline.Json;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.pipeline.PipelineConfigException;
import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.table.EventQuery;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A file of expected events, checked with field matchers, reported for CI systems. */
@Command(
    name = "assert",
    footerHeading = "%nExamples:%n",
    footer = {
      "  Check a file of expectations, with a report for CI:",
      "    evtctl --local assert --file expectations.json --junit-xml target/evtctl-junit.xml"
    },
    mixinStandardHelpOptions = true,
    description = {
      "Check a file of expected events; poll until all hold or --timeout passes (exit 3). File (JSON):",
      "  {\"pipeline\": \"txma\", \"table\": \"audit-events\", \"session\": \"S\",",
      "   \"timeout\": \"40s\",",
      "   \"events\": [{\"name\": \"DCMAW_ASYNC_CRI_START\", \"count\": 1,",
      "     \"match\": {\"/user/ip_address\": {\"exists\": true},",
      "               \"/restricted\": {\"absent\": true},",
      "               \"/component_id\": {\"equals\": \"https://...\"},",
      "               \"/user/session_id\": {\"regex\": \"^[0-9a-f-]+$\"}}}]}",
      "tenant, company or status select instead of session; count omitted means at least one."
    })
final class AssertCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "EXPECTATIONS.json",
      description = "The expected events (- for standard input).")
  Path file;

  @Option(
      names = "--timeout",
      paramLabel = "DUR",
      converter = DurationConverter.class,
      description = "How long to poll (default: the file's timeout, else one query).")
  Duration timeout;

  @Option(
      names = {"-t", "--table"},
      paramLabel = "T",
      defaultValue = "${env:EVTCTL_TABLE}",
      description = "Events table (default: the file's table, or EVTCTL_TABLE).")
  String table;

  @Option(
      names = "--junit-xml",
      paramLabel = "FILE",
      description = "Write a JUnit XML report for CI systems.")
  Path junitXml;

  /** The expectations file, parsed and checked. */
  record Plan(
      Pipeline pipeline,
      String table,
      EventQuery.Selector selector,
      Duration timeout,
      List<Expectation> expectations) {}

  @Override
  public Integer call() throws InterruptedException, IOException, XMLStreamException {
    Plan plan = read();
    EventQuery query =
        new EventQuery(Evtctl.awsOptions(spec).clients().dynamoDb(), plan.pipeline(), plan.table());
    EventExpectations.Report report =
        EventExpectations.await(
            () -> query.find(plan.selector()), plan.expectations(), plan.timeout());
    PrintWriter out = spec.commandLine().getOut();
    OutputOptions output = Evtctl.outputOptions(spec);
    report.describe().forEach(line -> out.println(output.paint(line)));
    out.flush();
    if (junitXml != null) {
      writeJunit(report);
    }
    return report.met() ? ExitCode.OK : ExitCode.NOT_MET;
  }

  private Plan read() throws IOException {
    JsonNode root;
    try {
      root = Json.readTree(Files.readString(InputFiles.readable(file)));
    } catch (NoSuchFileException e) {
      throw new CommandFailedException(ExitCode.USAGE, "no such file: " + file);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new CommandFailedException(
          ExitCode.USAGE,
          "expectations file "
              + file
              + " is not JSON: "
              + e.getOriginalMessage()
              + " (line "
              + e.getLocation().getLineNr()
              + ")");
    }
    try {
      Pipeline pipeline = Pipelines.builtIn(text(root, "pipeline", "txma"));
      String events = table != null ? table : text(root, "table", null);
      if (events == null) {
        throw invalid("no table: give \"table\" in the file, --table, or EVTCTL_TABLE");
      }
      EventQuery.Selector selector =
          new EventQuery.Selector(
              text(root, "session", null),
              text(root, "tenant", null),
              text(root, "company", null),
              text(root, "status", null),
              null,
              null,
              null,
              0);
      if (selector.session() == null
          && selector.tenant() == null
          && selector.company() == null
          && selector.status() == null) {
        throw invalid("give one of \"session\", \"tenant\", \"company\", \"status\"");
      }
      Duration wait =
          timeout != null
              ? timeout
              : root.has("timeout")
                  ? new DurationConverter().convert(root.get("timeout").asText())
                  : Duration.ZERO;
      JsonNode list = root.path("events");
      if (!list.isArray() || list.isEmpty()) {
        throw invalid("\"events\" must be a non-empty list");
      }
      List<Expectation> expectations = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        expectations.add(expectation(list.get(i), i));
      }
      return new Plan(pipeline, events, selector, wait, expectations);
    } catch (PipelineConfigException | picocli.CommandLine.TypeConversionException e) {
      throw invalid(e.getMessage());
    }
  }

  private Expectation expectation(JsonNode node, int index) {
    String where = "events[" + index + "]";
    if (!node.path("name").isTextual()) {
      throw invalid(where + " needs a \"name\"");
    }
    Integer count = null;
    if (node.has("count")) {
      if (!node.get("count").canConvertToInt() || !node.get("count").isIntegralNumber()) {
        throw invalid(where + ".count must be a whole number");
      }
      count = node.get("count").intValue();
    }
    List<FieldMatcher> matchers = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> fields = node.path("match").fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode rule = field.getValue();
      if (!rule.isObject() || rule.size() != 1) {
        throw invalid(
            where
                + ".match."
                + field.getKey()
                + " must be one of {\"equals\": V}, {\"regex\": R}, {\"exists\": true}, {\"absent\": true}");
      }
      String kind = rule.fieldNames().next();
      FieldMatcher.Kind matcherKind;
      try {
        matcherKind = FieldMatcher.Kind.valueOf(kind.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw invalid(
            where
                + ".match."
                + field.getKey()
                + ": unknown matcher '"
                + kind
                + "' (equals, regex, exists, absent)");
      }
      matchers.add(new FieldMatcher(field.getKey(), matcherKind, rule.get(kind)));
    }
    return new Expectation(node.get("name").asText(), count, matchers);
  }

  private static String text(JsonNode root, String field, String otherwise) {
    return root.path(field).isTextual() ? root.get(field).asText() : otherwise;
  }

  private CommandFailedException invalid(String problem) {
    return new CommandFailedException(ExitCode.USAGE, "expectations file " + file + ": " + problem);
  }

  private void writeJunit(EventExpectations.Report report) throws IOException, XMLStreamException {
    try (OutputStream stream = Files.newOutputStream(junitXml)) {
      XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(stream, "UTF-8");
      long failures = report.results().stream().filter(r -> !r.met()).count();
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeStartElement("testsuite");
      xml.writeAttribute("name", "evtctl assert " + file.getFileName());
      xml.writeAttribute("tests", Integer.toString(report.results().size()));
      xml.writeAttribute("failures", Long.toString(failures));
      xml.writeAttribute("errors", "0");
      xml.writeAttribute(
          "time", String.format(Locale.ROOT, "%.3f", report.waited().toMillis() / 1000.0));
      for (EventExpectations.Result result : report.results()) {
        xml.writeStartElement("testcase");
        xml.writeAttribute("classname", "evtctl.assert");
        xml.writeAttribute("name", result.expectation().toString());
        if (!result.met()) {
          xml.writeStartElement("failure");
          xml.writeAttribute(
              "message", "expected " + result.expectation() + ", found " + result.found());
          xml.writeCharacters(String.join("\n", result.closest()));
          xml.writeEndElement();
        }
        xml.writeEndElement();
      }
      xml.writeEndElement();
      xml.writeEndDocument();
      xml.close();
    }
  }
}
