package dev.evtctl.cli;

import dev.evtctl.cli.logging.CliLogging;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/** The evtctl command line: operator and test tool for SQS → DynamoDB event pipelines. */
@Command(
    name = "evtctl",
    footerHeading = "%nExamples:%n",
    footer = {
      "  Start SQS and DynamoDB on this machine, make a stack, drain it:",
      "    evtctl local start --detach",
      "    evtctl --local stack create --pipeline txma --name audit",
      "    evtctl --local drain --queue audit",
      "",
      "  The same drain against AWS, with a named profile:",
      "    evtctl --profile dev --region eu-west-2 drain --queue audit"
    },
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true,
    description = "Operator and test tool for SQS → DynamoDB event pipelines.",
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
public final class Evtctl implements java.util.concurrent.Callable<Integer> {

  /**
   * The subcommands, in the order --help lists them. Added to the model by {@link #commandLine},
   * not declared in the annotation: picocli builds the model of every declared subcommand before
   * parsing, by reflection over its options, and a run needs one.
   */
  private static final List<Class<?>> SUBCOMMANDS =
      List.of(
          LocalCommand.class,
          DemoCommand.class,
          StackCommand.class,
          SeedCommand.class,
          DrainCommand.class,
          EventsCommand.class,
          AssertCommand.class,
          DlqCommand.class,
          LogsCommand.class,
          ExportCommand.class,
          ImportCommand.class,
          ReplayCommand.class,
          TraceCommand.class,
          ServeCommand.class,
          ValidateCommand.class,
          SchemasCommand.class,
          CompletionCommand.class,
          CommandLine.HelpCommand.class);

  @Mixin OutputOptions output;

  @Mixin AwsOptions aws;

  @picocli.CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public Evtctl() {
    this(System.getenv(), List.of());
  }

  /** The environment evtctl reads (the process's, or the one a test gives run). */
  private final Map<String, String> environment;

  private Evtctl(Map<String, String> environment, List<ExecutionInterceptor> interceptors) {
    this.environment = environment;
    // picocli keeps a mixin it finds already set.
    this.aws = new AwsOptions(environment, interceptors);
    this.output = new OutputOptions(environment);
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
    CommandLine commandLine =
        commandLine(new Evtctl(environment, interceptors), reachableSubcommands(args));
    ErrorHandler errors = new ErrorHandler();
    commandLine
        .setOut(out)
        .setErr(err)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionStrategy(Evtctl::executeLogging)
        .setExecutionExceptionHandler(errors)
        .setExitCodeExceptionMapper(errors)
        .setParameterExceptionHandler(errors::handleParameterException);
    int code = commandLine.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /**
   * Runs the command with the terminal's log level set from -v and --debug, whichever command it is
   * (drain adds its --log-file and --log-group inside), and set back when it ends: tests run many
   * commands in one JVM.
   */
  private static int executeLogging(CommandLine.ParseResult parseResult) {
    try (CliLogging logging =
        CliLogging.configure(((Evtctl) parseResult.commandSpec().userObject()).output)) {
      return new CommandLine.RunLast().execute(parseResult);
    }
  }

  /** The whole command tree: what help, completions and man pages show. */
  public static CommandLine commandLine() {
    return commandLine(new Evtctl(), SUBCOMMANDS);
  }

  private static CommandLine commandLine(Evtctl root, List<Class<?>> subcommands) {
    CommandLine commandLine = new CommandLine(root);
    subcommands.forEach(commandLine::addSubcommand);
    return commandLine;
  }

  /**
   * The subcommands a command line can reach: those it names (a word that is also an option's value
   * only costs a model built for nothing), none when it asks for the version alone, and all
   * otherwise: the usage, and picocli's suggestions for a mistyped subcommand, list them.
   */
  static List<Class<?>> reachableSubcommands(String... args) {
    Set<String> words = Set.copyOf(Arrays.asList(args));
    List<Class<?>> named =
        SUBCOMMANDS.stream()
            .filter(
                subcommand -> {
                  Command command = subcommand.getAnnotation(Command.class);
                  return words.contains(command.name())
                      || Arrays.stream(command.aliases()).anyMatch(words::contains);
                })
            .toList();
    // help lists every subcommand, or shows one it names.
    if (!named.isEmpty() && !named.contains(CommandLine.HelpCommand.class)) {
      return named;
    }
    boolean versionOnly =
        (words.contains("--version") || words.contains("-V"))
            && !words.contains("--help")
            && !words.contains("-h");
    return versionOnly ? List.of() : SUBCOMMANDS;
  }

  /** The global output options, wherever on the command line they were given. */
  static OutputOptions outputOptions(CommandLine.Model.CommandSpec spec) {
    return ((Evtctl) spec.root().userObject()).output;
  }

  /** The global AWS options, wherever on the command line they were given. */
  static AwsOptions awsOptions(CommandLine.Model.CommandSpec spec) {
    return ((Evtctl) spec.root().userObject()).aws;
  }

  /** The environment the command runs in. */
  static Map<String, String> environment(CommandLine.Model.CommandSpec spec) {
    return ((Evtctl) spec.root().userObject()).environment;
  }

  /** The result writer of the command at hand. */
  static Output output(CommandLine.Model.CommandSpec spec) {
    OutputOptions options = outputOptions(spec);
    return new Output(spec.commandLine().getOut(), options.format(), options.tableWidth());
  }

  /** Bare {@code evtctl}: a usage error, as picocli's own are, with the usage on stderr. */
  @Override
  public Integer call() {
    spec.commandLine().getErr().println("evtctl: a command is needed");
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCode.USAGE;
  }
}
