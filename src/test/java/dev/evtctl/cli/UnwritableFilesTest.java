package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.stack.Stack;
import dev.evtctl.core.stack.StackNames;
import dev.evtctl.testing.CliRun;
import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.QueueDepth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * An --audit-file or --log-file that cannot be written is a usage error (exit 2, one line) before
 * anything moves: a redrive once moved 20 messages, exited 0 and named a trail that did not exist.
 */
@ExtendWith(EmbeddedAws.class)
class UnwritableFilesTest {

  private EmbeddedAws.Backends backends;
  private SqsClient sqs;
  private StackNames names;
  private Path notADirectory;

  @BeforeEach
  void setUp(EmbeddedAws.Backends backends, @TempDir Path dir) throws Exception {
    this.backends = backends;
    sqs = backends.sqs();
    names = new StackNames("unwritable-" + UUID.randomUUID().toString().substring(0, 8), false);
    new Stack(sqs, backends.dynamoDb()).create(Pipelines.builtIn("txma"), names, 5, 30);
    notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
  }

  private void seed(String queue) {
    CliRun seed =
        CliRun.of("--endpoint-url", backends.edge(), "seed", "-q", queue, "--count", "20");
    assertThat(seed.exitCode()).as(seed.err()).isZero();
  }

  @Test
  void aRedriveWithAnUnwritableAuditFileMovesNothing() {
    seed(names.deadLetterQueue());
    Path audit = notADirectory.resolve("audit.ndjson");

    CliRun redrive =
        CliRun.of(
            "--endpoint-url",
            backends.edge(),
            "dlq",
            "redrive",
            "-q",
            names.deadLetterQueue(),
            "--audit-file",
            audit.toString());

    assertThat(redrive.exitCode()).as(redrive.err()).isEqualTo(ExitCode.USAGE);
    assertThat(redrive.err().lines())
        .singleElement()
        .asString()
        .startsWith("evtctl: --audit-file: cannot write " + audit + ": ");
    assertThat(QueueDepth.of(sqs, names.deadLetterQueue())).isEqualTo(20);
    assertThat(QueueDepth.of(sqs, names.queue())).isZero();
  }

  @Test
  void aRedriveWhoseAuditFileIsFullMovesNothing() {
    // /dev/full opens, and refuses every write (ENOSPC)
    seed(names.deadLetterQueue());

    CliRun redrive =
        CliRun.of(
            "--endpoint-url",
            backends.edge(),
            "dlq",
            "redrive",
            "-q",
            names.deadLetterQueue(),
            "--audit-file",
            "/dev/full");

    assertThat(redrive.exitCode()).as(redrive.err()).isEqualTo(ExitCode.USAGE);
    assertThat(redrive.err())
        .isEqualTo("evtctl: --audit-file: cannot write /dev/full: No space left on device\n");
    assertThat(QueueDepth.of(sqs, names.deadLetterQueue())).isEqualTo(20);
  }

  @Test
  void aDrainWithAnUnwritableLogFileTakesNothing() {
    seed(names.queue());
    Path log = notADirectory.resolve("drain.log");

    CliRun drain =
        CliRun.of(
            "--endpoint-url",
            backends.edge(),
            "drain",
            "-q",
            names.queue(),
            "--log-file",
            log.toString());

    assertThat(drain.exitCode()).as(drain.err()).isEqualTo(ExitCode.USAGE);
    assertThat(drain.err().lines())
        .singleElement()
        .asString()
        .startsWith("evtctl: --log-file: cannot write " + log + ": ");
    assertThat(QueueDepth.of(sqs, names.queue())).isEqualTo(20);
  }
}
