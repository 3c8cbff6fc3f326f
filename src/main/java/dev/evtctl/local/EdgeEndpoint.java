package dev.evtctl.local;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One endpoint for SQS and DynamoDB, as LocalStack's port 4566: each request is sent on to
 * ElasticMQ or DynamoDB Local by what the request itself says. In order: the {@code X-Amz-Target}
 * header (JSON protocols: {@code DynamoDB_20120810.PutItem}, {@code AmazonSQS.SendMessage}), the
 * service in the SigV4 credential scope ({@code Credential=AKID/20261123/us-east-1/sqs/...}), a
 * form body with {@code Action=} (the SQS query protocol), a queue URL path. {@code GET
 * /_evtctl/health} answers for the edge itself. Two SQS calls ElasticMQ gets wrong are answered or
 * completed here ({@link DeadLetterCalls}).
 *
 * <p>A web page must not be able to use it (cross-site request forgery, DNS rebinding): a request
 * carrying a browser's {@code Origin}, a {@code Host} that is not this endpoint's own, or no
 * signature at all ({@code Authorization}: every SDK and awscli sign, with any credentials; a form
 * a page posts cannot) is refused with 403, unless the user allowed the origin.
 */
public final class EdgeEndpoint implements AutoCloseable {

  /** The services behind the edge. */
  public enum Service {
    SQS,
    DYNAMODB
  }

  private static final Pattern CREDENTIAL_SCOPE =
      Pattern.compile("Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request");

  /** Hop-by-hop and length headers the JDK client sets itself (RFC 9110 §7.6.1). */
  private static final Set<String> NOT_FORWARDED =
      Set.of(
          "connection",
          "content-length",
          "expect",
          "host",
          "upgrade",
          "transfer-encoding",
          "keep-alive",
          "proxy-connection",
          "te",
          "trailer");

  private final HttpServer server;
  private final ExecutorService executor;
  private final HttpClient client;
  private final Map<Service, URI> targets;
  private final int port;
  private final Set<String> allowedOrigins;
  private final boolean anyHost;
  private final DeadLetterSources deadLetterSources;
  private final DeadLetterCalls deadLetterCalls;
  private final RepeatedDeletes repeatedDeletes = new RepeatedDeletes();

  private EdgeEndpoint(
      HttpServer server,
      ExecutorService executor,
      Map<Service, URI> targets,
      Set<String> allowedOrigins,
      boolean anyHost) {
    this.server = server;
    this.executor = executor;
    this.targets = targets;
    this.port = server.getAddress().getPort();
    this.allowedOrigins = allowedOrigins;
    this.anyHost = anyHost;
    this.deadLetterSources = new DeadLetterSources(targets.get(Service.SQS));
    this.deadLetterCalls = new DeadLetterCalls(deadLetterSources);
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(executor)
            .build();
  }

