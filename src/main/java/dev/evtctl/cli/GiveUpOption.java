package dev.evtctl.cli;

import dev.evtctl.aws.AwsClients;
import java.time.Duration;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * How long the commands that run until stopped (drain, dlq redrive) ride out an SQS that fails, as
 * a Lambda event source mapping does: the bound a user can set.
 */
final class GiveUpOption {

  private static final Duration MIN = Duration.ofSeconds(1);
  private static final Duration MAX = Duration.ofHours(1);

  @Option(
      names = "--give-up-after",
      paramLabel = "D",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description =
          "Ride out SQS errors that pass (throttling, 5xx, reset or refused connections, no"
              + " answer in 30 s), trying each call again with backoff and jitter capped at 5 s;"
              + " give up, and end with exit 4, only when a call has failed for D, 1s to 1h"
              + " (default: ${DEFAULT-VALUE}). An error that does not pass (access denied, no such"
              + " queue) ends the run at once.")
  Duration giveUpAfter;

  /** Refuses a bound out of range (exit 2), before anything runs. */
  void check() {
    if (giveUpAfter.compareTo(MIN) < 0 || giveUpAfter.compareTo(MAX) > 0) {
      throw new CommandFailedException(
          ExitCode.USAGE,
          "--give-up-after must be 1s to 1h, not "
              + (giveUpAfter.toSeconds() < 1
                  ? giveUpAfter.toMillis() + "ms"
                  : DurationConverter.format(giveUpAfter)));
    }
  }

  /** The SQS client the long-running loop uses: it rides out passing faults for D. */
  SqsClient sqs(AwsClients aws) {
    return aws.ridingOutFaults(giveUpAfter).sqs();
  }
}
