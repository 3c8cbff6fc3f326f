package dev.evtctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.evtctl.cli.logging.CloudWatchLogsAppender;
import dev.evtctl.core.logs.CloudWatchLogs;
import dev.evtctl.core.logs.FileLogs;
import dev.evtctl.core.logs.LiveTail;
import dev.evtctl.core.logs.LogFilter;
import dev.evtctl.core.logs.LogGroupNotFoundException;
import dev.evtctl.core.logs.LogLevel;
import dev.evtctl.core.logs.LogLine;
import dev.evtctl.core.logs.LogSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;

/** The structured log lines of drain and the Lambda, from a CloudWatch Logs group or a file. */
@Command(
    name = "logs",
    footerHeading = "%nExamples:%n",
    footer = {
      "  The invalid events of a session, from the Lambda's log group:",
      "    evtctl logs --group /aws/lambda/audit-dequeue --code INVALID_EVENT --session b0a1c2d3-session --since 1h",
      "",
      "  What local drains logged about one message, as it comes:",
      "    evtctl --local logs --message-id 6f1c2a9e-4d7b-4c1e-9a51-0b8e2f3d4c5a --follow"
    },
    mixinStandardHelpOptions = true,
    description = {
      "Show the structured log lines drain and the Lambda write, from a CloudWatch Logs group (FilterLogEvents with a JSON filter pattern built from the flags, every page, every stream), a file (drain --log-file), or with --local what drains against the local stack kept ($EVTCTL_HOME/logs/local-PORT.ndjson). The same flags give the same lines from each. A line that is not JSON is shown as it is. --follow goes on showing new lines until Ctrl-C (exit 130, interrupted): from a group with a CloudWatch Logs Live Tail (StartLiveTail, started again when AWS ends a session after 3 hours), or by polling FilterLogEvents every second where the endpoint has no StartLiveTail (moto); from a file by reading it every second."
    })
final class LogsCommand implements Callable<Integer> {

  /** How often --follow looks for new lines. */
  static final Duration POLL = Duration.ofSeconds(1);

  static final List<String> COLUMNS =
      List.of(
          "time",
          "level",
          "code",
          "message_id",
          "session_id",
          "tenant_id",
          "event_name",
          "message",
          "reason");

  @Spec CommandSpec spec;

  static final class Source {
    @Option(
        names = "--group",
        paramLabel = "G",
        description =
            "CloudWatch Logs group (its endpoint: AWS_ENDPOINT_URL_CLOUDWATCH_LOGS, else the one"
                + " for every service).")
    String group;

    @Option(names = "--file", paramLabel = "F", description = "A file of log lines.")
    Path file;
  }

  /** Without one, the global --local names the source. */
  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Source source;

  @Option(names = "--code", paramLabel = "C", description = "Only lines of this code.")
  String code;

  static final class Subject {
    @Option(names = "--session", paramLabel = "S", description = "Only lines of this sessionId.")
    String session;

    @Option(names = "--tenant", paramLabel = "T", description = "Only lines of this tenantId.")
    String tenant;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Subject subject;

  @Option(
      names = "--message-id",
      paramLabel = "M",
      description = "Only lines of this SQS messageId.")
  String messageId;

  @Option(
      names = "--event-name",
      paramLabel = "N",
      description = "Only lines of this eventName (txma) or eventType (ledger).")
  String eventName;

  @Option(
      names = "--level",
      paramLabel = "L",
      description = "Only lines of level L and above: ${COMPLETION-CANDIDATES}.")
  LogLevel level;

  @Option(
      names = "--since",
      paramLabel = "T",
      converter = InstantConverter.class,
      description = "Only lines at or after T (RFC 3339, or a duration ago: 10m).")
  Instant since;

  @Option(
      names = "--until",
      paramLabel = "T",
      converter = InstantConverter.class,
      description = "Only lines at or before T.")
  Instant until;

  @Option(names = "--follow", description = "Go on showing new lines until Ctrl-C.")
  boolean follow;

  /** The async client of a live tail (--follow on a group), closed with the follow, or null. */
  private CloudWatchLogsAsyncClient liveTailClient;

  @Override
  public Integer call() {
    try {
      return show();
    } finally {
      if (liveTailClient != null) {
        liveTailClient.close();
      }
    }
  }

  private int show() {
    LogSource logs = source();
    LogFilter filter =
        new LogFilter(
            code,
            subject == null ? null : subject.session,
            subject == null ? null : subject.tenant,
            messageId,
            eventName,
            level,
            since,
            until);
    List<LogLine> found = find(logs, filter);
    OutputFormat format = Evtctl.outputOptions(spec).format();
    if (!follow) {
      print(format, found, true);
      return ExitCode.OK;
    }
    // A follow prints as it goes: json becomes one object a line, as ndjson.
    OutputFormat streaming = format == OutputFormat.json ? OutputFormat.ndjson : format;
    print(streaming, found, true);
    return follow(logs, filter, found, streaming);
  }

  private LogSource source() {
    AwsOptions aws = Evtctl.awsOptions(spec);
    if (source != null && source.group != null) {
      if (aws.cloudWatchLogsUnavailable() != null) {
        throw new CommandFailedException(
            ExitCode.USAGE, "--group: " + aws.cloudWatchLogsUnavailable());
      }
      if (!follow) {
        return new CloudWatchLogs(aws.clients().logs(), source.group);
      }
      liveTailClient = aws.clients().logsAsync();
      return new CloudWatchLogs(aws.clients().logs(), source.group, new LiveTail(liveTailClient));
    }
    if (source != null && source.file != null) {
      if (!follow && !java.nio.file.Files.exists(source.file)) {
        throw new CommandFailedException(
            ExitCode.USAGE, "--file: cannot read " + source.file + ": no such file");
      }
      return new FileLogs(source.file);
    }
    if (aws.isLocal()) {
      return new FileLogs(aws.localLogLines());
    }
    throw new ParameterException(
        spec.commandLine(), "Missing a source of log lines: --group G, --file F or --local");
  }

