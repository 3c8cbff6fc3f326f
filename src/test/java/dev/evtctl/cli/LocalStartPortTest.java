package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evtctl.testing.CliRun;
import dev.evtctl.testing.EvtctlProcess;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A port that is taken fails {@code local start} at once, saying so in one line (exit 2): it waited
 * 62 s for a health check, started both emulators, and said "see log".
 */
class LocalStartPortTest {

  /** A program on the port that accepts connections and never answers, as a stuck server does. */
  private static ServerSocket squatter(String host) throws Exception {
    ServerSocket socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0), 50);
    return socket;
  }

  @Test
  void aTakenPortFailsAtOnceInOneLine() throws Exception {
    // GIVEN another program listening on the port, on 127.0.0.1 or on every interface
    for (String host : new String[] {"127.0.0.1", "0.0.0.0"}) {
      try (ServerSocket taken = squatter(host)) {
        int port = taken.getLocalPort();
        for (String mode : new String[] {"--port", "--detach"}) {
          // WHEN local start runs there, in the foreground or detached
          long started = System.nanoTime();
          CliRun run =
              mode.equals("--detach")
                  ? CliRun.of("local", "start", "--detach", "--port", Integer.toString(port))
                  : CliRun.of("local", "start", "--port", Integer.toString(port));
          Duration took = Duration.ofNanos(System.nanoTime() - started);

          // THEN it fails within 2 s, saying why in one line
          assertThat(took).as("%s %s", host, mode).isLessThan(Duration.ofSeconds(2));
          assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.USAGE);
          assertThat(run.err())
              .isEqualTo("evtctl: port " + port + " on 127.0.0.1 is already in use\n");
        }
      }
    }
  }

  @Test
  void theBackgroundProcessReportsWhyItStoppedToTheCommandThatStartedIt(@TempDir Path dir)
      throws Exception {
    // GIVEN a data directory that cannot be one (a file), which only the background process finds
    Path notADirectory = Files.writeString(dir.resolve("file"), "");
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }

    // WHEN local start --detach starts it (its own JVM, with its own EVTCTL_HOME)
    Process start =
        EvtctlProcess.start(
            dir,
            Map.of("EVTCTL_HOME", dir.resolve("home").toString()),
            "local",
            "start",
            "--detach",
            "--port",
            Integer.toString(port),
            "--data-dir",
            notADirectory.toString());
    assertThat(start.waitFor(60, TimeUnit.SECONDS)).isTrue();

    // THEN it says the child's reason, not "see log", with the child's log named
    String err = Files.readString(dir.resolve("err.txt"));
    assertThat(start.exitValue()).as(err).isEqualTo(ExitCode.BACKEND);
    assertThat(err)
        .startsWith("evtctl: cannot create " + notADirectory.resolve("dynamodb"))
        .contains("(log: " + dir.resolve("home").resolve("local-" + port + ".log") + ")")
        .hasLineCount(1);
  }

  @Test
  void theBackgroundProcessItselfRefusesATakenPortBeforeStartingAnything(@TempDir Path dir)
      throws Exception {
    // GIVEN a port taken after the command that spawns the background process looked (a race),
    // as the background process itself sees it: `local start` in the foreground, in its own JVM
    try (ServerSocket taken = squatter("127.0.0.1")) {
      int port = taken.getLocalPort();

      long started = System.nanoTime();
      Process child =
          EvtctlProcess.start(
              dir,
              Map.of("EVTCTL_HOME", dir.resolve("home").toString()),
              "local",
              "start",
              "--port",
              Integer.toString(port));
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      // THEN it exits with the one line, having started no emulator (JVM start included)
      assertThat(child.exitValue()).isEqualTo(ExitCode.USAGE);
      assertThat(Files.readString(dir.resolve("err.txt")))
          .isEqualTo("evtctl: port " + port + " on 127.0.0.1 is already in use\n");
      assertThat(took).isLessThan(Duration.ofSeconds(15));
    }
  }
}
