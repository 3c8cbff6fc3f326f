package dev.evtctl.core.stack;

import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.pipeline.PipelineDefinition;
import dev.evtctl.core.processing.EventStore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.SSESpecification;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * The tables a pipeline writes to, as its definition describes them: the events table (key, GSIs,
 * TTL, a NEW_IMAGE stream) and, for the idempotency-table rule, the idempotency table. Creating
 * them is idempotent: a table that already exists is left as it is.
 */
public final class TableLayout {

  private final Pipeline pipeline;

  public TableLayout(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  /** Creates the events table (and waits for it) unless it exists; true when created. */
  public boolean createEventsTable(DynamoDbClient dynamoDb, String tableName) {
    Set<String> stringAttributes = new LinkedHashSet<>();
    stringAttributes.add(pipeline.partitionKey());
    List<KeySchemaElement> key = new ArrayList<>();
    key.add(element(pipeline.partitionKey(), KeyType.HASH));
    if (pipeline.sortKey() != null) {
      stringAttributes.add(pipeline.sortKey());
      key.add(element(pipeline.sortKey(), KeyType.RANGE));
    }
    List<GlobalSecondaryIndex> indexes = new ArrayList<>();
    for (PipelineDefinition.Index index : pipeline.indexes()) {
      List<KeySchemaElement> indexKey = new ArrayList<>();
      stringAttributes.add(index.partitionKey());
      indexKey.add(element(index.partitionKey(), KeyType.HASH));
      if (index.sortKey() != null) {
        stringAttributes.add(index.sortKey());
        indexKey.add(element(index.sortKey(), KeyType.RANGE));
      }
      indexes.add(
          GlobalSecondaryIndex.builder()
              .indexName(index.name())
              .keySchema(indexKey)
              .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
              .build());
    }
    CreateTableRequest.Builder request =
        CreateTableRequest.builder()
            .tableName(tableName)
            .keySchema(key)
            .attributeDefinitions(
                stringAttributes.stream().map(TableLayout::stringAttribute).toList())
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .sseSpecification(SSESpecification.builder().enabled(true).build())
            // A stream of new images, as the originals' tables have: a downstream sender (seed
            // 003's) or a CDC consumer reads what landed.
            .streamSpecification(
                StreamSpecification.builder()
                    .streamEnabled(true)
                    .streamViewType(StreamViewType.NEW_IMAGE)
                    .build());
    if (!indexes.isEmpty()) {
      request.globalSecondaryIndexes(indexes);
    }
    return create(dynamoDb, request.build(), pipeline.ttlAttribute());
  }

  /** Creates the idempotency table (pk, TTL on ttl) unless it exists; true when created. */
  public boolean createIdempotencyTable(DynamoDbClient dynamoDb, String tableName) {
    CreateTableRequest request =
        CreateTableRequest.builder()
            .tableName(tableName)
            .keySchema(element(EventStore.IDEMPOTENCY_KEY, KeyType.HASH))
            .attributeDefinitions(stringAttribute(EventStore.IDEMPOTENCY_KEY))
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .sseSpecification(SSESpecification.builder().enabled(true).build())
            .build();
    return create(dynamoDb, request, EventStore.IDEMPOTENCY_TTL);
  }

  private static boolean create(
      DynamoDbClient dynamoDb, CreateTableRequest request, String ttlAttribute) {
    try {
      dynamoDb.createTable(request);
    } catch (ResourceInUseException e) {
      return false;
    }
    dynamoDb.waiter().waitUntilTableExists(r -> r.tableName(request.tableName()));
    if (ttlAttribute != null) {
      dynamoDb.updateTimeToLive(
          r ->
              r.tableName(request.tableName())
                  .timeToLiveSpecification(t -> t.enabled(true).attributeName(ttlAttribute)));
    }
    return true;
  }

  private static KeySchemaElement element(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }

  private static AttributeDefinition stringAttribute(String name) {
    return AttributeDefinition.builder()
        .attributeName(name)
        .attributeType(ScalarAttributeType.S)
        .build();
  }
}
