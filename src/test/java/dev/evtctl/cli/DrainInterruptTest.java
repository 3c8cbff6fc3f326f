package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.stack.Stack;
import dev.evtctl.core.stack.StackNames;
import dev.evtctl.testing.CliRun;
import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.EvtctlProcess;
import dev.evtctl.testing.PipelineTables;
import dev.evtctl.testing.QueueDepth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Ctrl-C on a real `evtctl drain --follow` process: the shutdown path loses nothing. */
@ExtendWith(EmbeddedAws.class)
class DrainInterruptTest {

  @Test
  void interruptingADrainLosesNoMessage(EmbeddedAws.Backends backends, @TempDir Path dir)
      throws Exception {
    // GIVEN 2,000 distinct events on a queue
    SqsClient sqs = backends.sqs();
    DynamoDbClient dynamoDb = backends.dynamoDb();
    StackNames names =
        new StackNames("interrupt-" + UUID.randomUUID().toString().substring(0, 8), false);
    new Stack(sqs, dynamoDb).create(Pipelines.builtIn("txma"), names, 5, 30);
    CliRun seed =
        CliRun.of(
            "--endpoint-url",
            backends.edge(),
            "seed",
            "-q",
            names.queue(),
            "--count",
            "2000",
            "--sessions",
            "20",
            "--random-seed",
            "8");
    assertThat(seed.exitCode()).as(seed.err()).isZero();

    // WHEN `evtctl drain --follow` runs in its own JVM and is interrupted (SIGTERM, like Ctrl-C's
    // SIGINT, runs the shutdown hooks) once it has stored some events
    Process drain =
        EvtctlProcess.start(
            dir,
            java.util.Map.of(),
            "--endpoint-url",
            backends.edge(),
            "drain",
            "-q",
            names.queue(),
            "--follow",
            "--concurrency",
            "2");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && stored(dynamoDb, names) < 100) {
      Thread.sleep(100);
    }
    drain.destroy();
    assertThat(drain.waitFor(90, TimeUnit.SECONDS)).isTrue();

    // THEN every event is in the table or still on the queue, and none is both
    int stored = stored(dynamoDb, names);
    int left = QueueDepth.of(sqs, names.queue());
    assertThat(stored).isGreaterThanOrEqualTo(100).isLessThan(2000);
    assertThat(stored + left).as("stored %d + left %d", stored, left).isEqualTo(2000);
    assertThat(Files.readString(dir.resolve("err.txt")))
        .contains("evtctl drain: stopping; finishing the batches in hand");
    // AND the summary is printed before the JVM ends, counting what was stored
    String out = Files.readString(dir.resolve("out.txt"));
    assertThat(out).as("summary on stdout").contains("received");
    String persisted =
        out.lines()
            .map(String::trim)
            .filter(l -> l.startsWith("persisted "))
            .findFirst()
            .orElseThrow();
    assertThat(Integer.parseInt(persisted.split("\\s+")[1])).as("persisted").isEqualTo(stored);
  }

  private static int stored(DynamoDbClient dynamoDb, StackNames names) {
    return PipelineTables.scan(dynamoDb, names.eventsTable(), "pk", "sk").size();
  }
}
