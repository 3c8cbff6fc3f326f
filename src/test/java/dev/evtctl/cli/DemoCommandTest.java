package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evtctl.testing.CliRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    Map<String, String> environment = new HashMap<>(System.getenv());
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
        .contains(
            "See it in a browser: 'evtctl demo --console' keeps the demo's queues and tables up")
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

  @Test
  void withConsoleTheDemoStaysUpWithTheConsoleOverItsTablesUntilStopped() throws Exception {
    int consolePort;
    try (ServerSocket socket = new ServerSocket(0)) {
      consolePort = socket.getLocalPort();
    }
    String token = "demo-console-token-0123456789";
    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.put("EVTCTL_CONSOLE_TOKEN", token);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger exit = new AtomicInteger(-1);
    Thread demo =
        new Thread(
            () ->
                exit.set(
                    Evtctl.run(
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        environment,
                        "--no-color",
                        "demo",
                        "--console",
                        "--console-port",
                        Integer.toString(consolePort))));
    demo.start();
    try {
      // WHEN the tour is over, THEN the console's URL, with the token, ends the output
      String url = "http://127.0.0.1:" + consolePort + "/?token=" + token;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
      while (!out.toString().contains("Console: " + url) && demo.isAlive()) {
        assertThat(System.nanoTime()).as(out.toString()).isLessThan(deadline);
        Thread.sleep(200);
      }
      assertThat(out.toString())
          .as(out + "" + err)
          .contains("Report: 20 of 20 steps did what they said.")
          .endsWith("Console: " + url + "\n  the demo's queues and tables, up until Ctrl-C.\n")
          .doesNotContain("evtctl demo --console");
      // and it serves the console, and the Events API over the demo's txma table
      Matcher traced =
          Pattern.compile("\n  evtctl \\S+ trace (\\S+) -q demo-txma\n").matcher(out.toString());
      assertThat(traced.find()).isTrue();
      HttpClient http = HttpClient.newHttpClient();
      assertThat(get(http, url).statusCode()).isEqualTo(200);
      HttpResponse<String> events =
          get(
              http,
              "http://127.0.0.1:"
                  + consolePort
                  + "/events?pkPrefix=SESSION%23"
                  + traced.group(1)
                  + "&skPrefix=TXMA");
      assertThat(events.statusCode()).as(events.body()).isEqualTo(200);
      assertThat(events.body()).contains("\"event_name\":\"AUTH_IPV_AUTHORISATION_REQUESTED\"");
    } finally {
      demo.interrupt();
      demo.join(TimeUnit.SECONDS.toMillis(30));
    }
    // Stopped, it ends with the report's verdict and frees the port.
    assertThat(demo.isAlive()).isFalse();
    assertThat(exit.get()).isZero();
    try (ServerSocket socket = new ServerSocket(consolePort)) {
      assertThat(socket.getLocalPort()).isEqualTo(consolePort);
    }
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
