package dev.evtctl.cli;

import dev.evtctl.core.logs.CloudWatchLogs;
import dev.evtctl.core.logs.FileLogs;
import dev.evtctl.core.trace.SourceLines;
import dev.evtctl.core.trace.TraceLogs;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a trace searches log lines: --log-file or --log-group, not both (trace's, and serve's
 * console's). A mixin, not an exclusive group: picocli's annotation processor refuses a group class
 * shared by two commands (remkop/picocli#2407).
 */
final class TraceLogOptions {

  @Option(
      names = "--log-file",
      paramLabel = "F",
      description = "Search the structured log lines (JSON) that drain --log-file wrote.")
  Path logFile;

  @Option(
      names = "--log-group",
      paramLabel = "G",
      description = "Search CloudWatch Logs group G (drain --log-group, or the Lambda's).")
  String logGroup;

  /** Whether either option was given. */
  boolean given() {
    return logFile != null || logGroup != null;
  }

  /** --log-file, --log-group, or with --local the local stack's own log file; else none. */
  TraceLogs logs(AwsOptions aws) {
    if (logFile != null && logGroup != null) {
      throw new CommandFailedException(
          ExitCode.USAGE, "--log-file and --log-group are mutually exclusive (give one)");
    }
    if (logGroup != null) {
      if (aws.cloudWatchLogsUnavailable() != null) {
        throw new CommandFailedException(
            ExitCode.USAGE, "--log-group: " + aws.cloudWatchLogsUnavailable());
      }
      return new SourceLines(new CloudWatchLogs(aws.clients().logs(), logGroup));
    }
    if (logFile != null) {
      if (!Files.isReadable(logFile)) {
        throw new CommandFailedException(
            ExitCode.USAGE, "--log-file " + logFile + ": not a readable file");
      }
      return new SourceLines(new FileLogs(logFile));
    }
    if (aws.isLocal() && Files.isReadable(aws.localLogLines())) {
      return new SourceLines(new FileLogs(aws.localLogLines()));
    }
    return TraceLogs.NONE;
  }
}
