package dev.evtctl.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evtctl.core.pipeline.Json;
import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.stack.SeedGenerator;
import dev.evtctl.core.stack.Stack;
import dev.evtctl.core.stack.StackNames;
import dev.evtctl.testing.CliRun;
import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.PipelineTables;
import dev.evtctl.testing.QueueDepth;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Redrive under faults the embedded SQS cannot produce on demand, injected by SDK interceptors on
 * real clients: a crash between send and delete, and a delete SQS refuses for one message.
 */
@ExtendWith(EmbeddedAws.class)
class RedriveTest {

  private EmbeddedAws.Backends backends;
  private SqsClient sqs;
  private DynamoDbClient dynamoDb;
  private StackNames stack;

  @BeforeEach
  void setUp(EmbeddedAws.Backends backends) {
    this.backends = backends;
    sqs = backends.sqs();
    dynamoDb = backends.dynamoDb();
    stack = new StackNames("redrive-" + UUID.randomUUID().toString().substring(0, 8), false);
    new Stack(sqs, dynamoDb).create(Pipelines.builtIn("txma"), stack, 3, 30);
  }

  private String url(String queue) {
    return sqs.getQueueUrl(r -> r.queueName(queue)).queueUrl();
  }

  private List<String> sendToDeadLetterQueue(int count) {
    SeedGenerator generator =
        new SeedGenerator(Pipelines.builtIn("txma"), 3, 4, 0, 0, Instant.now());
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String body = generator.next().body();
      bodies.add(body);
      sqs.sendMessage(r -> r.queueUrl(url(stack.deadLetterQueue())).messageBody(body));
    }
    return bodies;
  }

  private Redrive.Settings settings(int concurrency) {
    return new Redrive.Settings(
        url(stack.deadLetterQueue()),
        url(stack.queue()),
        MessageFilter.ALL,
        0,
        Pacer.of(null),
        false,
        concurrency);
  }

  /** Records what the listener hears, from any thread. */
  static final class Heard implements Redrive.Listener {
    final List<String> sent = Collections.synchronizedList(new ArrayList<>());
    final List<String> deleted = Collections.synchronizedList(new ArrayList<>());
    final List<String> deleteFailed = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void sent(Message message, String newMessageId) {
      sent.add(message.messageId());
    }

    @Override
    public void deleted(Message message) {
      deleted.add(message.messageId());
    }

    @Override
    public void failed(Message message, boolean wasSent, String reason) {
      if (wasSent) {
        deleteFailed.add(message.messageId() + " " + reason);
      }
    }
  }

  @Test
  void aCrashBetweenSendAndDeleteLosesNothingAndASecondRedriveAndDrainStoreEachEventOnce()
      throws Exception {
    // GIVEN 20 events on the DLQ, and a client that dies at the first DeleteMessageBatch
    List<String> bodies = sendToDeadLetterQueue(20);
    ExecutionInterceptor crash =
        new ExecutionInterceptor() {
          @Override
          public void beforeExecution(
              Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof DeleteMessageBatchRequest) {
              throw SdkClientException.create("injected: the process died here");
            }
          }
        };

    // WHEN a redrive runs into it
    Heard heard = new Heard();
    Redrive.Summary crashed = new Redrive(backends.sqs(crash), settings(1), heard).run();

    // THEN it stops with the failure; the first batch is in both queues, nothing is lost
    assertThat(crashed.failure()).contains("injected: the process died here");
    assertThat(crashed.moved()).isZero();
    assertThat(crashed.deleteFailures()).isEqualTo(10);
    assertThat(heard.sent).hasSize(10);
    assertThat(QueueDepth.of(sqs, stack.deadLetterQueue())).isEqualTo(20);
    assertThat(QueueDepth.of(sqs, stack.queue())).isEqualTo(10);

    // WHEN redriven again with a sound client, then drained
    Redrive.Summary second = new Redrive(sqs, settings(4), new Heard()).run();
    assertThat(second.failure()).isNull();
    assertThat(second.moved()).isEqualTo(20);
    CliRun drain =
        CliRun.of(
            "--endpoint-url",
            backends.edge(),
            "drain",
            "-q",
            stack.queue(),
            "--idle-timeout",
            "2",
            "-o",
            "json");

    // THEN every event is in the table exactly once; the 10 sent twice are duplicates
    assertThat(drain.exitCode()).as(drain.err()).isZero();
    JsonNode summary = Json.MAPPER.readTree(drain.out()).get(0);
    assertThat(summary.get("persisted").asInt()).isEqualTo(20);
    assertThat(summary.get("duplicate").asInt()).isEqualTo(10);
    assertThat(PipelineTables.scan(dynamoDb, stack.eventsTable(), "pk", "sk"))
        .extracting(item -> item.get("event").s())
        .containsExactlyInAnyOrderElementsOf(bodies);
    assertThat(QueueDepth.of(sqs, stack.deadLetterQueue())).isZero();
  }

  @Test
  void aDeleteSqsRefusesLeavesThatMessageInTheDeadLetterQueueAndReportsIt() throws Exception {
    // GIVEN 10 events on the DLQ, and a client whose first delete carries one spoilt handle
    sendToDeadLetterQueue(10);
    ExecutionInterceptor spoil =
        new ExecutionInterceptor() {
          private boolean done;

          @Override
          public synchronized SdkRequest modifyRequest(
              Context.ModifyRequest context, ExecutionAttributes attributes) {
            if (!done && context.request() instanceof DeleteMessageBatchRequest delete) {
              done = true;
              List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(delete.entries());
              entries.set(0, entries.get(0).toBuilder().receiptHandle("spoilt-handle").build());
              return delete.toBuilder().entries(entries).build();
            }
            return context.request();
          }
        };

    // WHEN redriven
    Heard heard = new Heard();
    Redrive.Summary summary = new Redrive(backends.sqs(spoil), settings(1), heard).run();

    // THEN 9 moved; the one SQS refused to delete is reported and still in the DLQ (and sent)
    assertThat(summary.failure()).isNull();
    assertThat(summary.moved()).isEqualTo(9);
    assertThat(summary.deleteFailures()).isEqualTo(1);
    assertThat(summary.leftAnythingBehind()).isTrue();
    assertThat(heard.deleteFailed).hasSize(1);
    assertThat(heard.deleted).hasSize(9);
    assertThat(QueueDepth.of(sqs, stack.deadLetterQueue())).isEqualTo(1);
    assertThat(QueueDepth.of(sqs, stack.queue())).isEqualTo(10);
  }
}
