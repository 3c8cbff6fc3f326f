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
import java.util.ArrayList;
import java.util.List;
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
  void localStartConsoleSaysWhenItsPortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        ServerSocket free = new ServerSocket(0)) {
      int localPort = free.getLocalPort();
      free.close();
      // in the foreground, and detached
      for (List<String> mode : List.of(List.<String>of(), List.of("--detach"))) {
        List<String> line =
            new ArrayList<>(
                List.of(
                    "local",
                    "start",
                    "--port",
                    Integer.toString(localPort),
                    "--console",
                    "--console-port",
                    Integer.toString(taken.getLocalPort())));
        line.addAll(mode);
        CliRun run = CliRun.of(line.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.BACKEND);
        assertThat(run.err())
            .isEqualTo(
                "evtctl: port "
                    + taken.getLocalPort()
                    + " on 127.0.0.1 is already in use: give --console-port\n");
      }
    }
  }

  @Test
  void localStartConsoleDetachedPrintsTheConsoleUrlWithTheTokenFromTheEnvironment(@TempDir Path dir)
      throws Exception {
    int localPort = freePort();
    int consolePort = freePort();
    String token = "ci-console-token-0123456789";
    Map<String, String> environment =
        Map.of("EVTCTL_HOME", dir.resolve("home").toString(), "EVTCTL_CONSOLE_TOKEN", token);

    // WHEN local start --detach --console runs in a process of its own
    Process start =
        EvtctlProcess.start(
            dir,
            environment,
            "local",
            "start",
            "--detach",
            "--port",
            Integer.toString(localPort),
            "--console",
            "--console-port",
            Integer.toString(consolePort));
    try {
      assertThat(start.waitFor(90, TimeUnit.SECONDS)).isTrue();
      String err = Files.readString(dir.resolve("err.txt"));
      assertThat(start.exitValue()).as(err).isEqualTo(ExitCode.OK);

      // THEN it returns once the console answers, and prints its URL with the token given
      String url = "http://127.0.0.1:" + consolePort + "/?token=" + token;
      assertThat(err).endsWith("evtctl local: console " + url + "\n");
      HttpClient http = HttpClient.newHttpClient();
      assertThat(get(http, url).statusCode()).isEqualTo(200);
      assertThat(get(http, "http://127.0.0.1:" + consolePort + "/").statusCode()).isEqualTo(403);
      assertThat(get(http, "http://127.0.0.1:" + consolePort + "/?token=other-token-0123456789"))
          .extracting(HttpResponse::statusCode)
          .isEqualTo(403);
    } finally {
      Process stop =
          EvtctlProcess.start(
              Files.createDirectories(dir.resolve("stop")),
              environment,
              "local",
              "stop",
              "--port",
              Integer.toString(localPort));
      assertThat(stop.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    // AND local stop ends both
    assertThat(freeNow(consolePort)).isTrue();
  }

  @Test
  void aConsoleTokenTooShortIsAUsageError() {
    CliRun run =
        CliRun.in(
            Map.of("EVTCTL_CONSOLE_TOKEN", "short"),
            "local",
            "start",
            "--console",
            "--port",
            "4598");
    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err())
        .isEqualTo("evtctl: EVTCTL_CONSOLE_TOKEN must be 16 to 128 letters, digits, '-' or '_'\n");
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }

  /** Free, waiting up to 10 s for a stopping process to let go of it. */
  private static boolean freeNow(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (dev.evtctl.local.FreePort.isFree("127.0.0.1", port)) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
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
