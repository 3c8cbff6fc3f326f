package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evtctl.testing.CliRun;
import org.junit.jupiter.api.Test;

/** The demo, end to end: every step does what it says, and the report says so. */
class DemoCommandTest {

  @Test
  void theDemoRunsEveryStepAndReportsThem() {
    // in a terminal 100 columns wide
    java.util.Map<String, String> environment = new java.util.HashMap<>(System.getenv());
    environment.put("COLUMNS", "100");
    CliRun demo = CliRun.in(environment, "demo");

    assertThat(demo.exitCode()).as(demo.out() + demo.err()).isZero();
    assertThat(demo.out())
        .contains("Report: 19 of 19 steps did what they said.")
        .contains("✓ the throttled event is in the DLQ after 2 tries (max receive count 2)")
        .contains("✓ a CI assertion: the redriven event is there, exactly once")
        .contains("met:     expected AUTH_IPV_AUTHORISATION_REQUESTED=1, found 1")
        .contains("$ evtctl --local dlq redrive -q demo-txma-dlq")
        .doesNotContain("✗")
        .doesNotContain("Initializing DynamoDB Local");
    // A terminal's width: every line of the tour but the commands and log lines fits 100 columns.
    assertThat(
            demo.out()
                .lines()
                .filter(l -> !l.contains("$ evtctl") && !l.contains("{\"timestamp\"")))
        .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(100));
  }
}
