package dev.evtctl.testing;

import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.stack.TableLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** Fresh tables for one test, named uniquely, and a way to read back everything written. */
public record PipelineTables(String pipeline, String events, String idempotency) {

  public static PipelineTables create(DynamoDbClient dynamoDb, String pipelineName) {
    Pipeline pipeline = Pipelines.builtIn(pipelineName);
    String name = pipelineName + "-" + UUID.randomUUID().toString().substring(0, 8);
    TableLayout layout = new TableLayout(pipeline);
    layout.createEventsTable(dynamoDb, name + "-events");
    layout.createIdempotencyTable(dynamoDb, name + "-idempotency");
    return new PipelineTables(pipelineName, name + "-events", name + "-idempotency");
  }

  public Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put("PIPELINE", pipeline);
    env.put("EVENTS_TABLE_NAME", events);
    env.put("IDEMPOTENCY_TABLE_NAME", idempotency);
    return env;
  }

  /** Every item of a table, sorted by its key attributes' text. */
  public static List<Map<String, AttributeValue>> scan(
      DynamoDbClient dynamoDb, String table, String... keyAttributes) {
    List<Map<String, AttributeValue>> items =
        new ArrayList<>(
            dynamoDb
                .scanPaginator(ScanRequest.builder().tableName(table).consistentRead(true).build())
                .items()
                .stream()
                .toList());
    Comparator<Map<String, AttributeValue>> order = Comparator.comparing(item -> "");
    for (String attribute : keyAttributes) {
      order =
          order.thenComparing(item -> item.get(attribute) == null ? "" : item.get(attribute).s());
    }
    items.sort(order);
    return items;
  }
}