  /**
   * @param host the interface to listen on (127.0.0.1 keeps it private to this machine)
   * @param port the port, or 0 for a free one
   * @param allowedOrigins browser origins allowed to use it ({@code *}: any, and any Host)
   */
  public static EdgeEndpoint start(
      String host, int port, URI sqs, URI dynamoDb, Set<String> allowedOrigins) {
    // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's
    // delayed ACK: about 40 ms per request.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 256);
      AtomicInteger threads = new AtomicInteger();
      ExecutorService executor =
          Executors.newCachedThreadPool(
              task -> {
                Thread thread = new Thread(task, "evtctl-edge-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
              });
      EdgeEndpoint edge =
          new EdgeEndpoint(
              server,
              executor,
              Map.of(Service.SQS, sqs, Service.DYNAMODB, dynamoDb),
              Set.copyOf(allowedOrigins),
              allowedOrigins.contains("*") || !InetAddress.getByName(host).isLoopbackAddress());
      server.createContext("/", edge::handle);
      server.setExecutor(executor);
      server.start();
      return edge;
    } catch (IOException e) {
      if (e instanceof java.net.BindException
          && String.valueOf(e.getMessage()).contains("in use")) {
        throw new PortInUseException(host, port);
      }
      throw new EmbeddedBackendException(
          "the edge endpoint cannot listen on " + host + ":" + port + " (" + e.getMessage() + ")",
          e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getRawPath();
      if (path.equals("/_evtctl/health") || path.equals("/_localstack/health")) {
        health(exchange);
        return;
      }
      String refusal = refusal(exchange.getRequestHeaders());
      if (refusal != null) {
        respond(exchange, 403, "{\"__type\":\"AccessDenied\",\"message\":\"" + refusal + "\"}");
        return;
      }
      Service service = route(exchange.getRequestHeaders(), path, body);
      if (service == null) {
        String other = otherService(exchange.getRequestHeaders());
        respond(
            exchange,
            400,
            other == null
                ? "{\"__type\":\"UnknownService\",\"message\":\"evtctl edge: cannot tell whether"
                    + " this request is for SQS or DynamoDB\"}"
                : "{\"__type\":\"UnknownService\",\"message\":\"the evtctl edge endpoint serves"
                    + " SQS and DynamoDB, not "
                    + other
                    + (other.equals("logs")
                        ? ": point AWS_ENDPOINT_URL_CLOUDWATCH_LOGS at a CloudWatch Logs endpoint"
                        : "")
                    + "\"}");
        return;
      }
      String rawQuery = exchange.getRequestURI().getRawQuery();
      if (service == Service.SQS) {
        DeadLetterCalls.Handling handling;
        try {
          handling = deadLetterCalls.handle(exchange.getRequestHeaders(), rawQuery, body);
        } catch (RuntimeException e) {
          respond(exchange, 502, "{\"message\":\"evtctl edge: " + printable(e.toString()) + "\"}");
          return;
        }
        if (handling instanceof DeadLetterCalls.Answer answer) {
          answer.headers().forEach(exchange.getResponseHeaders()::set);
          exchange.sendResponseHeaders(answer.status(), answer.body().length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer.body());
          }
          return;
        }
        if (handling instanceof DeadLetterCalls.Rewrite rewrite) {
          body = rewrite.body();
          rawQuery = rewrite.rawQuery();
        }
      }
      forward(exchange, targets.get(service), body, rawQuery);
    }
  }

  /**
   * The health of both services, unauthenticated, for tools that wait for an endpoint to be up: in
   * LocalStack's shape ({@code /_localstack/health}: services by state, edition, version) on both
   * paths. Only a GET: LocalStack's POST and PUT there restart or store state, which the edge does
   * not do.
   */
  private static void health(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    if (!method.equals("GET")) {
      exchange.getResponseHeaders().set("Allow", "GET");
      respond(exchange, 405, "{\"message\":\"evtctl edge: the health endpoint answers GET only\"}");
      return;
    }
    respond(
        exchange,
        200,
        "{\"services\":{\"sqs\":\"running\",\"dynamodb\":\"running\"},"
            + "\"edition\":\"community\",\"version\":\""
            + VERSION
            + "\"}");
  }

  /** evtctl's version, as the build wrote it (evtctl-version.properties). */
  private static final String VERSION = version();

