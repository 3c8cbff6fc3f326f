package dev.evtctl.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The ENVIRONMENT and FILES sections of a command's man page, which picocli's ManPageGenerator has
 * no place for. What the command model says is taken from it: the variables named by the options'
 * {@code ${env:NAME}} defaults and descriptions, and the options and parameters that take a file.
 * What the model cannot say (variables and files read in code: the AWS SDK's, evtctl's home) is
 * listed here, per command, as the code reads them (AwsOptions, OutputOptions, PrivateFiles,
 * LocalInstance, DlqRedriveCommand).
 */
final class ManPageSections {

  /** What each variable does, wherever it is listed. */
  private static final Map<String, String> MEANING = new LinkedHashMap<>();

  static {
    MEANING.put("AWS_REGION", "the region, when --region is not given");
    MEANING.put("AWS_DEFAULT_REGION", "the region, when neither --region nor AWS_REGION is set");
    MEANING.put("AWS_PROFILE", "the named profile of ~/.aws/config, when --profile is not given");
    MEANING.put("AWS_ACCESS_KEY_ID", "credentials, with AWS_SECRET_ACCESS_KEY");
    MEANING.put("AWS_SECRET_ACCESS_KEY", "credentials, with AWS_ACCESS_KEY_ID");
    MEANING.put("AWS_SESSION_TOKEN", "the session token of temporary credentials");
    MEANING.put("AWS_CONFIG_FILE", "the AWS config file (default: ~/.aws/config)");
    MEANING.put(
        "AWS_SHARED_CREDENTIALS_FILE", "the AWS credentials file (default: ~/.aws/credentials)");
    MEANING.put(
        "AWS_ENDPOINT_URL", "the endpoint for every service, when --endpoint-url is not given");
    MEANING.put("AWS_ENDPOINT_URL_SQS", "the SQS endpoint, before AWS_ENDPOINT_URL");
    MEANING.put("AWS_ENDPOINT_URL_DYNAMODB", "the DynamoDB endpoint, before AWS_ENDPOINT_URL");
    MEANING.put(
        "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS",
        "the CloudWatch Logs endpoint of --log-group, before the flags and AWS_ENDPOINT_URL");
    MEANING.put(
        "EVTCTL_LOCAL_PORT", "the port of the local stack (--local, local start|stop|status)");
    MEANING.put("EVTCTL_PIPELINE", "the pipeline, when --pipeline is not given (default: txma)");
    MEANING.put(
        "EVTCTL_TABLE", "the events table, when --table is not given nor derived from --queue");
    MEANING.put(
        "EVTCTL_HOME", "where evtctl keeps its state, logs and audit trails (default: ~/.evtctl)");
    MEANING.put(
        "EVTCTL_CONSOLE_TOKEN",
        "the console's token (16 to 128 letters, digits, - or _), instead of a random one");
    MEANING.put("HOSTNAME", "the host part of the CloudWatch Logs stream name of --log-group");
    MEANING.put("NO_COLOR", "when set, no colour (as --no-color)");
    MEANING.put("COLUMNS", "the terminal width tables are fitted to");
  }

  /** Commands that talk to no AWS service: the AWS variables and files do not apply to them. */
  private static final Set<String> OFFLINE =
      Set.of(
          "evtctl-local",
          "evtctl-local-start",
          "evtctl-local-stop",
          "evtctl-local-status",
          "evtctl-demo",
          "evtctl-validate",
          "evtctl-schemas",
          "evtctl-schemas-list",
          "evtctl-schemas-show",
          "evtctl-completion",
          "evtctl-help");

  /** Variables read in code, beyond what the options name. */
  private static final List<String> AWS_VARIABLES =
      List.of(
          "AWS_REGION",
          "AWS_DEFAULT_REGION",
          "AWS_PROFILE",
          "AWS_ACCESS_KEY_ID",
          "AWS_SECRET_ACCESS_KEY",
          "AWS_SESSION_TOKEN",
          "AWS_CONFIG_FILE",
          "AWS_SHARED_CREDENTIALS_FILE",
          "AWS_ENDPOINT_URL",
          "AWS_ENDPOINT_URL_SQS",
          "AWS_ENDPOINT_URL_DYNAMODB",
          "EVTCTL_LOCAL_PORT",
          "EVTCTL_HOME");

