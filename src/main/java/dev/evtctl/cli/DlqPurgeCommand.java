package dev.evtctl.cli;

import dev.evtctl.core.queue.DeadLetterQueues;
import dev.evtctl.core.stack.StackNames;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Every message of a queue deleted, when --yes says so. */
@Command(
    name = "purge",
    footerHeading = "%nExamples:%n",
    footer = {
      "  Keep a copy, then empty the DLQ:",
      "    evtctl --local export --queue audit-dlq --file dlq.ndjson",
      "    evtctl --local dlq purge --queue audit-dlq --yes"
    },
    mixinStandardHelpOptions = true,
    description = {
      "Delete every message of a queue (SQS PurgeQueue: it takes up to 60 seconds, and a queue can be purged once a minute). Export it first to keep a copy: evtctl export --queue Q."
    })
final class DlqPurgeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin QueueOption queueOption;

  @Option(names = "--yes", description = "Yes, delete every message.")
  boolean yes;

  @Override
  public Integer call() {
    SqsClient sqs = Evtctl.awsOptions(spec).clients().sqs();
    String queueUrl = QueueLookup.url(sqs, queueOption.queue);
    DeadLetterQueues.Depth depth = new DeadLetterQueues(sqs).depth(queueUrl, false);
    String name = StackNames.queueName(queueUrl);
    if (!yes) {
      throw new CommandFailedException(
          ExitCode.USAGE,
          "purging deletes every message of "
              + name
              + " (about "
              + (depth.visible() + depth.inFlight())
              + " now): give --yes");
    }
    sqs.purgeQueue(r -> r.queueUrl(queueUrl));
    spec.commandLine()
        .getErr()
        .printf(
            "purged %s: about %d message(s) deleted%n", name, depth.visible() + depth.inFlight());
    return ExitCode.OK;
  }
}
