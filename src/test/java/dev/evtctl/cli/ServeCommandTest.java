package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evtctl.testing.CliRun;
import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.EvtctlProcess;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** evtctl serve as a user runs it: the URLs it prints, a taken port, Ctrl-C. */
@ExtendWith(EmbeddedAws.class)
class ServeCommandTest {

  private static final Pattern CONSOLE =
      Pattern.compile("console (http://127\\.0\\.0\\.1:(\\d+)/\\?token=([0-9a-f]{32}))");

  @Test
  void aTakenPortFailsWithinTwoSecondsInOneLineWithExit4() throws Exception {
    for (String host : new String[] {"127.0.0.1", "0.0.0.0"}) {
      try (ServerSocket taken = new ServerSocket()) {
        taken.bind(new InetSocketAddress(InetAddress.getByName(host), 0), 50);
        int port = taken.getLocalPort();
        long started = System.nanoTime();
        CliRun run = CliRun.of("--region", "eu-west-2", "serve", "--port", Integer.toString(port));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.BACKEND);
        assertThat(run.err())
            .isEqualTo(
                "evtctl: port "
                    + port
                    + " on 127.0.0.1 is already in use: stop what uses it or give --port\n");
      }
    }
  }

  @Test
  void anAddressOtherThanLoopbackIsWarnedAbout() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0), 50);
      CliRun run =
          CliRun.of(
              "--region",
              "eu-west-2",
              "serve",
              "--bind",
              "0.0.0.0",
              "--port",
              Integer.toString(taken.getLocalPort()));
      assertThat(run.err()).startsWith("evtctl serve: warning: listening on 0.0.0.0, not loopback");
      assertThat(run.exitCode()).isEqualTo(ExitCode.BACKEND);
    }
  }

  @Test
  void localStartConsoleRunsInTheForegroundAndSaysWhenItsPortIsTaken() throws Exception {
    CliRun detached = CliRun.of("local", "start", "--detach", "--console", "--port", "4599");
    assertThat(detached.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(detached.err()).contains("--console runs in the foreground");
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        ServerSocket free = new ServerSocket(0)) {
      int localPort = free.getLocalPort();
      free.close();
      CliRun run =
          CliRun.of(
              "local",
              "start",
              "--port",
              Integer.toString(localPort),
              "--console",
              "--console-port",
              Integer.toString(taken.getLocalPort()));
      assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.BACKEND);
      assertThat(run.err())
          .contains("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use");
    }
  }

  @Test
  void servesUntilSigtermThenExits130(EmbeddedAws.Backends backends, @TempDir Path dir)
      throws Exception {
    // GIVEN serve running as its own process, on any free port
    Process serve =
        EvtctlProcess.start(
            dir,
            Map.of(),
            "--endpoint-url",
            backends.edge(),
            "serve",
            "--port",
            "0",
            "--table",
            "serve-cli-events");
    Matcher console = CONSOLE.matcher("");
    long deadline = System.currentTimeMillis() + 60_000;
    while (!console.find() && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
      console = CONSOLE.matcher(Files.readString(dir.resolve("out.txt")));
    }
    assertThat(console.find(0)).as(Files.readString(dir.resolve("err.txt"))).isTrue();
    String out = Files.readString(dir.resolve("out.txt"));
    assertThat(out)
        .contains("evtctl serve: listening on http://127.0.0.1:" + console.group(2) + "/")
        .contains(
            "Events API http://127.0.0.1:" + console.group(2) + "/events over serve-cli-events");

    // WHEN the Events API is asked (the table does not exist), THEN it answers, with the reason
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + console.group(2)
                                + "/events?pkPrefix=SESSION%23a&skPrefix=TXMA"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(404);

    // AND SIGTERM ends it with 130
    serve.destroy();
    assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(serve.exitValue()).isEqualTo(ExitCode.INTERRUPTED);
    assertThat(Files.readString(dir.resolve("out.txt"))).endsWith("evtctl serve: stopped\n");
  }
}
