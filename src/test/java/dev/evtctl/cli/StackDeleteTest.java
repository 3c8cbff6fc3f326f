package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evtctl.testing.CliRun;
import dev.evtctl.testing.EmbeddedAws;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** stack delete destroys messages and items: without a terminal to ask, it needs --yes. */
@ExtendWith(EmbeddedAws.class)
class StackDeleteTest {

  @Test
  void withoutYesNothingIsDeletedAndTheLineSaysWhatWouldBe(EmbeddedAws.Backends backends) {
    String stack = "del-" + UUID.randomUUID().toString().substring(0, 8);
    String endpoint = backends.edge();
    assertThat(
            CliRun.of("--endpoint-url", endpoint, "stack", "create", "-p", "txma", "-n", stack)
                .exitCode())
        .isZero();
    assertThat(
            CliRun.of(
                    "--endpoint-url",
                    endpoint,
                    "seed",
                    "-q",
                    stack,
                    "--count",
                    "2",
                    "--random-seed",
                    "1")
                .exitCode())
        .isZero();

    CliRun refused =
        CliRun.of("--endpoint-url", endpoint, "stack", "delete", "-p", "txma", "-n", stack);

    assertThat(refused.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(refused.err())
        .isEqualTo(
            "evtctl: stack delete would delete "
                + stack
                + " (~2 messages, 0 in flight), "
                + stack
                + "-dlq (~0 messages, 0 in flight), "
                + stack
                + "-events (ACTIVE, ~0 items): give --yes\n");
    assertThat(
            CliRun.of("--endpoint-url", endpoint, "stack", "status", "-p", "txma", "-n", stack)
                .exitCode())
        .isZero();

    CliRun deleted =
        CliRun.of(
            "--endpoint-url", endpoint, "stack", "delete", "-p", "txma", "-n", stack, "--yes");
    assertThat(deleted.exitCode()).as(deleted.err()).isZero();
    assertThat(
            CliRun.of("--endpoint-url", endpoint, "stack", "status", "-p", "txma", "-n", stack)
                .exitCode())
        .isEqualTo(ExitCode.BACKEND);
  }
}