  private static List<LogLine> find(LogSource logs, LogFilter filter) {
    try {
      return logs.find(filter);
    } catch (RuntimeException e) {
      throw readFailure(logs, e);
    }
  }

  /** A source that could not be read: exit 4 for CloudWatch, 2 for a file; others as they are. */
  private static RuntimeException readFailure(LogSource logs, RuntimeException e) {
    if (e instanceof LogGroupNotFoundException) {
      return new CommandFailedException(ExitCode.BACKEND, e.getMessage());
    }
    if (e instanceof software.amazon.awssdk.core.exception.SdkException sdk) {
      return new CommandFailedException(
          ExitCode.BACKEND,
          "cannot read "
              + logs.describe()
              + ": "
              + dev.evtctl.core.processing.BackendErrors.describe(
                  sdk, CloudWatchLogsAppender.SERVICE));
    }
    if (e instanceof java.io.UncheckedIOException io) {
      return new CommandFailedException(
          ExitCode.USAGE,
          "cannot read " + logs.describe() + ": " + ErrorHandler.reason(io.getCause()));
    }
    return e;
  }

  /**
   * Follows until interrupted: in this thread (a test's, which ends it with 0), or by Ctrl-C or
   * SIGTERM, whose hook ends the follow, lets the last lines out and ends the process with 130
   * (interrupted, as for every command and as awscli's {@code logs tail --follow} ends).
   */
  private int follow(LogSource logs, LogFilter filter, List<LogLine> found, OutputFormat format) {
    Thread polling = Thread.currentThread();
    CountDownLatch done = new CountDownLatch(1);
    AtomicBoolean stopping = new AtomicBoolean();
    PrintWriter out = spec.commandLine().getOut();
    Thread hook =
        new Thread(
            () -> {
              stopping.set(true);
              polling.interrupt();
              try {
                done.await(5, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              out.flush();
              Runtime.getRuntime().halt(ExitCode.INTERRUPTED);
            },
            "evtctl-logs-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      logs.follow(filter, found, POLL, batch -> print(format, batch, false));
      return ExitCode.OK;
    } catch (InterruptedException e) {
      return ExitCode.OK;
    } catch (RuntimeException e) {
      if (stopping.get()) {
        return ExitCode.OK;
      }
      throw readFailure(logs, e);
    } finally {
      done.countDown();
      if (!stopping.get()) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook runs
        }
      }
    }
  }

  private void print(OutputFormat format, List<LogLine> lines, boolean first) {
    Output output =
        new Output(spec.commandLine().getOut(), format, Evtctl.outputOptions(spec).tableWidth());
    List<Map<String, Object>> rows = new ArrayList<>();
    List<JsonNode> documents = new ArrayList<>();
    for (LogLine line : lines) {
      rows.add(row(line));
      documents.add(document(line));
    }
    if (format == OutputFormat.table) {
      if (lines.isEmpty() && !first) {
        return;
      }
      // A column no line fills (tenant_id for txma) only takes room on a terminal.
      List<String> columns =
          COLUMNS.stream()
              .filter(
                  column ->
                      column.equals("time")
                          || column.equals("message")
                          || rows.stream().anyMatch(row -> row.get(column) != null))
              .toList();
      output.rows(columns, rows);
    } else if (format == OutputFormat.csv && !first) {
      // A follow's later lines: rows without the header again.
      String csv = csvRows(rows);
      spec.commandLine().getOut().print(csv);
      spec.commandLine().getOut().flush();
    } else {
      output.records(COLUMNS, rows, documents);
    }
  }

  private String csvRows(List<Map<String, Object>> rows) {
    java.io.StringWriter text = new java.io.StringWriter();
    new Output(new PrintWriter(text), OutputFormat.csv).rows(COLUMNS, rows);
    String all = text.toString();
    int header = all.indexOf('\n');
    return header < 0 ? "" : all.substring(header + 1);
  }

  /** A line's row: its keys in snake_case; a raw line's text in the message column. */
  static Map<String, Object> row(LogLine line) {
    Map<String, Object> row = new LinkedHashMap<>();
    // Milliseconds, as CloudWatch keeps them; the line itself (json) keeps what was written.
    row.put(
        "time",
        line.time() == null
            ? null
            : line.time().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
    row.put("level", line.field("level"));
    row.put("code", line.field("code"));
    row.put("message_id", line.field("messageId"));
    row.put("session_id", line.field("sessionId"));
    row.put("tenant_id", line.field("tenantId"));
    String name = line.field("eventName");
    row.put("event_name", name != null ? name : line.field("eventType"));
    row.put("message", line.json() == null ? line.text() : line.field("message"));
    row.put("reason", line.field("reason"));
    return row;
  }

  /** A line in json and ndjson: the line as written; one that is not JSON as {"raw": text}. */
  static JsonNode document(LogLine line) {
    if (line.json() != null) {
      return line.json();
    }
    return JsonNodeFactory.instance.objectNode().put("raw", line.text());
  }
}
