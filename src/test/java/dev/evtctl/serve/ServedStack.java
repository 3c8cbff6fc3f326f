package dev.evtctl.serve;

import dev.evtctl.aws.AwsClients;
import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.stack.Stack;
import dev.evtctl.core.stack.StackNames;
import dev.evtctl.local.PrivateFiles;
import dev.evtctl.testing.CliRun;
import dev.evtctl.testing.EmbeddedAws;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/** A stack of a pipeline on the embedded backends, with serve in front of it, for one test. */
final class ServedStack implements AutoCloseable {

  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final EmbeddedAws.Backends backends;
  final StackNames names;
  final String queueUrl;
  final EvtctlServer server;
  final String token = EvtctlServer.newToken();
  final String pipeline;

  /** A stack of the pipeline, and serve with its table as the Events API's or /messages'. */
  ServedStack(EmbeddedAws.Backends backends, String pipeline) {
    this(backends, pipeline, null, null);
  }

  /**
   * The same, the console's redrives writing their audit trails in {@code auditDirectory}, its
   * trace reading them and the log lines in {@code logLines} (a file drain writes; or null).
   */
  ServedStack(
      EmbeddedAws.Backends backends,
      String pipeline,
      java.nio.file.Path auditDirectory,
      java.nio.file.Path logLines) {
    this.backends = backends;
    this.pipeline = pipeline;
    this.names =
        new StackNames(pipeline + "-" + UUID.randomUUID().toString().substring(0, 8), false);
    new Stack(backends.sqs(), backends.dynamoDb())
        .create(Pipelines.builtIn(pipeline), names, 3, 30);
    this.queueUrl = backends.sqs().getQueueUrl(r -> r.queueName(names.queue())).queueUrl();
    boolean txma = pipeline.equals("txma");
    this.server =
        EvtctlServer.start(
            new ServeSettings(
                "127.0.0.1",
                0,
                txma ? names.eventsTable() : null,
                txma ? null : names.queue(),
                txma ? null : names.eventsTable(),
                token,
                auditDirectory,
                file ->
                    PrivateFiles.writer(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND),
                logLines == null
                    ? null
                    : new dev.evtctl.core.trace.SourceLines(
                        new dev.evtctl.core.logs.FileLogs(logLines))),
            clients(backends));
  }

  static AwsClients clients(EmbeddedAws.Backends backends) {
    return new AwsClients(backends.settings(), UrlConnectionHttpClient.builder().build());
  }

  void send(String body) {
    backends.sqs().sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));
  }

  /** Drains the stack's queue with the CLI, as a user would. */
  CliRun drain(String... options) {
    List<String> line =
        new ArrayList<>(
            List.of(
                "--endpoint-url", backends.edge(), "drain", "-p", pipeline, "-q", names.queue()));
    line.addAll(List.of(options));
    return CliRun.of(line.toArray(String[]::new));
  }

  URI uri(String pathAndQuery) {
    return server
        .url()
        .resolve(pathAndQuery.startsWith("/") ? pathAndQuery.substring(1) : pathAndQuery);
  }

  HttpResponse<String> get(String pathAndQuery, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery)).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request.build());
  }

  HttpResponse<String> post(String path, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json");
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request.build());
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
