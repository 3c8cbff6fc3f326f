package dev.evtctl.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.evtctl.aws.AwsClients;
import dev.evtctl.aws.ClientSettings;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;

/**
 * A real moto_server (CloudWatch Logs and the rest, in Python) on a free loopback port, for the
 * tests of what the emulators in this JVM do not serve. Where moto_server is not on the PATH the
 * test is skipped, not failed (pip install 'moto[server]').
 */
public final class MotoServer implements AutoCloseable {

  private final Process process;
  private final URI endpoint;
  private final Path log;

  private MotoServer(Process process, URI endpoint, Path log) {
    this.process = process;
    this.endpoint = endpoint;
    this.log = log;
  }

  /** Starts moto_server, or skips the test where it is not installed. */
  public static MotoServer start() {
    return start(Map.of());
  }

  /** With environment variables of moto's own (INITIAL_NO_AUTH_ACTION_COUNT turns IAM on). */
  public static MotoServer start(Map<String, String> environment) {
    Path executable = onPath("moto_server");
    assumeTrue(executable != null, "moto_server is not on the PATH");
    int port = CloudWatchLogsOutage.deadPort();
    try {
      Path log = Files.createTempFile("moto-" + port + "-", ".log");
      ProcessBuilder builder =
          new ProcessBuilder(executable.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().putAll(environment);
      MotoServer moto =
          new MotoServer(builder.start(), URI.create("http://127.0.0.1:" + port), log);
      moto.awaitAnswer(Duration.ofSeconds(60));
      return moto;
    } catch (IOException e) {
      throw new UncheckedIOException("moto_server did not start", e);
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  /** A CloudWatch Logs client of the test's own, on moto. */
  public CloudWatchLogsClient logs(ExecutionInterceptor... interceptors) {
    ClientSettings settings = ClientSettings.emulator(endpoint, Map.of());
    for (ExecutionInterceptor interceptor : interceptors) {
      settings = settings.withInterceptor(interceptor);
    }
    return new AwsClients(settings, UrlConnectionHttpClient.builder().build()).logs();
  }

  /** CloudWatch Logs' async client (StartLiveTail), on moto, as {@code logs --follow} builds it. */
  public CloudWatchLogsAsyncClient logsAsync() {
    return new AwsClients(
            ClientSettings.emulator(endpoint, Map.of()), UrlConnectionHttpClient.builder().build())
        .logsAsync();
  }

  /** Every event of a stream, oldest first (GetLogEvents pages until the token repeats). */
  public static List<OutputLogEvent> events(
      CloudWatchLogsClient logs, String group, String stream) {
    List<OutputLogEvent> events = new ArrayList<>();
    String token = null;
    while (true) {
      String from = token;
      var page =
          logs.getLogEvents(
              request ->
                  request
                      .logGroupName(group)
                      .logStreamName(stream)
                      .startFromHead(true)
                      .nextToken(from));
      events.addAll(page.events());
      if (page.nextForwardToken() == null || page.nextForwardToken().equals(from)) {
        return events;
      }
      token = page.nextForwardToken();
    }
  }

  /** One request of the AWS query protocol (IAM), unsigned: for moto's no-auth start-up actions. */
  public String query(String service, String form) {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint.resolve("/"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/"
                    + service
                    + "/aws4_request, SignedHeaders=host, Signature=0")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            form + ": HTTP " + response.statusCode() + " " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void awaitAnswer(Duration timeout) throws IOException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("moto_server exited: " + Files.readString(log));
      }
      try {
        client.send(
            HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).build(),
            HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException notYet) {
        sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    close();
    throw new IOException("moto_server did not answer within " + timeout);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Path onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String directory : path.split(File.pathSeparator)) {
      Path candidate = Path.of(directory, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      // a temporary file
    }
  }
}
