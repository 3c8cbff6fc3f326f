package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evtctl.testing.CliRun;
import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.PipelineTables;
import dev.evtctl.testing.QueueDepth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * drain --fail-writes, the test aid the README tour uses to put real failures in a DLQ: a share of
 * the writes is throttled, the same messages on every receive, and only ever on a local stack.
 */
@ExtendWith(EmbeddedAws.class)
class DrainFailWritesTest {

  private String endpoint;
  private SqsClient sqs;
  private DynamoDbClient dynamoDb;
  private String stack;

  @BeforeEach
  void setUp(EmbeddedAws.Backends backends) {
    endpoint = backends.edge();
    sqs = backends.sqs();
    dynamoDb = backends.dynamoDb();
    stack = "failwrites-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private CliRun evtctl(String... args) {
    List<String> all = new ArrayList<>(List.of("--endpoint-url", endpoint));
    all.addAll(List.of(args));
    return CliRun.in(Map.of(), all.toArray(String[]::new));
  }

  @Test
  void theSameMessagesFailOnEveryReceiveAndLandInTheDlq() {
    // GIVEN a stack whose queue gives up on a message after 2 receives, and 40 valid events
    assertThat(
            evtctl("stack", "create", "-p", "txma", "-n", stack, "--max-receive-count", "2")
                .exitCode())
        .isZero();
    CliRun seed =
        evtctl(
            "seed", "-q", stack, "--count", "40", "--invalid-ratio", "0", "--duplicate-ratio", "0");
    assertThat(seed.exitCode()).as(seed.err()).isZero();

    // WHEN a quarter of the writes are throttled
    CliRun drain = evtctl("drain", "-q", stack, "--fail-writes", "25%", "--idle-timeout", "5");

    // THEN the throttled messages are RETRY (exit 3), tried twice, and then in the DLQ; the rest
    // are stored
    assertThat(drain.exitCode()).as(drain.out() + drain.err()).isEqualTo(3);
    int failed = QueueDepth.of(sqs, stack + "-dlq");
    assertThat(failed).isBetween(1, 39);
    assertThat(QueueDepth.of(sqs, stack)).isZero();
    assertThat(PipelineTables.scan(dynamoDb, stack + "-events")).hasSize(40 - failed);
    assertThat(drain.err())
        .contains(
            "evtctl drain: --fail-writes 25%: "
                + 2 * failed
                + " write(s) refused with staged throttling (a test aid)");

    // WHEN they are redriven and drained again with the same share
    assertThat(evtctl("dlq", "redrive", "-q", stack + "-dlq").exitCode()).isZero();
    CliRun again = evtctl("drain", "-q", stack, "--fail-writes", "25%", "--idle-timeout", "5");

    // THEN the very same messages fail again: none of them is stored, all are back in the DLQ
    assertThat(again.exitCode()).as(again.out() + again.err()).isEqualTo(3);
    assertThat(QueueDepth.of(sqs, stack + "-dlq")).isEqualTo(failed);
    assertThat(PipelineTables.scan(dynamoDb, stack + "-events")).hasSize(40 - failed);
  }

  @Test
  void aTransactionWithAThrottledEventLeavesTheOthersStored() {
    // GIVEN 30 events, drained 10 to a TransactWriteItems request
    assertThat(
            evtctl("stack", "create", "-p", "txma", "-n", stack, "--max-receive-count", "2")
                .exitCode())
        .isZero();
    evtctl("seed", "-q", stack, "--count", "30", "--invalid-ratio", "0", "--duplicate-ratio", "0");

    // WHEN a third of the writes are throttled
    CliRun drain =
        evtctl(
            "drain",
            "-q",
            stack,
            "--write-mode",
            "transaction",
            "--fail-writes",
            "33",
            "--idle-timeout",
            "5");

    // THEN only the throttled events miss the table: the core wrote the others one by one
    assertThat(drain.exitCode()).as(drain.out() + drain.err()).isEqualTo(3);
    int failed = QueueDepth.of(sqs, stack + "-dlq");
    assertThat(failed).isBetween(1, 29);
    assertThat(PipelineTables.scan(dynamoDb, stack + "-events")).hasSize(30 - failed);
  }

  @Test
  void invalidEventsAreRecordedAsUsual() {
    // GIVEN 3 valid events and 4 invalid ones
    assertThat(
            evtctl("stack", "create", "-p", "txma", "-n", stack, "--max-receive-count", "2")
                .exitCode())
        .isZero();
    assertThat(evtctl("seed", "-q", stack, "--file", "samples/txma.ndjson").exitCode()).isZero();
    assertThat(evtctl("seed", "-q", stack, "--file", "samples/txma-invalid.ndjson").exitCode())
        .isZero();

    // WHEN every event write is throttled
    CliRun drain = evtctl("drain", "-q", stack, "--fail-writes", "100%", "--idle-timeout", "5");

    // THEN the valid events are in the DLQ, and the table holds the 4 INVALID records alone
    assertThat(drain.exitCode()).as(drain.out() + drain.err()).isEqualTo(3);
    assertThat(QueueDepth.of(sqs, stack + "-dlq")).isEqualTo(3);
    assertThat(PipelineTables.scan(dynamoDb, stack + "-events"))
        .hasSize(4)
        .allSatisfy(item -> assertThat(item).containsKey("reason"));
  }

  @Test
  void itIsRefusedUnlessBothServicesAreOnThisMachine() {
    // AWS itself: no endpoint at all
    CliRun aws =
        CliRun.in(
            Map.of("AWS_REGION", "eu-west-2"), "drain", "-q", "audit", "--fail-writes", "10%");
    assertThat(aws.exitCode()).isEqualTo(2);
    assertThat(aws.err())
        .contains("--fail-writes is a test aid for a local stack, and the sqs endpoint is AWS");

    // DynamoDB elsewhere, SQS local
    CliRun mixed =
        CliRun.in(
            Map.of(
                "AWS_ENDPOINT_URL",
                endpoint,
                "AWS_ENDPOINT_URL_DYNAMODB",
                "https://dynamodb.eu-west-2.amazonaws.com"),
            "drain",
            "-q",
            "audit",
            "--fail-writes",
            "10%");
    assertThat(mixed.exitCode()).isEqualTo(2);
    assertThat(mixed.err())
        .contains("the dynamodb endpoint is https://dynamodb.eu-west-2.amazonaws.com");
  }

  @Test
  void aShareIsAWholePercentage() {
    for (String share : List.of("101%", "-1", "ten", "2.5%")) {
      CliRun run = evtctl("drain", "-q", "audit", "--fail-writes", share);
      assertThat(run.exitCode()).as(share + ": " + run.err()).isEqualTo(2);
      assertThat(run.err()).contains("is not a percentage");
    }
  }
}
