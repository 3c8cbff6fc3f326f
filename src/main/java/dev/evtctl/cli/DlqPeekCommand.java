package dev.evtctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.queue.DeadLetterQueues;
import dev.evtctl.core.queue.HeldMessages;
import dev.evtctl.core.table.InvalidRecords;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sqs.model.Message;

/** Messages of a queue, shown without being consumed. */
@Command(
    name = "peek",
    footerHeading = "%nExamples:%n",
    footer = {
      "  Look at up to 4 messages without consuming them:",
      "    evtctl --local dlq peek --queue audit-dlq --max 4",
      "",
      "  Each message whole, body as JSON:",
      "    evtctl --local dlq peek --queue audit-dlq -o json"
    },
    mixinStandardHelpOptions = true,
    description = {
      "Show messages of a queue without consuming them: each is received, held invisible while the others are read, and given back at once (its receive count goes up by one). Shows its age, the receives before this peek, its event and why it failed: the evtctl-invalid-reason attribute (invalid policy dlq) or the INVALID record the events table holds for its messageId. -o json prints each message whole (body as JSON, every attribute): the document dlq redrive --filter pointers look into. A FIFO queue shows at most the first ten or so messages of each group (SQS hides the rest while in flight)."
    })
final class DlqPeekCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin QueueOption queueOption;

  @Mixin PipelineOptions pipelineOptions;

  @Mixin TableOptions tableOptions;

  @Option(
      names = "--max",
      paramLabel = "N",
      defaultValue = "10",
      description = "Show at most N messages (default: ${DEFAULT-VALUE}).")
  int max;

  @Override
  public Integer call() {
    if (max < 1) {
      throw new CommandFailedException(ExitCode.USAGE, "--max must be 1 or more");
    }
    var aws = Evtctl.awsOptions(spec).clients();
    String queueUrl = QueueLookup.url(aws.sqs(), queueOption.queue);
    Pipeline pipeline = pipelineOptions.pipeline();
    InvalidRecords records =
        new InvalidRecords(
            aws.dynamoDb(), pipeline, tableOptions.resolve(queueOption.queue, pipeline).events());
    List<Message> messages = new ArrayList<>();
    try (HeldMessages held = new HeldMessages(aws.sqs(), queueUrl)) {
      while (messages.size() < max) {
        List<Message> batch = held.receive(max - messages.size());
        if (batch.isEmpty()) {
          break;
        }
        messages.addAll(batch);
      }
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    List<JsonNode> documents = new ArrayList<>();
    boolean tableKnown = true;
    Instant now = Instant.now();
    for (Message message : messages) {
      String reason = DeadLetterRows.invalidReason(message);
      if (reason == null && tableKnown) {
        try {
          reason = recordedReason(records, message).orElse(null);
        } catch (ResourceNotFoundException e) {
          tableKnown = false;
        }
      }
      rows.add(DeadLetterRows.row(message, pipeline, reason, now));
      documents.add(DeadLetterRows.document(message, reason));
    }
    Evtctl.output(spec).records(DeadLetterRows.COLUMNS, rows, documents);
    return ExitCode.OK;
  }

  private static Optional<String> recordedReason(InvalidRecords records, Message message) {
    return records.reasonFor(
        message.messageId(),
        Arrays.asList(
            DeadLetterQueues.sentAt(message),
            DeadLetterQueues.firstReceivedAt(message),
            Instant.now()));
  }
}
