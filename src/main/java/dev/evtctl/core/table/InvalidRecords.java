package dev.evtctl.core.table;

import dev.evtctl.core.pipeline.Pipeline;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The INVALID records a pipeline wrote for queue messages, looked up by messageId. */
public final class InvalidRecords {

  private final DynamoDbClient dynamoDb;
  private final Pipeline pipeline;
  private final String table;

  public InvalidRecords(DynamoDbClient dynamoDb, Pipeline pipeline, String table) {
    this.dynamoDb = dynamoDb;
    this.pipeline = pipeline;
    this.table = table;
  }

  /**
   * The reason recorded for the message under the pipeline's fallback key, on any of the days given
   * (a record's key carries the day it was written: try the days it was sent and first received);
   * empty when there is none.
   */
  public Optional<String> reasonFor(String messageId, Collection<Instant> days) {
    if (pipeline.reasonAttribute() == null) {
      return Optional.empty();
    }
    Set<Map<String, AttributeValue>> keys = new LinkedHashSet<>();
    days.stream()
        .filter(Objects::nonNull)
        .map(day -> pipeline.invalidRecordKey(messageId, day))
        .filter(Objects::nonNull)
        .forEach(keys::add);
    for (Map<String, AttributeValue> key : keys) {
      Map<String, AttributeValue> item =
          dynamoDb
              .getItem(
                  r ->
                      r.tableName(table)
                          .key(key)
                          .projectionExpression("#reason")
                          .expressionAttributeNames(Map.of("#reason", pipeline.reasonAttribute())))
              .item();
      if (item != null && item.get(pipeline.reasonAttribute()) != null) {
        return Optional.ofNullable(item.get(pipeline.reasonAttribute()).s());
      }
    }
    return Optional.empty();
  }
}
