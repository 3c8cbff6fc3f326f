package dev.evtctl.core.table;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evtctl.core.pipeline.Pipeline;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The body a stored event was received with, to send it through the pipeline again. */
public final class Replay {

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
}
