package dev.evtctl.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/** The evtctl command line: operator and test tool for SQS → DynamoDB event pipelines. */
@Command(
    name = "evtctl",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true,
    description = "Operator and test tool for SQS → DynamoDB event pipelines.",
    subcommands = {
      LocalCommand.class,
      DemoCommand.class,
      StackCommand.class,
      SeedCommand.class,
      DrainCommand.class,
      EventsCommand.class,
      AssertCommand.class,
      DlqCommand.class,
      ExportCommand.class,
      ImportCommand.class,
      ReplayCommand.class,
      ValidateCommand.class,
      SchemasCommand.class,
      CompletionCommand.class
    },
    // An exit code list, not a footer: the man page gets it as its Exit status section.
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "  " + ExitCode.OK + ":success",
      "  " + ExitCode.INTERNAL_ERROR + ":internal error",
      "  " + ExitCode.USAGE + ":usage or configuration error",
      "  " + ExitCode.NOT_MET + ":expectation not met, validation failed, messages left invalid",
      "  " + ExitCode.BACKEND + ":backend error: unreachable, access denied, not found",
      ExitCode.INTERRUPTED + ":interrupted"
    })
public final class Evtctl implements Runnable {

  @Mixin OutputOptions output;

  @Mixin AwsOptions aws;

  @picocli.CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public Evtctl() {
    this(System.getenv(), List.of());
  }

  private Evtctl(Map<String, String> environment, List<ExecutionInterceptor> interceptors) {
    // picocli keeps a mixin it finds already set.
    this.aws = new AwsOptions(environment, interceptors);
  }

  public static void main(String... args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs one command line; returns its exit code. What tests call. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return run(out, err, System.getenv(), args);
  }

  /**
   * Runs one command line in the given environment instead of the process's, as far as evtctl reads
   * it (the AWS_ENDPOINT_URL* variables, AWS_REGION, the AWS_ACCESS_KEY_ID pair): for tests, which
   * cannot set variables of their own JVM.
   */
  public static int run(
      PrintWriter out, PrintWriter err, Map<String, String> environment, String... args) {
    return run(out, err, environment, List.of(), args);
  }

  /**
   * Runs one command line whose AWS clients carry these SDK interceptors: how {@code demo} stages
   * an outage of the events table for one event (and how a test may inject a fault).
   */
  static int run(
      PrintWriter out,
      PrintWriter err,
      Map<String, String> environment,
      List<ExecutionInterceptor> interceptors,
      String... args) {
    CommandLine commandLine = new CommandLine(new Evtctl(environment, interceptors));
    ErrorHandler errors = new ErrorHandler();
    commandLine
        .setOut(out)
        .setErr(err)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(errors)
        .setExitCodeExceptionMapper(errors)
        .setParameterExceptionHandler(errors::handleParameterException);
    int code = commandLine.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** The global output options, wherever on the command line they were given. */
  static OutputOptions outputOptions(CommandLine.Model.CommandSpec spec) {
    return ((Evtctl) spec.root().userObject()).output;
  }

  /** The global AWS options, wherever on the command line they were given. */
  static AwsOptions awsOptions(CommandLine.Model.CommandSpec spec) {
    return ((Evtctl) spec.root().userObject()).aws;
  }

  /** The result writer of the command at hand. */
  static Output output(CommandLine.Model.CommandSpec spec) {
    return new Output(spec.commandLine().getOut(), outputOptions(spec).format());
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
