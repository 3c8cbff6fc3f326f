package dev.evtctl.core.queue;

import static dev.evtctl.testing.FaultInjector.writesContaining;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.evtctl.core.expect.EventAssertions;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.processing.BatchProcessor;
import dev.evtctl.core.processing.Outcome;
import dev.evtctl.core.processing.ProcessorSettings;
import dev.evtctl.core.processing.WriteMode;
import dev.evtctl.core.stack.SeedGenerator;
import dev.evtctl.core.stack.Stack;
import dev.evtctl.core.stack.StackNames;
import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.FaultInjector;
import dev.evtctl.testing.PipelineTables;
import dev.evtctl.testing.QueueDepth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

@ExtendWith(EmbeddedAws.class)
class QueueDrainerTest {

  private EmbeddedAws.Backends backends;
  private SqsClient sqs;
  private DynamoDbClient dynamoDb;
  private StackNames names;
  private Pipeline pipeline;

  @BeforeEach
  void setUp(EmbeddedAws.Backends backends) {
    this.backends = backends;
    sqs = backends.sqs();
    dynamoDb = backends.dynamoDb();
    pipeline = Pipelines.builtIn("txma");
    names = new StackNames("drain-" + UUID.randomUUID().toString().substring(0, 8), false);
  }

  private String queueUrl() {
    return sqs.getQueueUrl(r -> r.queueName(names.queue())).queueUrl();
  }

  private List<String> seed(int count) {
    SeedGenerator generator =
        new SeedGenerator(Pipelines.builtIn("txma"), 9, 5, 0, 0, Instant.now());
    List<String> bodies = new ArrayList<>();
    BatchSender sender = new BatchSender(sqs);
    for (int from = 0; from < count; from += 10) {
      List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
      for (int i = 0; i < Math.min(10, count - from); i++) {
        String body = generator.next().body();
        bodies.add(body);
        entries.add(SendMessageBatchRequestEntry.builder().id("e" + i).messageBody(body).build());
      }
      assertThat(sender.send(queueUrl(), entries).failed()).isEmpty();
    }
    return bodies;
  }

  private QueueDrainer.Summary drain(DynamoDbClient client, QueueDrainer.Settings settings) {
    ProcessorSettings processing =
        new ProcessorSettings(pipeline, names.eventsTable(), null, null, null, 8, WriteMode.ITEM);
    try (BatchProcessor processor = new BatchProcessor(processing, client, sqs)) {
      return new QueueDrainer(sqs, processor, settings, batch -> {}).run();
    }
  }

  @Test
  void aMessageThatKeepsFailingEndsInTheDeadLetterQueue() {
    // GIVEN a queue that moves a message to its DLQ on the third receive, and one event whose
    // write DynamoDB always throttles
    new Stack(sqs, dynamoDb).create(pipeline, names, 2, 30);
    List<String> bodies = seed(5);
    String poisoned = bodies.get(2);
    String marker =
        poisoned.substring(
            poisoned.indexOf("\"timestamp\":") + 12, poisoned.indexOf(",\"event_timestamp_ms\""));
    DynamoDbClient throttled =
        backends.dynamoDb(FaultInjector.throttling(writesContaining("TIMESTAMP#" + marker)));

    // WHEN drained until the queue stays empty (retries come back after 1 s, then 2 s)
    QueueDrainer.Summary summary =
        drain(throttled, new QueueDrainer.Settings(queueUrl(), 10, 2, 1, 0, Duration.ofSeconds(4)));

    // THEN it was retried twice and then moved to the DLQ, body intact; the others are stored
    assertThat(summary.outcomes().get(Outcome.PERSISTED)).isEqualTo(4);
    assertThat(summary.outcomes().get(Outcome.RETRY)).isEqualTo(2);
    assertThat(summary.leftAnythingBehind()).isTrue();
    String dlq = sqs.getQueueUrl(r -> r.queueName(names.deadLetterQueue())).queueUrl();
    List<Message> dead =
        sqs.receiveMessage(r -> r.queueUrl(dlq).maxNumberOfMessages(10)).messages();
    assertThat(dead).extracting(Message::body).containsExactly(poisoned);
    assertThat(PipelineTables.scan(dynamoDb, names.eventsTable(), "pk", "sk")).hasSize(4);
    assertThat(QueueDepth.of(sqs, names.queue())).isZero();
  }