  private static String version() {
    java.util.Properties properties = new java.util.Properties();
    try (var in =
        EdgeEndpoint.class.getClassLoader().getResourceAsStream("evtctl-version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      // unknown below
    }
    return properties.getProperty("version", "unknown").replaceAll("[^A-Za-z0-9.+-]", "");
  }

  /** Why a request that may come from a web page is refused, or null when it is not. */
  String refusal(Headers headers) {
    String origin = headers.getFirst("Origin");
    if (origin != null && !allowedOrigins.contains("*") && !allowedOrigins.contains(origin)) {
      return "evtctl edge: requests from web pages are refused (Origin "
          + printable(origin)
          + "); evtctl local start --allow-origin ORIGIN allows one";
    }
    String host = headers.getFirst("Host");
    if (!anyHost && host != null && !isOwnHost(host)) {
      return "evtctl edge: Host "
          + printable(host)
          + " is not this endpoint (127.0.0.1:"
          + port
          + ")";
    }
    if (headers.getFirst("Authorization") == null && origin == null) {
      return "evtctl edge: unsigned requests are refused; sign with any credentials"
          + " (AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test)";
    }
    return null;
  }

  /** 127.0.0.1, localhost or [::1], with this port or none (RFC 9110 §7.2). */
  private boolean isOwnHost(String host) {
    String name = host;
    String suffix = ":" + port;
    if (name.endsWith(suffix)) {
      name = name.substring(0, name.length() - suffix.length());
    }
    return name.equals("127.0.0.1") || name.equalsIgnoreCase("localhost") || name.equals("[::1]");
  }

  /** A header value for a message: printable ASCII, at most 64 characters. */
  private static String printable(String value) {
    String cut = value.length() > 64 ? value.substring(0, 64) + "..." : value;
    return cut.replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "?");
  }

  /** The service a request is for, or null. */
  static Service route(Headers headers, String path, byte[] body) {
    String target = headers.getFirst("X-Amz-Target");
    if (target != null) {
      if (target.startsWith("DynamoDB")) {
        return Service.DYNAMODB;
      }
      if (target.startsWith("AmazonSQS")) {
        return Service.SQS;
      }
    }
    String authorization = headers.getFirst("Authorization");
    if (authorization != null) {
      Matcher scope = CREDENTIAL_SCOPE.matcher(authorization);
      if (scope.find()) {
        switch (scope.group(1).toLowerCase(Locale.ROOT)) {
          case "sqs":
            return Service.SQS;
          case "dynamodb":
            return Service.DYNAMODB;
          default:
            break;
        }
      }
    }
    String form = new String(body, 0, Math.min(body.length, 256), StandardCharsets.UTF_8);
    if (form.startsWith("Action=") || form.contains("&Action=")) {
      return Service.SQS;
    }
    if (path.startsWith("/" + EmbeddedSqs.ACCOUNT_ID + "/") || path.startsWith("/queue/")) {
      return Service.SQS;
    }
    return null;
  }

  /** The service a request the edge cannot route names in its SigV4 scope ("logs"), or null. */
  private static String otherService(Headers headers) {
    String authorization = headers.getFirst("Authorization");
    if (authorization == null) {
      return null;
    }
    Matcher scope = CREDENTIAL_SCOPE.matcher(authorization);
    return scope.find() ? scope.group(1).replaceAll("[^A-Za-z0-9-]", "") : null;
  }

  private void forward(HttpExchange exchange, URI target, byte[] body, String rawQuery)
      throws IOException {
    URI uri =
        target.resolve(
            exchange.getRequestURI().getRawPath() + (rawQuery == null ? "" : "?" + rawQuery));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(60))
            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
              }
            });
    HttpResponse<byte[]> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      respond(exchange, 503, "{\"message\":\"evtctl edge: interrupted\"}");
      return;
    } catch (IOException e) {
      respond(
          exchange,
          502,
          "{\"message\":\"evtctl edge: backend unreachable: " + e.getMessage() + "\"}");
      return;
    }
    response
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
              }
            });
    byte[] responseBody = response.body();
    int status = response.statusCode();
    String operation = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    if (operation != null && operation.startsWith("AmazonSQS.Delete")) {
      RepeatedDeletes.Answer answer = repeatedDeletes.answer(operation, body, status, responseBody);
      status = answer.status();
      responseBody = answer.body();
    }
    exchange.sendResponseHeaders(status, responseBody.length == 0 ? -1 : responseBody.length);
    if (responseBody.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(responseBody);
      }
    }
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    deadLetterSources.close();
  }
}
