package dev.evtctl.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The body a stored event was received with, to send it through the pipeline again. */
public final class Replay {

  private Replay() {}

  /**
   * The event as received: the attribute holding the body ({@code event}, {@code message}, or an
   * INVALID record's {@code body}); for a ledger event, which stores its parts rather than its
   * body, the envelope put together again from them. Empty for an INVALID record whose body was cut
   * to fit DynamoDB's item size.
   */
  public static Optional<String> bodyOf(Pipeline pipeline, Map<String, AttributeValue> item) {
    if (item.containsKey("bodyTruncated")) {
      return Optional.empty();
    }
    for (String attribute :
        new String[] {pipeline.bodyAttribute(), pipeline.invalidBodyAttribute()}) {
      if (attribute != null && item.get(attribute) != null && item.get(attribute).s() != null) {
        return Optional.of(item.get(attribute).s());
      }
    }
    if (pipeline.name().equals("ledger") && item.containsKey("payload")) {
      String sk = item.get("sk").s();
      ObjectNode event = Json.MAPPER.createObjectNode();
      event.put("tenant_id", item.get("tenant_id").s());
      event.put("event_id", sk.substring(sk.indexOf('#') + 1));
      event.put("event_type", item.get("event_type").s());
      event.put("created_at", sk.substring(0, sk.indexOf('#')));
      JsonNode payload = DynamoJson.toPlainJson(item.get("payload"));
      event.set("payload", payload);
      return Optional.of(event.toString());
    }
    return Optional.empty();
  }
}
