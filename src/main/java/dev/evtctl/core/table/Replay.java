package dev.evtctl.core.table;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.queue.MessageFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** The body a stored event was received with, to send it through the pipeline again. */
public final class Replay {

  /**
   * The messages that send stored events through the pipeline again.
   *
   * @param entries one per event whose body is known, in the order stored
   * @param skipped INVALID records whose body was cut to fit DynamoDB
   */
  public record Messages(List<SendMessageBatchRequestEntry> entries, int skipped) {}

  private final Pipeline pipeline;
  private final ReadLayout read;

  public Replay(Pipeline pipeline) {
    this.pipeline = pipeline;
    this.read = ReadLayout.of(pipeline);
  }

  /**
   * The event as received: the attribute holding the body ({@code event}, {@code message}, or an
   * INVALID record's {@code body}); for a pipeline that stores an event's parts rather than its
   * body (ledger), the body its {@code read.replay} fields put together again. Empty for an INVALID
   * record whose body was cut to fit DynamoDB's item size.
   */
  public Optional<String> bodyOf(Map<String, AttributeValue> item) {
    if (item.containsKey("bodyTruncated")) {
      return Optional.empty();
    }
    for (String attribute :
        new String[] {pipeline.bodyAttribute(), pipeline.invalidBodyAttribute()}) {
      if (attribute != null && item.get(attribute) != null && item.get(attribute).s() != null) {
        return Optional.of(item.get(attribute).s());
      }
    }
    return read.rebuiltBody((ObjectNode) DynamoJson.toPlainJson(AttributeValue.fromM(item)));
  }

  /**
   * The stored events as messages for SendMessageBatch. A FIFO queue gets each event's own message
   * group (the pipeline's) or else {@code defaultGroup}, and a fresh deduplication id, so that
   * SQS's 5-minute deduplication window cannot drop a replay; a standard queue with fair queues
   * gets the event's message group.
   */
  public Messages messages(
      List<Map<String, AttributeValue>> items, boolean fifoQueue, String defaultGroup) {
    List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
    int skipped = 0;
    for (Map<String, AttributeValue> item : items) {
      Optional<String> body = bodyOf(item);
      if (body.isEmpty()) {
        skipped++;
        continue;
      }
      SendMessageBatchRequestEntry.Builder entry =
          SendMessageBatchRequestEntry.builder().messageBody(body.get());
      if (fifoQueue) {
        entry
            .messageGroupId(pipeline.groupOf(MessageFilter.body(body.get())).orElse(defaultGroup))
            .messageDeduplicationId(UUID.randomUUID().toString());
      } else if (pipeline.fairQueues()) {
        pipeline.groupOf(MessageFilter.body(body.get())).ifPresent(entry::messageGroupId);
      }
      entries.add(entry.build());
    }
    return new Messages(entries, skipped);
  }
}
