package dev.evtctl.core.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evtctl.core.pipeline.InvalidPolicy;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.pipeline.QueueMessage;
import dev.evtctl.core.stack.SeedGenerator;
import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.FaultInjector;
import dev.evtctl.testing.PipelineTables;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * The transaction write mode gives every message the outcome the item mode gives it and leaves the
 * same items, in fewer requests: on DynamoDB Local, with the requests counted by an SDK interceptor
 * on the real client.
 */
@ExtendWith(EmbeddedAws.class)
class WriteModeTest {

  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  /** What one mode did to the same messages. */
  private record Run(List<MessageResult> results, List<List<Map<String, AttributeValue>>> items) {}

  @ParameterizedTest
  @ValueSource(strings = {"txma", "ledger", "messages"})
  void bothModesGiveTheSameOutcomesAndItems(String pipeline, EmbeddedAws.Backends backends) {
    // GIVEN 60 messages: events, exact duplicates, invalid ones, and other content under a key
    // already used; the first 20 of them processed before
    List<QueueMessage> messages = messages(pipeline, 60);

    // WHEN each mode processes the other 40, in batches of ten, one message at a time in order
    Map<WriteMode, Run> runs = new EnumMap<>(WriteMode.class);
    for (WriteMode mode : WriteMode.values()) {
      runs.put(mode, run(backends.dynamoDb(), pipeline, mode, messages));
    }

    // THEN the outcomes and the tables are the same, and the batch went through every path
    Run item = runs.get(WriteMode.ITEM);
    Run transaction = runs.get(WriteMode.TRANSACTION);
    assertThat(transaction.results()).isEqualTo(item.results());
    assertThat(transaction.items()).isEqualTo(item.items());
    assertThat(item.results())
        .extracting(MessageResult::outcome)
        .contains(Outcome.PERSISTED, Outcome.DUPLICATE, Outcome.INVALID)
        .doesNotContain(Outcome.RETRY);
  }

  @Test
  void tenNewEventsTakeOneRequest(EmbeddedAws.Backends backends) {
    RequestCounter requests = new RequestCounter();
    DynamoDbClient dynamoDb = backends.dynamoDb(requests);
    PipelineTables tables = PipelineTables.create(dynamoDb, "txma");
    List<QueueMessage> messages = messages("txma", 10, 0, 0);

    List<MessageResult> results =
        processor(dynamoDb, tables, WriteMode.TRANSACTION, 8).process(messages).results();

    assertThat(results).extracting(MessageResult::outcome).containsOnly(Outcome.PERSISTED);
    assertThat(requests.counts())
        .containsExactlyInAnyOrderEntriesOf(Map.of("TransactWriteItems", 1));
    assertThat(PipelineTables.scan(dynamoDb, tables.events(), "pk", "sk")).hasSize(10);
  }

  @Test
  void aDuplicateCancelsTheRequestAndTheOthersAreSentTogetherAgain(EmbeddedAws.Backends backends) {
    // GIVEN the fourth of ten events already stored
    RequestCounter requests = new RequestCounter();
    DynamoDbClient dynamoDb = backends.dynamoDb(requests);
    PipelineTables tables = PipelineTables.create(dynamoDb, "txma");
    List<QueueMessage> messages = messages("txma", 10, 0, 0);
    processor(dynamoDb, tables, WriteMode.ITEM, 1).process(List.of(messages.get(3)));
    requests.clear();

    // WHEN the ten are processed together
    List<MessageResult> results =
        processor(dynamoDb, tables, WriteMode.TRANSACTION, 8).process(messages).results();

    // THEN the request is cancelled, the nine others go together again, the fourth on its own
    assertThat(results)
        .extracting(MessageResult::outcome)
        .containsExactly(
            Outcome.PERSISTED,
            Outcome.PERSISTED,
            Outcome.PERSISTED,
            Outcome.DUPLICATE,
            Outcome.PERSISTED,
            Outcome.PERSISTED,
            Outcome.PERSISTED,
            Outcome.PERSISTED,
            Outcome.PERSISTED,
            Outcome.PERSISTED);
    assertThat(requests.counts())
        .containsExactlyInAnyOrderEntriesOf(Map.of("TransactWriteItems", 2, "PutItem", 1));
    assertThat(PipelineTables.scan(dynamoDb, tables.events(), "pk", "sk")).hasSize(10);
  }

