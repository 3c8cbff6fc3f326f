package dev.evtctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evtctl.aws.UnreachableEndpoint;
import dev.evtctl.core.logs.LogGroupNotFoundException;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.stack.StackNames;
import dev.evtctl.core.trace.EventTrace;
import dev.evtctl.core.trace.Trace;
import dev.evtctl.core.trace.TraceLogs;
import dev.evtctl.core.trace.TraceRequest;
import dev.evtctl.core.trace.TraceStep;
import dev.evtctl.core.trace.Tracer;
import dev.evtctl.local.LocalInstance;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/** Everything evtctl can find about one message, event, session or tenant: one timeline. */
@Command(
    name = "trace",
    footerHeading = "%nExamples:%n",
    footer = {
      "  What happened to a message, with what drain logged about it:",
      "    evtctl --local trace 3f1c0a52-8d1e-4b9a-9c7e-0d2f6a1b7e44 --queue audit --log-file drain.log",
      "",
      "  One verdict per event of a session, as JSON:",
      "    evtctl --local trace b0a1c2d3-session --queue audit -o json"
    },
    mixinStandardHelpOptions = true,
    description = {
      "Trace a messageId, a business id (an event id, a message_id) or a session, tenant or company through everything evtctl can see: the log lines drain and the Lambda wrote (--log-file, --log-group, or with --local the local stack's own file), the queue and its dead-letter queue, the redrive audit trails (joining a message's old and new messageId) and the events table (INVALID records included). Prints one timeline per event with a verdict: stored, invalid: REASON, in the DLQ after N receives, on the queue after N receives, never seen. The queues are read as dlq peek reads them: each visible message is received once and given back at once, so its receive count goes up by one (on the queue, that counts towards its maxReceiveCount). Without a log source the logs are not searched, and trace says so. Exit 0 when the id is found, 3 when it is known nowhere."
    })
final class TraceCommand implements Callable<Integer> {

  /** A timeline fits 80 columns: the time of day (the date is in the heading), ids whole. */
  static final List<String> COLUMNS = List.of("time", "source", "step", "message_id", "detail");