  private static final Map<String, List<String>> EXTRA_VARIABLES =
      Map.of(
          "evtctl",
          List.of(
              "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", "HOSTNAME", "EVTCTL_PIPELINE", "EVTCTL_TABLE"),
          "evtctl-drain",
          List.of("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", "HOSTNAME"),
          "evtctl-logs",
          List.of("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"),
          "evtctl-local",
          List.of("EVTCTL_LOCAL_PORT", "EVTCTL_HOME"),
          "evtctl-local-start",
          List.of("EVTCTL_LOCAL_PORT", "EVTCTL_HOME", "EVTCTL_CONSOLE_TOKEN"),
          "evtctl-serve",
          List.of("EVTCTL_CONSOLE_TOKEN"),
          "evtctl-demo",
          List.of("EVTCTL_CONSOLE_TOKEN"),
          "evtctl-local-stop",
          List.of("EVTCTL_LOCAL_PORT", "EVTCTL_HOME"),
          "evtctl-local-status",
          List.of("EVTCTL_LOCAL_PORT", "EVTCTL_HOME"));

  private static final String NONE = "none";

  private static final String HOME = "$EVTCTL_HOME";

  /** Files read or written in code, beyond the options that take one. */
  private static final Map<String, List<String>> EXTRA_FILES = new LinkedHashMap<>();

  static {
    List<String> state =
        List.of(
            HOME
                + "/local-PORT.json: the local stack running on PORT (pid, endpoint, data"
                + " directory), which --local reads to find it");
    EXTRA_FILES.put(
        "evtctl-local-start",
        List.of(
            state.get(0) + "; written at start, removed at stop",
            HOME + "/local-PORT.log: the log of a stack started with --detach",
            HOME
                + "/lib/: the copy of the jar a detached stack runs from, so a rebuild does not stop it"));
    EXTRA_FILES.put(
        "evtctl-local-stop", List.of(state.get(0) + "; removed", HOME + "/local-PORT.log: kept"));
    EXTRA_FILES.put("evtctl-local-status", state);
    EXTRA_FILES.put("evtctl-local", EXTRA_FILES.get("evtctl-local-start"));
    String localLines =
        HOME
            + "/logs/local-PORT.ndjson: the log lines of drains, seeds, imports and replays against"
            + " the local stack on PORT (--local) that name neither --log-file nor --log-group;"
            + " private to the user";
    for (String command : List.of("drain", "seed", "import", "replay")) {
      EXTRA_FILES.put("evtctl-" + command, List.of(localLines + ", appended to"));
    }
    EXTRA_FILES.put("evtctl-logs", List.of(localLines + ", read with --local"));
    EXTRA_FILES.put(
        "evtctl-dlq-redrive",
        List.of(HOME + "/redrive/DLQ-TIME.ndjson: the audit trail when --audit-file is not given"));
    EXTRA_FILES.put(
        "evtctl-trace",
        List.of(
            HOME
                + "/redrive/*.ndjson: the redrive audit trails read when --audit-file is not"
                + " given",
            localLines + ", read with --local"));
    EXTRA_FILES.put(
        "evtctl-demo",
        List.of(
            "a temporary directory: the demo's staged file, deleted when it ends",
            localLines + ", appended to (the demo's drains and seeds, on the local stack's port)",
            HOME + "/redrive/DLQ-TIME.ndjson: the demo redrive's audit trail"));
    EXTRA_FILES.put(
        "evtctl-schemas",
        List.of(NONE + ": the schemas are inside the jar (schemas/ in the repository)"));
    EXTRA_FILES.put("evtctl-schemas-list", EXTRA_FILES.get("evtctl-schemas"));
    EXTRA_FILES.put("evtctl-schemas-show", EXTRA_FILES.get("evtctl-schemas"));
    EXTRA_FILES.put("evtctl-completion", List.of(NONE + ": the script goes to standard output"));
    EXTRA_FILES.put("evtctl-help", List.of(NONE + ": it prints a command's usage help"));
  }

  private static final List<String> AWS_FILES =
      List.of(
          "~/.aws/config and ~/.aws/credentials (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE):"
              + " profiles, region, credentials, endpoint_url",
          HOME + "/local-PORT.json: read by --local to find the running local stack");

