package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.stack.Stack;
import dev.evtctl.core.stack.StackNames;
import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.EvtctlProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM on a `drain --follow` waiting in its 20-second long polls: it stops at once (the polls
 * hold no message, so they are abandoned), not at the end of the poll.
 */
@ExtendWith(EmbeddedAws.class)
class DrainStopsPromptlyTest {

  @Test
  void aFollowingDrainStopsWithinSecondsOfSigterm(EmbeddedAws.Backends backends, @TempDir Path dir)
      throws Exception {
    // GIVEN `evtctl drain --follow` on an empty queue, in its own JVM, in its long polls
    StackNames names =
        new StackNames("prompt-" + UUID.randomUUID().toString().substring(0, 8), false);
    new Stack(backends.sqs(), backends.dynamoDb()).create(Pipelines.builtIn("txma"), names, 5, 30);
    Process drain =
        EvtctlProcess.start(
            dir,
            java.util.Map.of(),
            "--endpoint-url",
            backends.edge(),
            "drain",
            "-q",
            names.queue(),
            "--follow");
    Thread.sleep(6000);

    // WHEN it is sent SIGTERM
    long sent = System.nanoTime();
    drain.destroy();
    assertThat(drain.waitFor(60, TimeUnit.SECONDS)).isTrue();
    double seconds = (System.nanoTime() - sent) / 1e9;

    // THEN it ends well before its long poll would have, with its summary
    assertThat(seconds).as("seconds from SIGTERM to exit").isLessThan(8);
    assertThat(Files.readString(dir.resolve("out.txt"))).contains("received");
  }
}
