package dev.evtctl.cli;

import dev.evtctl.aws.UnreachableEndpoint;
import dev.evtctl.core.pipeline.InvalidSettingException;
import dev.evtctl.core.pipeline.PipelineDefinitionException;
import dev.evtctl.core.processing.BackendErrors;
import dev.evtctl.core.processing.BatchFailedException;
import dev.evtctl.local.PortInUseException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Every failure becomes one clear line on stderr (and its cause chain), with the exit code of its
 * kind; a stack trace only with --debug.
 */
public final class ErrorHandler implements IExecutionExceptionHandler, IExitCodeExceptionMapper {

  @Override
  public int getExitCode(Throwable exception) {
    Throwable e = unwrap(exception);
    if (e instanceof CommandFailedException failed) {
      return failed.exitCode();
    }
    if (e instanceof PipelineDefinitionException
        || e instanceof InvalidSettingException
        || e instanceof ParameterException
        || e instanceof FileSystemException
        || e instanceof PortInUseException) {
      return ExitCode.USAGE;
    }
    if (e instanceof SdkException sdk && BackendErrors.missingSetup(sdk)) {
      return ExitCode.USAGE;
    }
    if (e instanceof SdkException || e instanceof BatchFailedException) {
      return ExitCode.BACKEND;
    }
    if (e instanceof InterruptedException) {
      return ExitCode.INTERRUPTED;
    }
    return ExitCode.INTERNAL_ERROR;
  }

  @Override
  public int handleExecutionException(
      Exception exception, CommandLine commandLine, ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    Throwable e = unwrap(exception);
    err.println("evtctl: " + describe(e));
    for (Throwable cause = UnreachableEndpoint.named(e) ? null : e.getCause();
        cause != null && cause != cause.getCause();
        cause = cause.getCause()) {
      if (cause.getMessage() != null && !describe(e).contains(cause.getMessage())) {
        err.println("  caused by: " + describe(cause));
      }
    }
    if (isDebug(parseResult)) {
      exception.printStackTrace(err);
    } else if (getExitCode(e) == ExitCode.INTERNAL_ERROR) {
      err.println("  (run again with --debug for the stack trace)");
    }
    err.flush();
    return getExitCode(e);
  }

  int handleParameterException(ParameterException e, String[] args) {
    CommandLine commandLine = e.getCommandLine();
    PrintWriter err = commandLine.getErr();
    err.println("evtctl: " + e.getMessage());
    if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
      err.println(
          "Try '"
              + commandLine.getCommandSpec().qualifiedName()
              + " --help' for more information.");
    }
    err.flush();
    return ExitCode.USAGE;
  }

  private static String describe(Throwable e) {
    if (e instanceof SdkClientException) {
      if (UnreachableEndpoint.named(e)) {
        return firstLine(e.getMessage())
            + " (is 'evtctl local start' running? check --endpoint-url, --local, the profile)";
      }
      if (mentions(e, "Unable to load region")) {
        return "no AWS region: give --region, set AWS_REGION, or use a profile with a region";
      }
      if (mentions(e, "Unable to load credentials")) {
        return "no AWS credentials: run 'aws configure', set AWS_PROFILE, or use --local for the"
            + " embedded endpoint";
      }
      if (mentions(e, "Profile file contained no credentials for profile")) {
        String profile = e.getMessage().replaceFirst("(?s).*for profile '([^']*)'.*", "$1");
        return "no credentials for profile '"
            + profile
            + "' in ~/.aws/config or ~/.aws/credentials (aws configure --profile "
            + profile
            + ")";
      }
      if (mentions(e, "Connection refused") || mentions(e, "connect timed out")) {
        return "cannot reach the endpoint: "
            + BackendErrors.describe((SdkClientException) e)
            + " (is 'evtctl local start' running? check --endpoint-url)";
      }
    }
    if (e instanceof FileSystemException file) {
      return file.getFile() + ": " + reason(file);
    }
    if (e instanceof SdkException sdk) {
      return BackendErrors.describe(sdk);
    }
    return e.getMessage() == null || e.getMessage().isBlank()
        ? e.toString()
        : firstLine(e.getMessage());
  }

  /** Why a file could not be used, in a few words ("permission denied"). */
  public static String reason(java.io.IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException file && file.getReason() != null) {
      return file.getReason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static boolean mentions(Throwable e, String text) {
    return e.getMessage() != null && e.getMessage().contains(text);
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static Throwable unwrap(Throwable e) {
    Throwable current = e;
    while ((current instanceof CommandLine.ExecutionException
            || current instanceof UncheckedIOException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  private static boolean isDebug(ParseResult parseResult) {
    for (ParseResult result = parseResult; result != null; result = result.subcommand()) {
      if (result.hasMatchedOption("--debug")) {
        return true;
      }
    }
    return false;
  }
}
