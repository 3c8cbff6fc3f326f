package dev.evtctl.cli;

import dev.evtctl.aws.AwsClients;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.stack.Stack;
import dev.evtctl.core.stack.StackNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The queue, dead-letter queue and tables of one pipeline. */
@Command(
    name = "stack",
    footerHeading = "%nExamples:%n",
    footer = {
      "  Make a TxMA stack on the local stack, then check it:",
      "    evtctl --local stack create --pipeline txma --name audit",
      "    evtctl --local stack status --pipeline txma --name audit"
    },
    mixinStandardHelpOptions = true,
    description = "Create, delete or show the queue, DLQ and tables of a pipeline.",
    subcommands = {StackCommand.Create.class, StackCommand.Delete.class, StackCommand.Status.class})
final class StackCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** What every stack subcommand takes. */
  static final class StackOptions {
    @Mixin PipelineOptions pipeline;

    @Option(
        names = {"-n", "--name"},
        required = true,
        paramLabel = "N",
        description = "Stack name: queue N, DLQ N-dlq, tables N-events (N-idempotency).")
    String name;

    @Option(names = "--fifo", description = "FIFO queues (N.fifo, N-dlq.fifo).")
    boolean fifo;

    StackNames names() {
      return new StackNames(name, fifo);
    }
  }

  /**
   * The resources: in a table with a line of detail each; in json and ndjson with their URL, ARN
   * and counts as fields, for a script.
   */
  static int print(CommandSpec spec, List<Stack.Resource> resources) {
    List<Map<String, Object>> rows = new java.util.ArrayList<>();
    List<com.fasterxml.jackson.databind.JsonNode> documents = new java.util.ArrayList<>();
    for (Stack.Resource resource : resources) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("kind", resource.kind());
      row.put("name", resource.name());
      row.put("state", resource.exists() ? "ready" : "missing");
      row.put("detail", resource.detail());
      rows.add(row);
      var document = dev.evtctl.core.pipeline.Json.MAPPER.createObjectNode();
      document.put("kind", resource.kind());
      document.put("name", resource.name());
      document.put("exists", resource.exists());
      document.put("url", resource.url());
      document.put("arn", resource.arn());
      document.put("status", resource.status());
      document.put("messages", resource.messages());
      document.put("in_flight", resource.inFlight());
      document.put("items", resource.items());
      documents.add(document);
    }
    Evtctl.output(spec).records(List.of("kind", "name", "state", "detail"), rows, documents);
    return resources.stream().allMatch(Stack.Resource::exists) ? ExitCode.OK : ExitCode.BACKEND;
  }

  private static Stack stack(CommandSpec spec) {
    AwsClients aws = Evtctl.awsOptions(spec).clients();
    return new Stack(aws.sqs(), aws.dynamoDb());
  }

  @Command(
      name = "create",
      footerHeading = "%nExamples:%n",
      footer = {
        "  Queue audit, DLQ audit-dlq, table audit-events:",
        "    evtctl --local stack create --pipeline txma --name audit",
        "",
        "  A FIFO ledger stack (ledger.fifo, ledger-events, ledger-idempotency):",
        "    evtctl --local stack create --pipeline ledger --name ledger --fifo --max-receive-count 5"
      },
      mixinStandardHelpOptions = true,
      description = "Create the stack (idempotent: what exists is kept).")
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StackOptions options;

    @Option(
        names = "--max-receive-count",
        paramLabel = "N",
        defaultValue = "3",
        description =
            "Receives before a message moves to the DLQ, 1-1000 (default: ${DEFAULT-VALUE}).")
    int maxReceiveCount;

    @Option(
        names = "--visibility-timeout",
        paramLabel = "S",
        defaultValue = "30",
        description = "Queue visibility timeout in seconds, 0-43200 (default: ${DEFAULT-VALUE}).")
    int visibilityTimeout;

    @Override
    public Integer call() {
      // SQS's limits for a redrive policy and a visibility timeout (SetQueueAttributes).
      OptionBounds.check("--max-receive-count", maxReceiveCount, 1, 1000);
      OptionBounds.check("--visibility-timeout", visibilityTimeout, 0, 43200);
      Pipeline pipeline = options.pipeline.pipeline();
      return print(
          spec, stack(spec).create(pipeline, options.names(), maxReceiveCount, visibilityTimeout));
    }
  }

  @Command(
      name = "delete",
      footerHeading = "%nExamples:%n",
      footer = {
        "  Delete the audit stack without asking:",
        "    evtctl --local stack delete --pipeline txma --name audit --yes"
      },
      mixinStandardHelpOptions = true,
      description =
          "Delete the stack's queues and tables, with their messages and items. Asks on a"
              + " terminal; elsewhere needs --yes.")
  static final class Delete implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StackOptions options;

    @Option(names = "--yes", description = "Yes, delete the queues and tables and what they hold.")
    boolean yes;

    @Override
    public Integer call() {
      Stack stack = stack(spec);
      Pipeline pipeline = options.pipeline.pipeline();
      String what =
          stack.status(pipeline, options.names()).stream()
              .filter(Stack.Resource::exists)
              .map(resource -> resource.name() + " (" + resource.detail() + ")")
              .collect(java.util.stream.Collectors.joining(", "));
      if (what.isEmpty()) {
        spec.commandLine()
            .getErr()
            .printf("stack %s has nothing to delete%n", options.names().name());
        return ExitCode.OK;
      }
      if (!yes
          && !Confirmation.confirmed(
              "Delete " + what + "?",
              "stack delete would delete " + what + ": give --yes",
              "nothing deleted",
              spec.commandLine().getErr())) {
        return ExitCode.OK;
      }
      stack.delete(pipeline, options.names());
      spec.commandLine().getErr().printf("deleted stack %s%n", options.names().name());
      return ExitCode.OK;
    }
  }

  @Command(
      name = "status",
      footerHeading = "%nExamples:%n",
      footer = {
        "  What exists of the audit stack (exit 4 if anything is missing):",
        "    evtctl --local stack status --pipeline txma --name audit"
      },
      mixinStandardHelpOptions = true,
      description = "Show each resource of the stack; exit 4 if any is missing.")
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StackOptions options;

    @Override
    public Integer call() {
      return print(spec, stack(spec).status(options.pipeline.pipeline(), options.names()));
    }
  }
}
