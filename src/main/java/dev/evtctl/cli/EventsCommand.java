package dev.evtctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evtctl.core.expect.EventExpectations;
import dev.evtctl.core.expect.Expectation;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.table.EventQuery;
import dev.evtctl.core.table.ReadLayout;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What landed for a session, tenant, company or status; and CI expectations on it. */
@Command(
    name = "events",
    footerHeading = "%nExamples:%n",
    footer = {
      "  A session's events:",
      "    evtctl --local events --session b0a1c2d3-session --table audit-events",
      "",
      "  Wait up to 40 s for one DCMAW_ASYNC_CRI_START (exit 3 if it does not come):",
      "    evtctl --local events --session b0a1c2d3-session --table audit-events --expect DCMAW_ASYNC_CRI_START=1 --timeout 40s"
    },
    mixinStandardHelpOptions = true,
    description = {
      "Show the events stored for a session (txma), tenant (ledger), company (messages) or status, every page followed. With --expect, poll (500 ms, doubling, at most 10 s) until every expectation holds (exit 0) or --timeout passes (exit 3, with what was expected, what was found and the closest mismatches)."
    })
final class EventsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin PipelineOptions pipelineOptions;

  @Mixin TableOptions tableOptions;

  static final class Which extends SubjectOptions {
    @Option(
        names = "--status",
        paramLabel = "S",
        completionCandidates = Candidates.Statuses.class,
        description = "Status: INVALID, READY, Processed, Invalid.")
    String status;
  }

  @ArgGroup(exclusive = false, multiplicity = "1")
  Which which;

  @Option(
      names = "--event-name",
      paramLabel = "N",
      description = "Only events of this name (type).")
  String eventName;

  @Option(
      names = "--since",
      paramLabel = "T",
      converter = InstantConverter.class,
      description = "Only events at or after T (RFC 3339, or a duration ago: 10m).")
  Instant since;

  @Option(
      names = "--until",
      paramLabel = "T",
      converter = InstantConverter.class,
      description = "Only events at or before T.")
  Instant until;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "0",
      description = "At most N events (default: all).")
  int limit;

  @Option(
      names = "--expect",
      paramLabel = "NAME[=COUNT]",
      description = "Expect at least one (or exactly COUNT) events of NAME; repeatable.")
  List<String> expect = new ArrayList<>();

  @Option(
      names = "--timeout",
      paramLabel = "DUR",
      defaultValue = "0s",
      converter = DurationConverter.class,
      description = "How long --expect polls (e.g. 40s; default: one query).")
  Duration timeout;

  @Override
  public Integer call() throws InterruptedException {
    OptionBounds.check("--limit", limit, 0, Long.MAX_VALUE);
    Pipeline pipeline = pipelineOptions.pipeline();
    String table = tableOptions.resolve(null, pipeline).events();
    EventQuery query =
        new EventQuery(Evtctl.awsOptions(spec).clients().dynamoDb(), pipeline, table);
    EventQuery.Selector selector = which.selector(which.status, eventName, since, until, limit);
    if (expect.isEmpty()) {
      print(pipeline, query.find(selector));
      return ExitCode.OK;
    }
    List<Expectation> expectations = expect.stream().map(Expectation::parse).toList();
    PrintWriter err = spec.commandLine().getErr();
    OutputOptions output = Evtctl.outputOptions(spec);
    // Ctrl-C while polling: what the last query found, and how it stands, before exit 130.
    AtomicReference<List<EventQuery.StoredEvent>> found = new AtomicReference<>();
    AtomicBoolean reported = new AtomicBoolean();
    Thread onInterrupt =
        new Thread(
            () -> {
              List<EventQuery.StoredEvent> events = found.get();
              if (events != null && reported.compareAndSet(false, true)) {
                print(pipeline, events);
                err.println("interrupted; the last query found:");
                EventExpectations.check(expectations, events)
                    .describe()
                    .forEach(line -> err.println(output.paint(line)));
                err.flush();
              }
            },
            "evtctl-events-interrupted");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    EventExpectations.Report report;
    try {
      report =
          EventExpectations.await(
              () -> {
                List<EventQuery.StoredEvent> events = query.find(selector);
                found.set(events);
                return events;
              },
              expectations,
              timeout);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
      } catch (IllegalStateException e) {
        // shutting down: the hook is running
      }
    }
    if (!reported.compareAndSet(false, true)) {
      return ExitCode.INTERRUPTED;
    }
    print(pipeline, report.events());
    report.describe().forEach(line -> err.println(output.paint(line)));
    err.printf(
        "%d quer%s in %.1f s%n",
        report.queries(), report.queries() == 1 ? "y" : "ies", report.waited().toMillis() / 1000.0);
    return report.met() ? ExitCode.OK : ExitCode.NOT_MET;
  }

  private void print(Pipeline pipeline, List<EventQuery.StoredEvent> events) {
    List<Map<String, Object>> rows = new ArrayList<>();
    List<JsonNode> documents = new ArrayList<>();
    ReadLayout read = ReadLayout.of(pipeline);
    for (EventQuery.StoredEvent event : events) {
      rows.add(read.row(event));
      documents.add(event.item());
    }
    List<String> columns = read.columns();
    if (Evtctl.outputOptions(spec).format() == OutputFormat.table) {
      // A column no row fills (reason, for valid events) only takes room on a terminal.
      columns =
          columns.stream()
              .filter(
                  column ->
                      rows.stream()
                          .anyMatch(
                              row ->
                                  row.get(column) != null && !row.get(column).toString().isEmpty()))
              .toList();
    }
    Evtctl.output(spec).records(columns, rows, documents);
  }
}
