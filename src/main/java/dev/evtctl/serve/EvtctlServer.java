package dev.evtctl.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evtctl.aws.AwsClients;
import dev.evtctl.core.pipeline.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.BindException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * evtctl's HTTP door: the Events API, seed 001's /messages and the console, on Javalin (Jetty),
 * against the SQS and DynamoDB the clients reach. {@link #start} listens; {@link #close} stops.
 */
public final class EvtctlServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EvtctlServer.class);

  private final ServeSettings settings;
  private final Javalin app;
  private final QueueSampler sampler;

  private EvtctlServer(ServeSettings settings, Javalin app, QueueSampler sampler) {
    this.settings = settings;
    this.app = app;
    this.sampler = sampler;
  }

  /** Sets the console's token instead of a random one, as JUPYTER_TOKEN does Jupyter's. */
  public static final String TOKEN_VARIABLE = "EVTCTL_CONSOLE_TOKEN";

  private static final java.util.regex.Pattern TOKEN_SHAPE =
      java.util.regex.Pattern.compile("[A-Za-z0-9_-]{16,128}");

  /** A token for the console: 128 random bits, as hex (Jupyter's is 192 bits of hex). */
  public static String newToken() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * The console's token: {@value #TOKEN_VARIABLE} when the environment sets it (a CI job or a
   * detached local stack that knows it beforehand), else a new random one.
   *
   * @throws IllegalArgumentException when the variable is set but too short or not URL-safe
   */
  public static String token(java.util.Map<String, String> environment) {
    String given = environment.get(TOKEN_VARIABLE);
    if (given == null || given.isEmpty()) {
      return newToken();
    }
    if (!TOKEN_SHAPE.matcher(given).matches()) {
      throw new IllegalArgumentException(
          TOKEN_VARIABLE + " must be 16 to 128 letters, digits, '-' or '_'");
    }
    return given;
  }

  /** The console's URL on this machine's loopback, with its token. */
  public static URI consoleUrl(int port, String token) {
    return URI.create(
        "http://127.0.0.1:" + port + "/?" + RequestGuard.TOKEN_PARAMETER + "=" + token);
  }

  /** Whether the address is this machine's loopback (127.0.0.0/8, ::1, localhost). */
  public static boolean isLoopback(String bind) {
    try {
      return InetAddress.getByName(bind).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * Listens on the settings' address and port.
   *
   * @throws PortTakenException when another program has the port
   */
  public static EvtctlServer start(ServeSettings settings, AwsClients clients) {
    RequestGuard guard = new RequestGuard(settings.token(), isLoopback(settings.bind()));
    EventsApi events = new EventsApi(clients.dynamoDb(), settings.eventsTable());
    MessagesApi messages =
        new MessagesApi(
            clients.sqs(), clients.dynamoDb(), settings.messagesQueue(), settings.messagesTable());
    ConsoleApi console = new ConsoleApi(clients.sqs(), clients.dynamoDb(), settings);
    QueueSampler sampler = new QueueSampler(clients.sqs());
    Javalin app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              // No Server: header naming Jetty's version.
              config.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
              config.routes.before(guard::checkHost);
              config.routes.get(EventsApi.PATH, events::get);
              config.routes.get("/", ctx -> console(ctx, guard, settings.token()));
              // The console's own assets, and the chart library from its WebJar: nothing from
              // any other server.
              config.staticFiles.add(
                  files -> {
                    files.hostedPath = "/assets";
                    files.directory = "/console/assets";
                    files.location = io.javalin.http.staticfiles.Location.CLASSPATH;
                    files.headers = java.util.Map.of("X-Content-Type-Options", "nosniff");
                  });
              config.staticFiles.enableWebjars();
              config.routes.before(
                  "/api/*",
                  ctx -> {
                    if (ctx.method() == HandlerType.GET) {
                      guard.requireToken(ctx);
                    } else {
                      guard.requireConsoleChange(ctx);
                    }
                  });
              config.routes.get("/api/queues", console::queues);
              config.routes.sse("/api/depth", sampler::listen);
              config.routes.get("/api/queues/{queue}/messages", console::peek);
              config.routes.post("/api/queues/{queue}/redrive", console::redrive);
              config.routes.post("/api/queues/{queue}/purge", console::purge);
              config.routes.get("/api/events", console::events);
              config.routes.get("/api/trace", console::trace);
              config.routes.post(
                  "/messages",
                  ctx -> {
                    guard.requireMessagesPost(ctx);
                    messages.post(ctx);
                  });
              config.routes.get("/messages", messages::byCompany);
              config.routes.get("/messages/{message_id}", messages::one);
              config.routes.exception(RequestFailedException.class, EvtctlServer::refuse);
              config.routes.exception(
                  SdkException.class,
                  (e, ctx) -> refuse(BackendFailures.of(e, "the resource"), ctx));
              config.routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    // No stack trace, no request body to the client or the log: only the kind.
                    LOG.warn("{} {} failed: {}", ctx.method(), ctx.path(), e.getClass().getName());
                    LOG.debug("request failed", e);
                    refuse(new RequestFailedException(500, "internal error"), ctx);
                  });
            });
    try {
      app.start(settings.bind(), settings.port());
    } catch (RuntimeException e) {
      app.stop();
      if (bindFailure(e)) {
        throw new PortTakenException(settings.bind(), settings.port());
      }
      throw e;
    }
    return new EvtctlServer(settings, app, sampler);
  }

  /**
   * The console's page: with the token (the URL printed at start), which it then keeps in a
   * same-site, HTTP-only cookie, so the page's own requests carry it; without, 403.
   */
  private static void console(Context ctx, RequestGuard guard, String token)
      throws java.io.IOException {
    guard.requireToken(ctx);
    if (guard.hasTokenParameter(ctx)) {
      ctx.header(
          "Set-Cookie",
          RequestGuard.TOKEN_COOKIE
              + "="
              + ctx.queryParam(RequestGuard.TOKEN_PARAMETER)
              + "; Path=/; HttpOnly; SameSite=Strict");
    }
    ctx.header("Cache-Control", "no-store");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    // Every asset from evtctl itself: no script, style or connection to any other server.
    ctx.header(
        "Content-Security-Policy",
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
            + " frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
    try (java.io.InputStream page = EvtctlServer.class.getResourceAsStream("/console/index.html")) {
      ctx.contentType("text/html; charset=utf-8")
          .result(
              new String(page.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                  // the page's own scripts send it in the X-Evtctl-Token header of each change
                  .replace("{{token}}", token));
    }
  }

  private static boolean bindFailure(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof BindException || cause instanceof io.javalin.util.JavalinBindException) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }

  private static void refuse(RequestFailedException e, Context ctx) {
    if (ctx.path().equals(EventsApi.PATH) && ctx.method() == HandlerType.GET) {
      EventsApi.refuse(ctx, e);
      return;
    }
    ObjectNode body = Json.MAPPER.createObjectNode().put("error", e.getMessage());
    ctx.header("Cache-Control", "no-store");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.status(e.status()).contentType("application/json").result(body.toString());
  }

  /** The port it listens on (the one chosen, when the settings asked for any). */
  public int port() {
    return app.port();
  }

  /** The base URL, for a browser on this machine. */
  public URI url() {
    String host =
        isLoopback(settings.bind()) || wildcard(settings.bind()) ? "127.0.0.1" : settings.bind();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + port() + "/");
  }

  /** The console's URL with its token, as serve prints it at start. */
  public URI consoleUrl() {
    return URI.create(url() + "?" + RequestGuard.TOKEN_PARAMETER + "=" + settings.token());
  }

  private static boolean wildcard(String bind) {
    return bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]");
  }

  @Override
  public void close() {
    sampler.close();
    app.stop();
  }
}
