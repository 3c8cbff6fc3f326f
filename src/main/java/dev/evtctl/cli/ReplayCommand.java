package dev.evtctl.cli;

import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.queue.BatchSender;
import dev.evtctl.core.queue.SendLog;
import dev.evtctl.core.stack.StackNames;
import dev.evtctl.core.table.EventQuery;
import dev.evtctl.core.table.Replay;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** Stored events sent through the pipeline again. */
@Command(
    name = "replay",
    footerHeading = "%nExamples:%n",
    footer = {
      "  Send a session's stored events through the copy stack's queue:",
      "    evtctl --local replay --session b0a1c2d3-session --table audit-events --to-queue copy"
    },
    mixinStandardHelpOptions = true,
    description = {
      "Send the events stored for a session (txma), tenant (ledger) or company (messages) back onto a queue, with the bodies they were received with, to go through the pipeline again (into a new table, or after a fix). Events already stored come back as DUPLICATE. Ledger events store their parts, not their body: the envelope is put together again. INVALID records whose body was cut to fit DynamoDB are skipped and counted."
    })
final class ReplayCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin PipelineOptions pipelineOptions;

  @Mixin TableOptions tableOptions;

  @ArgGroup(exclusive = true, multiplicity = "1")
  SubjectOptions which;

  @Option(
      names = "--to-queue",
      required = true,
      paramLabel = "Q",
      description = "Queue (name or URL) to send the events to.")
  String toQueue;

  @Mixin LogDestinationOptions logDestination;

  @Override
  public Integer call() {
    Pipeline pipeline = pipelineOptions.pipeline();
    logDestination.check(Evtctl.awsOptions(spec));
    var aws = Evtctl.awsOptions(spec).clients();
    SqsClient sqs = aws.sqs();
    String queueUrl = QueueLookup.url(sqs, toQueue);
    boolean fifo = StackNames.queueName(queueUrl).endsWith(".fifo");
    String table = tableOptions.resolve(toQueue, pipeline).events();
    List<Map<String, AttributeValue>> items =
        new EventQuery(aws.dynamoDb(), pipeline, table)
            .items(which.selector(null, null, null, null, 0));
    Replay.Messages messages = new Replay(pipeline).messages(items, fifo, which.id());
    List<SendMessageBatchRequestEntry> entries = messages.entries();
    int skipped = messages.skipped();
    BatchSender.Result result;
    try (LogDestinationOptions.Destination log = logDestination.open(spec, aws, "replay")) {
      result = new BatchSender(sqs).sendAll(queueUrl, entries);
      SendLog.sent(
          pipeline,
          "replay",
          queueUrl,
          entries.stream().map(SendMessageBatchRequestEntry::messageBody).toList(),
          result);
    }
    int sent = result.sent().size();
    List<String> failures = List.copyOf(result.failed().values());
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("stored", items.size());
    row.put("sent", sent);
    row.put("skipped", skipped);
    row.put("not_sent", failures.size());
    Evtctl.output(spec).summary(row);
    if (!failures.isEmpty()) {
      throw new CommandFailedException(
          ExitCode.BACKEND,
          failures.size() + " event(s) could not be sent; first: " + failures.get(0));
    }
    return skipped > 0 ? ExitCode.NOT_MET : ExitCode.OK;
  }
}
