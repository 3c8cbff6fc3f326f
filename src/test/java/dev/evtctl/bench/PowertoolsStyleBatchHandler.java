package dev.evtctl.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * LambdaBenchmark's Java comparison: a handler written the way Powertools for AWS Lambda (Java)'s
 * batch module has one write it, doing the conditional puts evtctl's txma pipeline does. It is NOT
 * Powertools: {@code software.amazon.lambda:powertools-batch} is not served by the Maven mirror of
 * this build, so the module's behaviour is reproduced here instead: every record handled by a
 * function of its own, an exception marks that record alone as failed ({@code batchItemFailures}),
 * and the records are taken in turn or on a parallel stream (the common ForkJoinPool, as the
 * module's {@code processBatchInParallel} without an executor). No Powertools logging, tracing or
 * idempotency utility: only what a batch handler needs.
 *
 * <p>The item is the txma pipeline's ({@code src/main/resources/pipelines/txma.json}): pk {@code
 * SESSION#<user.session_id>}, sk {@code TXMA#EVENT_NAME#<event_name>#TIMESTAMP#<timestamp>}, the
 * raw body in {@code event}, {@code timeToLiveInSeconds} now plus 14 days (or {@code
 * TXMA_EVENT_TTL_DURATION_IN_SECONDS}); put if {@code attribute_not_exists(pk)}, a failed condition
 * taken as a redelivery. What evtctl does beside that (the JSON Schema check, SNS/EventBridge
 * envelopes, the content check and suffix on a taken key, the UNKNOWN session defaults, invalid
 * events recorded, a log line per batch) it does not do.
 *
 * <p>Environment: {@code EVENTS_TABLE_NAME}; {@code BATCH_MODE} {@code sequential} (default) or
 * {@code parallel}; region, credentials and endpoint ({@code AWS_ENDPOINT_URL_DYNAMODB}) from the
 * SDK's own chains.
 */
public final class PowertoolsStyleBatchHandler
    implements RequestHandler<SQSEvent, SQSBatchResponse> {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long DEFAULT_TTL_SECONDS = 1_209_600;

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final long ttlSeconds;
  private final boolean parallel;

  /** The constructor Lambda would call: configuration from the environment. */
  public PowertoolsStyleBatchHandler() {
    this(
        System.getenv(),
        DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.builder().build()).build());
  }

  public PowertoolsStyleBatchHandler(Map<String, String> environment, DynamoDbClient dynamoDb) {
    this.dynamoDb = dynamoDb;
    this.table = Objects.requireNonNull(environment.get("EVENTS_TABLE_NAME"), "EVENTS_TABLE_NAME");
    String ttl = environment.get("TXMA_EVENT_TTL_DURATION_IN_SECONDS");
    this.ttlSeconds = ttl == null ? DEFAULT_TTL_SECONDS : Long.parseLong(ttl);
    this.parallel = "parallel".equals(environment.get("BATCH_MODE"));
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSEvent.SQSMessage> records = event.getRecords() == null ? List.of() : event.getRecords();
    Stream<SQSEvent.SQSMessage> stream = parallel ? records.parallelStream() : records.stream();
    // Each task gives its own outcome, merged by the stream: no list shared between threads.
    List<SQSBatchResponse.BatchItemFailure> failures =
        stream.map(this::failureOf).filter(Objects::nonNull).toList();
    return new SQSBatchResponse(failures);
  }

  /** Null when the record is stored (or already was), else the failure that returns it. */
  private SQSBatchResponse.BatchItemFailure failureOf(SQSEvent.SQSMessage record) {
    try {
      store(record);
      return null;
    } catch (RuntimeException | java.io.IOException e) {
      return new SQSBatchResponse.BatchItemFailure(record.getMessageId());
    }
  }

  private void store(SQSEvent.SQSMessage record) throws java.io.IOException {
    JsonNode body = JSON.readTree(record.getBody());
    String session = text(body.path("user").path("session_id"), "user.session_id");
    String name = text(body.path("event_name"), "event_name");
    String timestamp = text(body.path("timestamp"), "timestamp");
    Map<String, AttributeValue> item =
        Map.of(
            "pk", AttributeValue.fromS("SESSION#" + session),
            "sk", AttributeValue.fromS("TXMA#EVENT_NAME#" + name + "#TIMESTAMP#" + timestamp),
            "event", AttributeValue.fromS(record.getBody()),
            "timeToLiveInSeconds",
                AttributeValue.fromN(Long.toString(Instant.now().getEpochSecond() + ttlSeconds)));
    try {
      dynamoDb.putItem(
          PutItemRequest.builder()
              .tableName(table)
              .item(item)
              .conditionExpression("attribute_not_exists(#pk)")
              .expressionAttributeNames(Map.of("#pk", "pk"))
              .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
              .build());
    } catch (ConditionalCheckFailedException e) {
      // already stored: a redelivery
    }
  }

  private static String text(JsonNode node, String field) {
    if (!node.isValueNode() || node.isNull() || node.asText().isEmpty()) {
      throw new IllegalArgumentException("no " + field);
    }
    return node.asText();
  }
}
