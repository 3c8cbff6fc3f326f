package dev.evtctl.cli;

import dev.evtctl.aws.AwsClients;
import dev.evtctl.cli.logging.CliLogging;
import dev.evtctl.cli.logging.CloudWatchLogsAppender;
import dev.evtctl.core.processing.BackendErrors;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Where a command's structured log lines go besides the terminal: --log-file, --log-group, or,
 * against the local stack with neither, the local stack's own file. drain writes its outcomes
 * there, seed, import and replay the messages they sent; logs and trace read them back.
 */
final class LogDestinationOptions {

  @Option(
      names = "--log-file",
      paramLabel = "F",
      description =
          "Append the structured log lines (JSON) to F. With --local and neither this nor"
              + " --log-group, they go to $EVTCTL_HOME/logs/local-PORT.ndjson, for logs --local"
              + " and trace --local, with the lines of debug (ids, no bodies unless --debug).")
  Path logFile;

  @Option(
      names = "--log-group",
      paramLabel = "G",
      description =
          "Also ship the structured log lines to CloudWatch Logs group G (created if missing),"
              + " stream evtctl-COMMAND/<yyyy/MM/dd>/<host>-<pid>; its endpoint is"
              + " AWS_ENDPOINT_URL_CLOUDWATCH_LOGS, else the one for every service.")
  String logGroup;

  /** Refuses --log-group where this build cannot reach CloudWatch Logs (exit 2). */
  void check(AwsOptions aws) {
    if (logGroup != null && aws.cloudWatchLogsUnavailable() != null) {
      throw new CommandFailedException(
          ExitCode.USAGE, "--log-group: " + aws.cloudWatchLogsUnavailable());
    }
  }

  /**
   * Starts writing the lines: the group's stream is created first (a group that cannot be written
   * to is a backend error at once, not a surprise at the end).
   */
  Destination open(CommandSpec spec, AwsClients clients, String command) {
    AwsOptions aws = Evtctl.awsOptions(spec);
    check(aws);
    PrintWriter err = spec.commandLine().getErr();
    CloudWatchLogsAppender shipping = logGroup == null ? null : openLogGroup(clients, command, err);
    Path local = logFile == null && logGroup == null ? aws.localLogLines() : null;
    if (local != null) {
      try {
        dev.evtctl.local.PrivateFiles.directory(local.getParent());
      } catch (IOException e) {
        throw new CommandFailedException(
            ExitCode.USAGE,
            "cannot write the log lines to " + local + ": " + ErrorHandler.reason(e));
      }
    }
    CliLogging logging =
        CliLogging.configure(
            Evtctl.outputOptions(spec), local != null ? local : logFile, shipping, local != null);
    return new Destination(logging, shipping, err, command);
  }

  private CloudWatchLogsAppender openLogGroup(AwsClients clients, String command, PrintWriter err) {
    String stream = CloudWatchLogsAppender.streamName(command, Instant.now());
    CloudWatchLogsAppender appender;
    try {
      appender = CloudWatchLogsAppender.open(clients.logs(), logGroup, stream);
    } catch (SdkException e) {
      throw new CommandFailedException(
          ExitCode.BACKEND,
          "cannot write to CloudWatch Logs group "
              + logGroup
              + ": "
              + BackendErrors.describe(e, CloudWatchLogsAppender.SERVICE));
    }
    err.println(
        "evtctl "
            + command
            + ": log lines go to CloudWatch Logs group "
            + logGroup
            + ", stream "
            + stream);
    return appender;
  }

  /**
   * The lines being written. {@link #flush} closes the file and ships what waits for CloudWatch
   * (before a summary says the command is over); closing, from the command's end or its interrupt
   * hook, whichever comes first, also says once what could not be shipped: a CloudWatch failure
   * never fails the command.
   */
  static final class Destination implements AutoCloseable {
    private final CliLogging logging;
    private final CloudWatchLogsAppender shipping;
    private final PrintWriter err;
    private final String command;
    private final AtomicBoolean reported = new AtomicBoolean();

    private Destination(
        CliLogging logging, CloudWatchLogsAppender shipping, PrintWriter err, String command) {
      this.logging = logging;
      this.shipping = shipping;
      this.err = err;
      this.command = command;
    }

    void flush() {
      logging.close();
    }

    @Override
    public void close() {
      flush();
      String report = shipping == null ? null : shipping.unshippedReport();
      if (report != null && reported.compareAndSet(false, true)) {
        err.println("evtctl " + command + ": " + report);
        err.flush();
      }
    }
  }
}
