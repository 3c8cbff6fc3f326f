package dev.evtctl.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A running {@code evtctl local start}, as recorded in {@code ~/.evtctl/local-<port>.json} ({@code
 * EVTCTL_HOME} moves it) so that {@code local stop} and {@code local status} find it.
 *
 * @param pid the process running the backends
 * @param port the edge port
 * @param dataDir the data directory, or null for memory only
 */
public record LocalInstance(long pid, int port, String dataDir) {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private static final Pattern STATE_FILE = Pattern.compile("local-(\\d{1,5})\\.json");

  public static Path home() {
    return PrivateFiles.home();
  }

  /** The home in this environment ({@code EVTCTL_HOME}, else ~/.evtctl). */
  public static Path home(Map<String, String> environment) {
    return PrivateFiles.home(environment);
  }

  /** Where redrives keep their audit trails in this environment: dlq redrive's, the console's. */
  public static Path redriveDirectory(Map<String, String> environment) {
    return home(environment).resolve("redrive");
  }

  /**
   * Every instance with a state file in this home, by port: those whose process is gone too (a kill
   * -9 leaves its file), for {@code local status} to show.
   */
  public static List<LocalInstance> recorded(Path home) {
    if (!Files.isDirectory(home)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(home)) {
      return files
          .map(file -> STATE_FILE.matcher(file.getFileName().toString()))
          .filter(Matcher::matches)
          .map(name -> read(home, Integer.parseInt(name.group(1))))
          .flatMap(Optional::stream)
          .sorted(Comparator.comparingInt(LocalInstance::port))
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The instances of this home whose process runs, by port. */
  public static List<LocalInstance> running(Path home) {
    return recorded(home).stream().filter(LocalInstance::alive).toList();
  }

  public static Path stateFile(int port) {
    return home().resolve("local-" + port + ".json");
  }

  public static Path logFile(int port) {
    return home().resolve("local-" + port + ".log");
  }

  /**
   * Where a drain against the local stack on this port keeps its log lines when neither --log-file
   * nor --log-group says otherwise, and where {@code logs --local} reads them: beside the state
   * files, one file a port, private to the user (the lines hold event bodies with --debug).
   */
  public static Path logLinesFile(Path home, int port) {
    return home.resolve("logs").resolve("local-" + port + ".ndjson");
  }

  public static Optional<LocalInstance> read(int port) {
    return read(home(), port);
  }

  public static Optional<LocalInstance> read(Path home, int port) {
    Path file = home.resolve("local-" + port + ".json");
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), LocalInstance.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  public void write() {
    try {
      PrivateFiles.directory(home());
      try (var out = PrivateFiles.writer(stateFile(port))) {
        JSON.writeValue(out, this);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + stateFile(port), e);
    }
  }

  public void forget() {
    forget(home());
  }

  public void forget(Path home) {
    try {
      Files.deleteIfExists(home.resolve("local-" + port + ".json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public boolean alive() {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** Whether an edge endpoint answers its health check on this port within 2 s. */
  /** The instance's edge endpoint. */
  public URI endpoint() {
    return endpoint(port);
  }

  public static URI endpoint(int port) {
    return URI.create("http://127.0.0.1:" + port);
  }

  public static boolean healthy(int port) {
    return healthy(port, Duration.ofSeconds(2));
  }

  /** Whether an edge endpoint answers its health check on this port within the timeout. */
  public static boolean healthy(int port, Duration timeout) {
    try {
      HttpResponse<Void> response =
          HttpClient.newBuilder()
              .connectTimeout(timeout)
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/_evtctl/health"))
                      .timeout(timeout)
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