  private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:([A-Z][A-Z0-9_]*)");
  private static final Pattern NAMED =
      Pattern.compile("\\b(AWS_[A-Z0-9_]+|EVTCTL_[A-Z0-9_]+|NO_COLOR|COLUMNS)\\b");
  private static final Set<String> FILE_LABELS =
      Set.of("FILE", "F", "F.ndjson", "DIR", "EXPECTATIONS.json", "FILE|-");

  private ManPageSections() {}

  /**
   * The two sections in the man page's AsciiDoc. {@code raw} is the same command in a model without
   * variable interpolation, where defaults still read {@code ${env:NAME:-default}}.
   */
  static String render(String page, CommandSpec spec, CommandSpec raw) {
    StringBuilder out = new StringBuilder();
    out.append("// tag::evtctl-man-section-environment[]\n== Environment\n");
    Map<String, String> variables = environment(page, spec, raw);
    for (Map.Entry<String, String> variable : variables.entrySet()) {
      out.append("\n*").append(variable.getKey()).append("*::\n  ");
      out.append(variable.getValue()).append('\n');
    }
    if (variables.isEmpty()) {
      out.append("\nNone.\n");
    }
    out.append("\n// end::evtctl-man-section-environment[]\n\n");
    out.append("// tag::evtctl-man-section-files[]\n== Files\n");
    for (Map.Entry<String, String> file : files(page, spec).entrySet()) {
      if (file.getKey().equals(NONE)) {
        out.append("\nNone: ").append(file.getValue()).append(".\n");
      } else {
        out.append("\n").append(file.getKey()).append("::\n  ").append(file.getValue());
        out.append('\n');
      }
    }
    out.append("\n// end::evtctl-man-section-files[]\n\n");
    return out.toString();
  }

  static Map<String, String> environment(String page, CommandSpec spec, CommandSpec raw) {
    boolean offline = OFFLINE.contains(page);
    Map<String, String> found = new LinkedHashMap<>();
    for (ArgSpec arg : raw.args()) {
      if (arg.hidden()) {
        continue;
      }
      String option = arg instanceof OptionSpec o ? o.longestName() : arg.paramLabel();
      List<String> names = new ArrayList<>();
      if (arg.defaultValue() != null) {
        Matcher env = ENV_DEFAULT.matcher(arg.defaultValue());
        while (env.find()) {
          names.add(env.group(1));
        }
      }
      Matcher named = NAMED.matcher(String.join(" ", arg.description()));
      while (named.find()) {
        names.add(named.group(1));
      }
      for (String name : names) {
        if (!(offline && name.startsWith("AWS_")) && !found.containsKey(name)) {
          String meaning = meaning(name);
          found.put(name, meaning.contains(option) ? meaning : meaning + " (" + option + ")");
        }
      }
    }
    List<String> more = new ArrayList<>();
    if (!offline) {
      more.addAll(AWS_VARIABLES);
    }
    more.addAll(EXTRA_VARIABLES.getOrDefault(page, List.of()));
    more.addAll(List.of("NO_COLOR", "COLUMNS"));
    for (String name : more) {
      found.putIfAbsent(name, meaning(name));
    }
    return new java.util.TreeMap<>(found);
  }

  private static String meaning(String name) {
    String meaning = MEANING.get(name);
    if (meaning == null) {
      throw new IllegalStateException("ManPageSections.MEANING has no line for " + name);
    }
    return meaning;
  }

  static Map<String, String> files(String page, CommandSpec spec) {
    Map<String, String> files = new LinkedHashMap<>();
    for (ArgSpec arg : spec.args()) {
      if (arg.hidden() || !FILE_LABELS.contains(arg.paramLabel())) {
        continue;
      }
      String name =
          arg instanceof OptionSpec option
              ? "*" + option.longestName() + "* _" + arg.paramLabel() + "_"
              : "_" + arg.paramLabel() + "_";
      files.put(name, firstSentence(String.join(" ", arg.description())));
    }
    List<String> more = new ArrayList<>(EXTRA_FILES.getOrDefault(page, List.of()));
    if (!OFFLINE.contains(page)) {
      more.addAll(AWS_FILES);
    }
    for (String file : more) {
      int colon = file.indexOf(": ");
      files.put(file.substring(0, colon), file.substring(colon + 2));
    }
    return files;
  }

  private static String firstSentence(String text) {
    String flat = String.format(text.replace("%n", " ")).strip();
    int end = flat.indexOf(". ");
    return end < 0 ? flat : flat.substring(0, end + 1);
  }
}
