package dev.evtctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.processing.MessageProcessor;
import dev.evtctl.core.queue.DeadLetterQueues;
import dev.evtctl.core.queue.HeldMessages;
import dev.evtctl.core.queue.MessageFilter;
import dev.evtctl.core.table.InvalidRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
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
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

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

  /** The table fits 80 columns: the body is summed up by its event; -o json shows it whole. */
  static final List<String> COLUMNS = List.of("message_id", "age", "receives", "event", "reason");

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
      String reason = attribute(message, MessageProcessor.INVALID_REASON_ATTRIBUTE);
      if (reason == null && tableKnown) {
        try {
          reason = recordedReason(records, message).orElse(null);
        } catch (ResourceNotFoundException e) {
          tableKnown = false;
        }
      }
      Map<String, Object> row = row(message, pipeline, reason, now);
      rows.add(row);
      ObjectNode document = JsonNodeFactory.instance.objectNode();
      document.put("message_id", message.messageId());
      document.setAll(MessageFilter.document(message));
      document.put("sent", String.valueOf(DeadLetterQueues.sentAt(message)));
      document.put("first_received", String.valueOf(DeadLetterQueues.firstReceivedAt(message)));
      document.put("receives_before", receivesBefore(message));
      document.put("reason", reason);
      documents.add(document);
    }
    Evtctl.output(spec).records(COLUMNS, rows, documents);
    return ExitCode.OK;
  }

  /** A message as a table row: its id, age, receives before now, event and reason. */
  static Map<String, Object> row(Message message, Pipeline pipeline, String reason, Instant now) {
    Instant sent = DeadLetterQueues.sentAt(message);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("message_id", message.messageId());
    row.put("age", sent == null ? null : Duration.between(sent, now));
    row.put("receives", receivesBefore(message));
    row.put("event", pipeline.describe(message.body()));
    row.put(
        "reason",
        reason != null ? reason : attribute(message, MessageProcessor.INVALID_REASON_ATTRIBUTE));
    return row;
  }

  private static Optional<String> recordedReason(InvalidRecords records, Message message) {
    return records.reasonFor(
        message.messageId(),
        Arrays.asList(
            DeadLetterQueues.sentAt(message),
            DeadLetterQueues.firstReceivedAt(message),
            Instant.now()));
  }

  /** The receive count SQS reports, less this peek's own receive. */
  private static int receivesBefore(Message message) {
    String count = message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
    return count == null ? 0 : Math.max(Integer.parseInt(count) - 1, 0);
  }

  private static String attribute(Message message, String name) {
    MessageAttributeValue value = message.messageAttributes().get(name);
    return value == null ? null : value.stringValue();
  }
}