  @Test
  void aBackendThatGoesAwayStopsTheDrainAndTheSummaryKeepsWhatWasDone() {
    // GIVEN 20 events, and an SQS client that cannot reach SQS from its third receive on
    new Stack(sqs, dynamoDb).create(pipeline, names, 3, 30);
    seed(20);
    java.util.concurrent.atomic.AtomicInteger receives =
        new java.util.concurrent.atomic.AtomicInteger();
    SqsClient failing =
        backends.sqs(
            new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
              @Override
              public void beforeExecution(
                  software.amazon.awssdk.core.interceptor.Context.BeforeExecution context,
                  software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                if (context.request()
                        instanceof software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest
                    && receives.incrementAndGet() > 2) {
                  throw software.amazon.awssdk.core.exception.SdkClientException.create(
                      "injected: Connection refused");
                }
              }
            });
    ProcessorSettings processing =
        new ProcessorSettings(pipeline, names.eventsTable(), null, null, null, 8, WriteMode.ITEM);

    // WHEN drained by one receiver
    QueueDrainer.Summary summary;
    try (BatchProcessor processor = new BatchProcessor(processing, dynamoDb, failing)) {
      summary =
          new QueueDrainer(
                  failing,
                  processor,
                  new QueueDrainer.Settings(queueUrl(), 10, 1, 1, 0, Duration.ofSeconds(3)),
                  batch -> {})
              .run();
    }

    // THEN it stops with the failure, and the summary counts the two batches it did
    assertThat(summary.failure()).contains("injected: Connection refused");
    assertThat(summary.received()).isEqualTo(20);
    assertThat(summary.outcomes().get(Outcome.PERSISTED)).isEqualTo(20);
    assertThat(PipelineTables.scan(dynamoDb, names.eventsTable(), "pk", "sk")).hasSize(20);
  }

  @Test
  void stoppingMidDrainLosesNothing() throws Exception {
    // GIVEN 300 distinct events on the queue
    new Stack(sqs, dynamoDb).create(pipeline, names, 5, 30);
    List<String> bodies = seed(300);
    AtomicInteger batches = new AtomicInteger();
    ProcessorSettings processing =
        new ProcessorSettings(pipeline, names.eventsTable(), null, null, null, 8, WriteMode.ITEM);
    QueueDrainer.Summary summary;
    try (BatchProcessor processor = new BatchProcessor(processing, dynamoDb, sqs)) {
      QueueDrainer[] drainer = new QueueDrainer[1];
      drainer[0] =
          new QueueDrainer(
              sqs,
              processor,
              new QueueDrainer.Settings(queueUrl(), 10, 2, 1, 0, null),
              batch -> {
                // WHEN it is stopped (as Ctrl-C does) after a few batches, from another thread
                if (batches.incrementAndGet() == 3) {
                  CompletableFuture.runAsync(
                      () -> {
                        try {
                          drainer[0].stop(Duration.ofSeconds(30));
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                      });
                }
              });
      summary = drainer[0].run();
    }

    // THEN every event is in the table or still on the queue, none in between, none twice
    int stored = PipelineTables.scan(dynamoDb, names.eventsTable(), "pk", "sk").size();
    assertThat(summary.received()).isLessThan(300);
    assertThat(stored).isEqualTo(summary.outcomes().get(Outcome.PERSISTED).intValue());
    assertThat(QueueDepth.of(sqs, names.queue())).isEqualTo(300 - stored);
    Set<String> distinct = new HashSet<>(bodies);
    assertThat(distinct).hasSize(300);
  }

  @Test
  void maxMessagesStopsAfterExactlyThatMany() {
    new Stack(sqs, dynamoDb).create(pipeline, names, 5, 30);
    seed(35);

    QueueDrainer.Summary summary =
        drain(dynamoDb, new QueueDrainer.Settings(queueUrl(), 10, 3, 1, 12, Duration.ofSeconds(2)));

    assertThat(summary.received()).isEqualTo(12);
    assertThat(summary.outcomes().get(Outcome.PERSISTED)).isEqualTo(12);
    assertThat(QueueDepth.of(sqs, names.queue())).isEqualTo(23);
  }

  @Test
  void eventAssertionsApiWaitsForEventsAndSaysWhatIsMissing() {
    new Stack(sqs, dynamoDb).create(pipeline, names, 5, 30);
    seed(20);
    drain(dynamoDb, new QueueDrainer.Settings(queueUrl(), 10, 2, 1, 0, Duration.ofSeconds(2)));
    var any = PipelineTables.scan(dynamoDb, names.eventsTable(), "pk", "sk").get(0);
    String session = any.get("pk").s().substring("SESSION#".length());
    String name = any.get("sk").s().split("#")[2];

    var report =
        EventAssertions.on(dynamoDb, "txma", names.eventsTable())
            .session(session)
            .expect(name)
            .within(Duration.ofSeconds(5));
    assertThat(report.met()).isTrue();

    assertThatThrownBy(
            () ->
                EventAssertions.on(dynamoDb, "txma", names.eventsTable())
                    .session(session)
                    .expect("NEVER_SENT", 1)
                    .within(Duration.ofMillis(600)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("NOT MET: expected NEVER_SENT=1, found 0");
  }
}