  @Test
  void aThrottledRequestFallsBackToOneWritePerEvent(EmbeddedAws.Backends backends) {
    // GIVEN DynamoDB throttling every TransactWriteItems request
    RequestCounter requests = new RequestCounter();
    DynamoDbClient dynamoDb =
        backends.dynamoDb(
            FaultInjector.throttling(request -> request instanceof TransactWriteItemsRequest),
            requests);
    PipelineTables tables = PipelineTables.create(dynamoDb, "txma");
    List<QueueMessage> messages = messages("txma", 10, 0, 0);

    // WHEN ten events are processed together
    List<MessageResult> results =
        processor(dynamoDb, tables, WriteMode.TRANSACTION, 8).process(messages).results();

    // THEN each is written on its own and stored
    assertThat(results).extracting(MessageResult::outcome).containsOnly(Outcome.PERSISTED);
    assertThat(requests.counts()).containsEntry("PutItem", 10);
    assertThat(PipelineTables.scan(dynamoDb, tables.events(), "pk", "sk")).hasSize(10);
  }

  @Test
  void aFifoBatchIsWrittenOneEventAtATimeInGroupOrder(EmbeddedAws.Backends backends) {
    RequestCounter requests = new RequestCounter();
    DynamoDbClient dynamoDb = backends.dynamoDb(requests);
    PipelineTables tables = PipelineTables.create(dynamoDb, "txma");
    List<QueueMessage> fifo = new ArrayList<>();
    for (QueueMessage message : messages("txma", 4, 0, 0)) {
      fifo.add(new QueueMessage(message.messageId(), message.body(), "session-a", Map.of()));
    }

    List<MessageResult> results =
        processor(dynamoDb, tables, WriteMode.TRANSACTION, 8).process(fifo).results();

    assertThat(results).extracting(MessageResult::outcome).containsOnly(Outcome.PERSISTED);
    assertThat(requests.counts()).containsExactlyInAnyOrderEntriesOf(Map.of("PutItem", 4));
  }

  // --- helpers

  private static Run run(
      DynamoDbClient dynamoDb, String pipeline, WriteMode mode, List<QueueMessage> messages) {
    PipelineTables tables = PipelineTables.create(dynamoDb, pipeline);
    // One thread: item mode then writes a batch in order, as the transaction mode decides it.
    BatchProcessor processor = processor(dynamoDb, tables, mode, 1);
    processor.process(messages.subList(0, 10));
    processor.process(messages.subList(10, 20));
    List<MessageResult> results = new ArrayList<>();
    for (int from = 20; from < messages.size(); from += 10) {
      results.addAll(processor.process(messages.subList(from, from + 10)).results());
    }
    processor.close();
    Pipeline definition = Pipelines.builtIn(pipeline);
    String[] key =
        definition.sortKey() == null
            ? new String[] {definition.partitionKey()}
            : new String[] {definition.partitionKey(), definition.sortKey()};
    List<List<Map<String, AttributeValue>>> items =
        List.of(
            PipelineTables.scan(dynamoDb, tables.events(), key),
            PipelineTables.scan(dynamoDb, tables.idempotency(), "pk"));
    return new Run(results, items);
  }

  private static BatchProcessor processor(
      DynamoDbClient dynamoDb, PipelineTables tables, WriteMode mode, int concurrency) {
    ProcessorSettings settings =
        new ProcessorSettings(
            Pipelines.builtIn(tables.pipeline()),
            tables.events(),
            tables.idempotency(),
            InvalidPolicy.RECORD,
            null,
            concurrency,
            mode);
    return new BatchProcessor(
        settings, new MessageProcessor(settings, dynamoDb, null, Clock.fixed(NOW, ZoneOffset.UTC)));
  }

  /** Seeded messages, every fifth after the first ten another content under an earlier key. */
  private static List<QueueMessage> messages(String pipeline, int count) {
    List<QueueMessage> messages = messages(pipeline, count, 0.1, 0.2);
    for (int i = 14; i < count; i += 5) {
      String earlier = messages.get(i - 13).body();
      messages.set(i, QueueMessage.of("m" + i, earlier.replaceFirst("\\{", "{ ")));
    }
    return messages;
  }

  private static List<QueueMessage> messages(
      String pipeline, int count, double invalidRatio, double duplicateRatio) {
    SeedGenerator generator =
        new SeedGenerator(Pipelines.builtIn(pipeline), 7, 3, invalidRatio, duplicateRatio, NOW);
    List<QueueMessage> messages = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      messages.add(QueueMessage.of("m" + i, generator.next().body()));
    }
    return messages;
  }

  /** Counts DynamoDB requests by operation, on a real client. */
  private static final class RequestCounter implements ExecutionInterceptor {
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      String operation = context.request().getClass().getSimpleName().replace("Request", "");
      counts.computeIfAbsent(operation, name -> new AtomicInteger()).incrementAndGet();
    }

    Map<String, Integer> counts() {
      Map<String, Integer> snapshot = new java.util.TreeMap<>();
      counts.forEach((operation, count) -> snapshot.put(operation, count.get()));
      snapshot.remove("CreateTable");
      snapshot.remove("DescribeTable");
      snapshot.remove("UpdateTimeToLive");
      snapshot.remove("Scan");
      return snapshot;
    }

    void clear() {
      counts.clear();
    }
  }
}
