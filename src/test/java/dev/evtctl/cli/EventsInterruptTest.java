package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.stack.Stack;
import dev.evtctl.core.stack.StackNames;
import dev.evtctl.testing.CliRun;
import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.EvtctlProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C on `events --expect` prints what the last query found, and how it stood, then 130. */
@ExtendWith(EmbeddedAws.class)
class EventsInterruptTest {

  @Test
  void ctrlCWhileExpectingPrintsWhatWasFound(EmbeddedAws.Backends backends, @TempDir Path dir)
      throws Exception {
    // GIVEN one stored event of a session, and `events --expect` waiting for another
    StackNames names =
        new StackNames("expect-" + UUID.randomUUID().toString().substring(0, 8), false);
    new Stack(backends.sqs(), backends.dynamoDb()).create(Pipelines.builtIn("txma"), names, 5, 30);
    String session = UUID.randomUUID().toString();
    String queueUrl = backends.sqs().getQueueUrl(r -> r.queueName(names.queue())).queueUrl();
    backends
        .sqs()
        .sendMessage(
            r ->
                r.queueUrl(queueUrl)
                    .messageBody(
                        "{\"event_name\":\"DCMAW_ASYNC_CRI_START\",\"component_id\":\"c\","
                            + "\"timestamp\":1763900000,\"user\":{\"session_id\":\""
                            + session
                            + "\"}}"));
    CliRun drain = CliRun.of("--endpoint-url", backends.edge(), "drain", "-q", names.queue());
    assertThat(drain.exitCode()).as(drain.err()).isZero();
    Process events =
        EvtctlProcess.start(
            dir,
            java.util.Map.of(),
            "--endpoint-url",
            backends.edge(),
            "events",
            "-t",
            names.eventsTable(),
            "--session",
            session,
            "--expect",
            "DCMAW_ASYNC_CRI_END",
            "--timeout",
            "2m");
    Thread.sleep(5000);

    // WHEN interrupted (SIGINT, as Ctrl-C)
    new ProcessBuilder("kill", "-INT", Long.toString(events.pid())).start().waitFor();
    assertThat(events.waitFor(30, TimeUnit.SECONDS)).isTrue();

    // THEN it exits 130, having shown the event found and the expectation not met
    assertThat(events.exitValue()).isEqualTo(ExitCode.INTERRUPTED);
    assertThat(Files.readString(dir.resolve("out.txt"))).contains("DCMAW_ASYNC_CRI_START");
    assertThat(Files.readString(dir.resolve("err.txt")))
        .contains("interrupted; the last query found:")
        .contains("NOT MET: expected DCMAW_ASYNC_CRI_END (at least 1), found 0");
  }
}
