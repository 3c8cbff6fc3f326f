package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evtctl.testing.CliRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The demo, end to end: every step does what it says, the report says so, and it leaves nothing
 * behind.
 */
class DemoCommandTest {

  @Test
  void theDemoRunsEveryStepAndReportsThem() {
    // The structured log lines go to the process's stderr: watch it while the demo runs, in a
    // terminal 100 columns wide.
    java.util.Map<String, String> environment = new java.util.HashMap<>(System.getenv());
    environment.put("COLUMNS", "100");
    PrintStream processErr = System.err;
    ByteArrayOutputStream logged = new ByteArrayOutputStream();
    CliRun demo;
    try {
      System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
      demo = CliRun.in(environment, "demo");
    } finally {
      System.setErr(processErr);
    }

    assertThat(demo.exitCode()).as(demo.out() + demo.err()).isZero();
    assertThat(demo.out())
        .contains("Report: 20 of 20 steps did what they said.")
        .contains("AUTH_IPV_AUTHORISATION_REQUESTED: stored")
        .contains("✓ the throttled event is in the DLQ after 2 tries (max receive count 2)")
        .contains("✓ a CI assertion: the redriven event is there, exactly once")
        .contains("met:     expected AUTH_IPV_AUTHORISATION_REQUESTED=1, found 1")
        .contains("$ evtctl --local dlq redrive -q demo-txma-dlq")
        .contains("'drain --fail-writes 20%' stages the same")
        .doesNotContain("✗")
        .doesNotContain("Initializing DynamoDB Local");
    // The staged throttling's log lines are part of the drain's step, counted, not JSON amid it.
    assertThat(demo.out())
        .containsPattern("\n    log: [0-9]+ × ERROR ERROR_WRITING_EVENT_TO_EVENTS_TABLE\n")
        .doesNotContain("{\"timestamp\"");
    assertThat(logged.toString(StandardCharsets.UTF_8)).doesNotContain("ERROR_WRITING_EVENT");
    // The folder its commands name (the stuck event's file, the audit trail) is gone.
    Matcher folder = Pattern.compile("--file (\\S+)/stuck\\.ndjson").matcher(demo.out());
    assertThat(folder.find()).as(demo.out()).isTrue();
    assertThat(Files.exists(Path.of(folder.group(1)))).as(folder.group(1)).isFalse();
    // A terminal's width: every line of the tour but the commands, and the path of the audit trail
    // (a file under EVTCTL_HOME, however deep that is), fits 100 columns.
    String home = environment.getOrDefault("EVTCTL_HOME", System.getProperty("user.home"));
    assertThat(demo.out().lines().filter(l -> !l.contains("$ evtctl") && !l.contains(home)))
        .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(100));

    // With nothing running, logs and trace still show what the demo did to the event it traced.
    Matcher traced =
        Pattern.compile("\n  evtctl (--local\\S*) trace (\\S+) -q demo-txma\n").matcher(demo.out());
    assertThat(traced.find()).as(demo.out()).isTrue();
    String local = traced.group(1);
    String session = traced.group(2);
    CliRun logs = CliRun.in(environment, "logs", local, "--session", session, "-o", "ndjson");
    assertThat(logs.exitCode()).as(logs.err()).isZero();
    assertThat(logs.out().lines().map(line -> line.replaceAll(".*\"code\":\"([A-Z_]+)\".*", "$1")))
        .containsSubsequence(
            "MESSAGE_SENT",
            "ERROR_WRITING_EVENT_TO_EVENTS_TABLE",
            "RETRY_BACKOFF",
            "EVENT_PERSISTED");
    CliRun trace = CliRun.in(environment, local, "trace", session, "-q", "demo-txma");
    assertThat(trace.exitCode()).as(trace.out() + trace.err()).isZero();
    assertThat(trace.out())
        .contains("AUTH_IPV_AUTHORISATION_REQUESTED: stored (per the logs; not found in the table)")
        .contains(" seed ")
        .contains(" redrive ");
    assertThat(trace.err()).contains("the queues and the table were not searched: cannot reach");
  }
}
