package dev.evtctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evtctl.core.expect.EventExpectations;
import dev.evtctl.core.expect.Expectation;
import dev.evtctl.core.expect.ExpectationsFile;
import dev.evtctl.core.pipeline.InvalidSettingException;
import dev.evtctl.core.pipeline.Json;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.pipeline.PipelineDefinitionException;
import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.table.EventQuery;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
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
      ExpectationsFile expected = ExpectationsFile.of(root);
      Pipeline pipeline = Pipelines.builtIn(expected.pipeline());
      String events = table != null ? table : expected.table();
      if (events == null) {
        throw invalid("no table: give \"table\" in the file, --table, or EVTCTL_TABLE");
      }
      Duration wait =
          timeout != null
              ? timeout
              : expected.timeout() != null
                  ? new DurationConverter().convert(expected.timeout())
                  : Duration.ZERO;
      return new Plan(pipeline, events, expected.selector(), wait, expected.expectations());
    } catch (InvalidSettingException
        | PipelineDefinitionException
        | picocli.CommandLine.TypeConversionException e) {
      throw invalid(e.getMessage());
    }
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