  private static final List<String> CSV_COLUMNS =
      List.of(
          "event",
          "verdict",
          "time",
          "source",
          "step",
          "message_id",
          "new_message_id",
          "receives",
          "age",
          "reason",
          "detail");

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "ID",
      description = "A messageId, an event id or message_id, or a session, tenant or company.")
  String id;

  @Mixin PipelineOptions pipelineOptions;

  @Mixin TableOptions tableOptions;

  @Option(
      names = {"-q", "--queue"},
      paramLabel = "Q",
      description =
          "Queue to peek, by name or URL (default: from --table, N-events → N); its dead-letter"
              + " queue N-dlq too, when there is one.")
  String queue;

  @Mixin TraceLogOptions logSource;

  @Option(
      names = "--audit-file",
      paramLabel = "F",
      description =
          "A redrive audit trail to read; repeatable (default: every"
              + " ~/.evtctl/redrive/*.ndjson).")
  List<Path> auditFiles = new ArrayList<>();

  @Override
  public Integer call() {
    TraceLogs logs = logSource.logs(Evtctl.awsOptions(spec));
    Pipeline pipeline = pipelineOptions.pipeline();
    String table = tableOptions.resolve(queue, pipeline).events();
    List<Path> audit = auditFiles();
    String unreachable = null;
    Trace trace;
    try {
      try {
        trace = trace(pipeline, table, logs, audit);
      } catch (SdkClientException e) {
        // The queues and the table cannot be reached (the local stack stopped, say): what the
        // logs and the audit trails hold still answers, unless there is nothing else to search.
        if (!UnreachableEndpoint.named(e) || (!logs.searched() && audit.isEmpty())) {
          throw e;
        }
        unreachable = e.getMessage();
        trace = tracer().trace(new TraceRequest(id, pipeline, null, null, null, audit, logs));
      }
    } catch (LogGroupNotFoundException e) {
      throw new CommandFailedException(ExitCode.BACKEND, e.getMessage());
    }
    print(trace);
    PrintWriter err = spec.commandLine().getErr();
    trace.notes().forEach(note -> err.println("note: " + note));
    if (unreachable != null) {
      err.println("the queues and the table were not searched: " + unreachable);
    }
    if (!trace.logsSearched()) {
      err.println("logs were not searched (give --log-file F, --log-group G or --local)");
    }
    if (!trace.found()) {
      String searched = id + " was not found; searched " + String.join(", ", trace.searched());
      if (unreachable != null) {
        throw new CommandFailedException(ExitCode.BACKEND, searched + "; " + unreachable);
      }
      err.println(id + " is known nowhere; searched " + String.join(", ", trace.searched()));
      return ExitCode.NOT_MET;
    }
    return ExitCode.OK;
  }

  /**
   * The whole trace: the queue and its DLQ (named, or by the stack naming), the table, the rest.
   */
  private Trace trace(Pipeline pipeline, String table, TraceLogs logs, List<Path> audit) {
    SqsClient sqs = Evtctl.awsOptions(spec).clients().sqs();
    StackNames stack =
        queue != null
            ? StackNames.fromQueue(queue)
            : table.endsWith("-events")
                ? new StackNames(table.substring(0, table.length() - "-events".length()), false)
                : null;
    String queueUrl =
        queue != null
            ? QueueLookup.url(sqs, queue)
            : stack == null ? null : urlIfExists(sqs, stack.queue());
    String deadLetterUrl = stack == null ? null : urlIfExists(sqs, stack.deadLetterQueue());
    if (queueUrl != null && queueUrl.equals(deadLetterUrl)) {
      queueUrl = null;
    }
    return tracer()
        .trace(new TraceRequest(id, pipeline, queueUrl, deadLetterUrl, table, audit, logs));
  }

  private Tracer tracer() {
    var aws = Evtctl.awsOptions(spec).clients();
    return new Tracer(aws.sqs(), aws.dynamoDb());
  }

  /** The audit trails given, else every one a redrive wrote to its default place. */
  private List<Path> auditFiles() {
    if (!auditFiles.isEmpty()) {
      return List.copyOf(auditFiles);
    }
    Path dir = LocalInstance.redriveDirectory(Evtctl.environment(spec));
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(file -> file.toString().endsWith(".ndjson")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String urlIfExists(SqsClient sqs, String name) {
    try {
      return sqs.getQueueUrl(r -> r.queueName(name)).queueUrl();
    } catch (QueueDoesNotExistException e) {
      return null;
    }
  }

  private void print(Trace trace) {
    Output output = Evtctl.output(spec);
    if (Evtctl.outputOptions(spec).format() != OutputFormat.table) {
      // json and ndjson: one document per event; csv: one row per step, with its event.
      List<Map<String, Object>> rows = new ArrayList<>();
      List<JsonNode> documents = new ArrayList<>();
      for (EventTrace event : trace.events()) {
        documents.add(document(trace, event));
        for (TraceStep step : event.steps()) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("event", event.event());
          row.put("verdict", event.verdict());
          row.putAll(row(step, false));
          rows.add(row);
        }
      }
      output.records(CSV_COLUMNS, rows, documents);
      return;
    }
    boolean first = true;
    for (EventTrace event : trace.events()) {
      if (!first) {
        output.heading("");
      }
      first = false;
      output.heading(event.event() + ": " + event.verdict());
      subheading(event).forEach(line -> output.heading("  " + line));
      output.rows(COLUMNS, event.steps().stream().map(step -> row(step, true)).toList());
    }
  }

  /**
   * The event's day and its messageIds, one id a line (ids are never cut, and a redriven event's
   * two side by side would not fit 80 columns).
   */
  private static List<String> subheading(EventTrace event) {
    String day =
        event.steps().stream()
            .map(TraceStep::time)
            .filter(time -> time != null)
            .findFirst()
            .map(time -> time.atOffset(ZoneOffset.UTC).toLocalDate() + " (UTC)")
            .orElse("no times");
    if (event.messageIds().isEmpty()) {
      return List.of(day + ", no message seen");
    }
    String first =
        day
            + ", message"
            + (event.messageIds().size() == 1 ? " " : "s ")
            + event.messageIds().get(0);
    List<String> lines = new ArrayList<>(List.of(first));
    String indent = " ".repeat(first.length() - event.messageIds().get(0).length() - 3);
    event.messageIds().stream().skip(1).forEach(id -> lines.add(indent + "-> " + id));
    return lines;
  }

  /** A step as a row: in a table, the time of day and one detail; else every field. */
  private static Map<String, Object> row(TraceStep step, boolean table) {
    Map<String, Object> row = new LinkedHashMap<>();
    if (table) {
      row.put("time", step.time() == null ? "-" : TIME.format(step.time()));
      row.put("source", step.source());
      row.put("step", step.step());
      // A redrive's row names the message it made: the rows after it are about that one.
      row.put("message_id", step.newMessageId() != null ? step.newMessageId() : step.messageId());
      row.put("detail", step.reason() != null ? step.reason() : step.detail());
      return row;
    }
    row.put("time", step.time() == null ? null : step.time().toString());
    row.put("source", step.source());
    row.put("step", step.step());
    row.put("message_id", step.messageId());
    row.put("new_message_id", step.newMessageId());
    row.put("receives", step.receives());
    row.put("age", step.age());
    row.put("reason", step.reason());
    row.put("detail", step.detail());
    return row;
  }

  /** One event's timeline as json and ndjson print it, with the id it was traced by. */
  private static ObjectNode document(Trace trace, EventTrace event) {
    ObjectNode document = JsonNodeFactory.instance.objectNode();
    document.put("id", trace.id());
    document.put("group", trace.group());
    document.put("logs_searched", trace.logsSearched());
    document.setAll(event(event));
    return document;
  }

  private static ObjectNode event(EventTrace event) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("event", event.event());
    node.put("key", event.key());
    ArrayNode ids = node.putArray("message_ids");
    event.messageIds().forEach(ids::add);
    node.put("verdict", event.verdict());
    ArrayNode steps = node.putArray("steps");
    for (TraceStep step : event.steps()) {
      ObjectNode s = steps.addObject();
      s.put("time", step.time() == null ? null : step.time().toString());
      s.put("source", step.source());
      s.put("step", step.step());
      s.put("message_id", step.messageId());
      s.put("new_message_id", step.newMessageId());
      if (step.receives() == null) {
        s.putNull("receives");
      } else {
        s.put("receives", step.receives());
      }
      if (step.age() == null) {
        s.putNull("age");
      } else {
        s.put("age", step.age().toSeconds());
      }
      s.put("reason", step.reason());
      s.put("detail", step.detail());
    }
    return node;
  }
}
