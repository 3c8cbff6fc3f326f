package dev.evtctl.cli;

import static dev.evtctl.testing.FaultyRelay.sqs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evtctl.core.pipeline.Json;
import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.stack.Stack;
import dev.evtctl.core.stack.StackNames;
import dev.evtctl.testing.CliRun;
import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.FaultyRelay;
import dev.evtctl.testing.FaultyRelay.Fault;
import dev.evtctl.testing.PipelineTables;
import dev.evtctl.testing.QueueContents;
import dev.evtctl.testing.QueueDepth;
import java.net.URI;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * drain and dlq redrive through a relay on loopback that fails a fifth of their SQS calls (503s,
 * resets before and after the backend acted, slow answers): they ride the faults out, as a Lambda
 * event source mapping does, and say what they rode out; a backend that hangs ends the run within
 * --give-up-after.
 */
@ExtendWith(EmbeddedAws.class)
class PassingFaultsTest {

  private EmbeddedAws.Backends backends;
  private SqsClient sqs;
  private DynamoDbClient dynamoDb;
  private StackNames names;
  private FaultyRelay relay;

  @BeforeEach
  void setUp(EmbeddedAws.Backends backends) {
    this.backends = backends;
    sqs = backends.sqs();
    dynamoDb = backends.dynamoDb();
    names = new StackNames("faults-" + UUID.randomUUID().toString().substring(0, 8), false);
    // A 2 s visibility timeout: a receive whose answer the relay loses gives its messages back
    // soon.
    new Stack(sqs, dynamoDb).create(Pipelines.builtIn("txma"), names, 5, 2);
    relay = FaultyRelay.to(URI.create(backends.edge()), 12);
  }

  @AfterEach
  void tearDown() {
    relay.close();
  }

  private void seed(String queue, int count) {
    CliRun seed =
        CliRun.of(
            "--endpoint-url",
            backends.edge(),
            "seed",
            "-q",
            queue,
            "--count",
            Integer.toString(count),
            "--random-seed",
            "5");
    assertThat(seed.exitCode()).as(seed.err()).isZero();
  }

  @Test
  void drainRidesOutAFifthOfItsSqsCallsFailing() throws Exception {
    // GIVEN 400 distinct events, and a relay failing 20 % of receives, deletes and visibility
    // changes in every way it knows (a delete whose answer is lost is sent again, and the local
    // stack answers it as SQS does: success)
    seed(names.queue(), 400);
    relay.inject(
        sqs("ReceiveMessage", "DeleteMessageBatch", "ChangeMessageVisibilityBatch"),
        0.2,
        Fault.values());

    // WHEN drained through the relay
    CliRun drain =
        CliRun.of(
            "--endpoint-url",
            relay.endpoint().toString(),
            "-o",
            "json",
            "drain",
            "-q",
            names.queue(),
            "--idle-timeout",
            "6");

    // THEN it ends normally, every event is stored once and the queue is empty
    assertThat(drain.exitCode()).as(drain.err()).isZero();
    assertThat(PipelineTables.scan(dynamoDb, names.eventsTable(), "pk", "sk")).hasSize(400);
    assertThat(QueueDepth.of(sqs, names.queue())).isZero();
    JsonNode summary = Json.MAPPER.readTree(drain.out()).get(0);
    assertThat(summary.get("persisted").asInt()).isEqualTo(400);
    assertThat(summary.get("delete_failures").asInt()).isZero();
    // AND the summary explains every retry: one per failed attempt the relay caused
    long failed = relay.failedAttempts();
    assertThat(failed).as("faults injected: %s", relay.injected()).isGreaterThan(10);
    assertThat(summary.get("retried").asLong()).as(drain.err()).isEqualTo(failed);
    assertThat(drain.err()).contains("rode out " + failed + " failed attempt(s) tried again: ");
  }

  @Test
  void aHungSqsEndsTheDrainWithinGiveUpAfter() {
    // GIVEN a queue whose receives are never answered
    seed(names.queue(), 10);
    relay.hang(sqs("ReceiveMessage"));

    // WHEN drained with a 2 s give-up time
    long started = System.nanoTime();
    CliRun drain =
        CliRun.of(
            "--endpoint-url",
            relay.endpoint().toString(),
            "drain",
            "-q",
            names.queue(),
            "--give-up-after",
            "2s",
            "--wait-time",
            "1");
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

    // THEN it ends as a backend error, saying why, within the bound (and far from a minute)
    assertThat(drain.exitCode()).as(drain.err()).isEqualTo(ExitCode.BACKEND);
    assertThat(drain.err())
        .contains("SQS ReceiveMessage: still failing after 2 s of retries (the give-up time)");
    assertThat(seconds).isLessThan(20);
    // AND nothing was lost
    assertThat(QueueDepth.of(sqs, names.queue())).isEqualTo(10);
  }

  @Test
  void redriveRidesOutAFifthOfItsSqsCallsFailing() throws Exception {
    // GIVEN 200 messages on the dead-letter queue, and a relay failing 20 % of the redrive's SQS
    // calls (a receive's answer is never lost here: its messages would stay held for 90 s)
    seed(names.deadLetterQueue(), 200);
    relay.inject(
        sqs(
            "ReceiveMessage",
            "SendMessageBatch",
            "DeleteMessageBatch",
            "ChangeMessageVisibilityBatch"),
        0.2,
        Fault.UNAVAILABLE,
        Fault.RESET_BEFORE,
        Fault.SLOW);

    // WHEN redriven through the relay
    CliRun redrive =
        CliRun.of(
            "--endpoint-url",
            relay.endpoint().toString(),
            "-o",
            "json",
            "dlq",
            "redrive",
            "-q",
            names.deadLetterQueue(),
            "--yes");

    // THEN every message moved, once, and the summary counts every retry
    assertThat(redrive.exitCode()).as(redrive.err()).isZero();
    JsonNode summary = Json.MAPPER.readTree(redrive.out()).get(0);
    assertThat(summary.get("moved").asInt()).isEqualTo(200);
    assertThat(QueueDepth.of(sqs, names.deadLetterQueue())).isZero();
    assertThat(
            QueueContents.takeAll(sqs, names.queue()).stream()
                .map(m -> m.body())
                .collect(Collectors.toSet()))
        .hasSize(200);
    long failed = relay.failedAttempts();
    assertThat(failed).as("faults injected: %s", relay.injected()).isGreaterThan(5);
    assertThat(summary.get("retried").asLong()).as(redrive.err()).isEqualTo(failed);
  }
}
