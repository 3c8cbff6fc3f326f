package dev.evtctl.core.stack;

import dev.evtctl.core.pipeline.DedupeRule;
import dev.evtctl.core.pipeline.Pipeline;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The resources of one pipeline: queue, dead-letter queue (redrive policy; FIFO queues with
 * content-based deduplication), events table (GSIs, TTL, a NEW_IMAGE stream) and idempotency table.
 * Creating is idempotent: what exists is kept, its redrive policy brought to what was asked.
 */
public final class Stack {

  /**
   * One resource and what is known of it; the figures null where they do not apply.
   *
   * @param kind queue, dead-letter queue or table
   * @param url a queue's URL
   * @param arn the queue's or table's ARN
   * @param status a table's status (ACTIVE, CREATING)
   * @param messages a queue's visible messages (approximate, as SQS counts)
   * @param inFlight a queue's messages in flight
   * @param items a table's items (approximate, as DynamoDB counts)
   */
  public record Resource(
      String kind,
      String name,
      boolean exists,
      String url,
      String arn,
      String status,
      Long messages,
      Long inFlight,
      Long items) {

    static Resource missing(String kind, String name) {
      return new Resource(kind, name, false, null, null, null, null, null, null);
    }

    /** What a person reads: "~5 messages, 0 in flight", "ACTIVE, ~12 items", "missing". */
    public String detail() {
      if (!exists) {
        return "missing";
      }
      return messages != null
          ? "~" + messages + " messages, " + inFlight + " in flight"
          : status + ", ~" + items + " items";
    }
  }

  // SQS: the longest retention, 14 days, so failed messages wait for an operator.
  private static final String DLQ_RETENTION_SECONDS = Integer.toString(14 * 24 * 3600);

  private final SqsClient sqs;
  private final DynamoDbClient dynamoDb;

  public Stack(SqsClient sqs, DynamoDbClient dynamoDb) {
    this.sqs = sqs;
    this.dynamoDb = dynamoDb;
  }

  public List<Resource> create(
      Pipeline pipeline, StackNames names, int maxReceiveCount, int visibilityTimeoutSeconds) {
    Map<QueueAttributeName, String> dlqAttributes = new HashMap<>();
    dlqAttributes.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, DLQ_RETENTION_SECONDS);
    if (names.fifo()) {
      dlqAttributes.put(QueueAttributeName.FIFO_QUEUE, "true");
      dlqAttributes.put(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true");
    }
    String dlqUrl =
        sqs.createQueue(r -> r.queueName(names.deadLetterQueue()).attributes(dlqAttributes))
            .queueUrl();
    String dlqArn =
        sqs.getQueueAttributes(r -> r.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
    Map<QueueAttributeName, String> attributes = new HashMap<>();
    attributes.put(
        QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilityTimeoutSeconds));
    attributes.put(
        QueueAttributeName.REDRIVE_POLICY,
        "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":" + maxReceiveCount + "}");
    if (names.fifo()) {
      // As the originals' FIFO queues: a producer that sends no MessageDeduplicationId gets the
      // body's SHA-256 as one (evtctl's own senders always give one).
      attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
      attributes.put(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true");
    }
    Map<QueueAttributeName, String> creation = new HashMap<>(attributes);
    String queueUrl;
    try {
      queueUrl = sqs.getQueueUrl(r -> r.queueName(names.queue())).queueUrl();
      creation.remove(QueueAttributeName.FIFO_QUEUE);
      sqs.setQueueAttributes(r -> r.queueUrl(queueUrl).attributes(creation));
    } catch (QueueDoesNotExistException e) {
      sqs.createQueue(r -> r.queueName(names.queue()).attributes(creation));
    }
    TableLayout layout = new TableLayout(pipeline);
    layout.createEventsTable(dynamoDb, names.eventsTable());
    if (pipeline.dedupeRule() == DedupeRule.IDEMPOTENCY_TABLE) {
      layout.createIdempotencyTable(dynamoDb, names.idempotencyTable());
    }
    return status(pipeline, names);
  }

  public List<Resource> delete(Pipeline pipeline, StackNames names) {
    List<Resource> before = status(pipeline, names);
    for (String queue : List.of(names.queue(), names.deadLetterQueue())) {
      try {
        String url = sqs.getQueueUrl(r -> r.queueName(queue)).queueUrl();
        sqs.deleteQueue(r -> r.queueUrl(url));
      } catch (QueueDoesNotExistException e) {
        // already gone
      }
    }
    for (String table : tables(pipeline, names)) {
      try {
        dynamoDb.deleteTable(r -> r.tableName(table));
      } catch (ResourceNotFoundException e) {
        // already gone
      }
    }
    return before;
  }

  public List<Resource> status(Pipeline pipeline, StackNames names) {
    List<Resource> resources = new ArrayList<>();
    resources.add(queue("queue", names.queue()));
    resources.add(queue("dead-letter queue", names.deadLetterQueue()));
    for (String table : tables(pipeline, names)) {
      try {
        TableDescription description = dynamoDb.describeTable(r -> r.tableName(table)).table();
        resources.add(
            new Resource(
                "table",
                table,
                true,
                null,
                description.tableArn(),
                description.tableStatusAsString(),
                null,
                null,
                description.itemCount()));
      } catch (ResourceNotFoundException e) {
        resources.add(Resource.missing("table", table));
      }
    }
    return resources;
  }

  private Resource queue(String kind, String name) {
    try {
      String url = sqs.getQueueUrl(r -> r.queueName(name)).queueUrl();
      Map<QueueAttributeName, String> attributes =
          sqs.getQueueAttributes(
                  r ->
                      r.queueUrl(url)
                          .attributeNames(
                              QueueAttributeName.QUEUE_ARN,
                              QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                              QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
              .attributes();
      return new Resource(
          kind,
          name,
          true,
          url,
          attributes.get(QueueAttributeName.QUEUE_ARN),
          null,
          Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
          Long.parseLong(
              attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)),
          null);
    } catch (QueueDoesNotExistException e) {
      return Resource.missing(kind, name);
    }
  }

  private static List<String> tables(Pipeline pipeline, StackNames names) {
    return pipeline.dedupeRule() == DedupeRule.IDEMPOTENCY_TABLE
        ? List.of(names.eventsTable(), names.idempotencyTable())
        : List.of(names.eventsTable());
  }
}
