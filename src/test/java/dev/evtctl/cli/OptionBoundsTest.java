package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evtctl.testing.CliRun;
import org.junit.jupiter.api.Test;

/**
 * Numbers out of their documented range are one line and exit 2, before anything runs: drain
 * --concurrency 100000 ran out of native threads; --idle-timeout -1, --limit -1,
 * --max-receive-count 0 and local start --port 70000 were accepted silently.
 */
class OptionBoundsTest {

  private static void refused(String expected, String... args) {
    CliRun run = CliRun.of(args);
    assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCode.USAGE);
    assertThat(run.err()).isEqualTo("evtctl: " + expected + "\n");
  }

  @Test
  void eachOutOfRangeNumberIsRefusedWithItsRange() {
    // the endpoint is never reached: nothing listens on port 9
    String[] aws = {"--endpoint-url", "http://127.0.0.1:9"};
    refused(
        "--concurrency must be 1 to 64, not 100000",
        aws[0],
        aws[1],
        "drain",
        "-q",
        "q",
        "--concurrency",
        "100000");
    refused(
        "--idle-timeout must be at least 0, not -1",
        aws[0],
        aws[1],
        "drain",
        "-q",
        "q",
        "--idle-timeout",
        "-1");
    refused(
        "--wait-time must be 0 to 20, not 21",
        aws[0],
        aws[1],
        "drain",
        "-q",
        "q",
        "--wait-time",
        "21");
    refused(
        "--give-up-after must be 1s to 1h, not 500ms",
        aws[0],
        aws[1],
        "drain",
        "-q",
        "q",
        "--give-up-after",
        "500ms");
    refused(
        "--give-up-after must be 1s to 1h, not 2h 0m",
        aws[0],
        aws[1],
        "dlq",
        "redrive",
        "--queue",
        "q-dlq",
        "--give-up-after",
        "2h");
    refused(
        "--concurrency must be 1 to 64, not 0",
        aws[0],
        aws[1],
        "dlq",
        "redrive",
        "--queue",
        "q-dlq",
        "--concurrency",
        "0");
    refused(
        "--limit must be at least 0, not -1",
        aws[0],
        aws[1],
        "events",
        "--session",
        "s",
        "-t",
        "t",
        "--limit",
        "-1");
    refused(
        "--max-receive-count must be 1 to 1000, not 0",
        aws[0],
        aws[1],
        "stack",
        "create",
        "-p",
        "txma",
        "-n",
        "n",
        "--max-receive-count",
        "0");
    refused("--port must be 1 to 65535, not 70000", "local", "start", "--port", "70000");
    refused("--ttl-sweep must be 0 or more", "local", "start", "--ttl-sweep", "-1s");
  }
}
