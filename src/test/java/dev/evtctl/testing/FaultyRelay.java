package dev.evtctl.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * An HTTP relay on loopback in front of a real backend (ElasticMQ, the edge endpoint) that injects
 * the faults a network and a struggling service produce, so the SDK's whole HTTP layer meets them:
 * 503 answers, connections reset before the request reaches the backend, connections reset after
 * the backend acted (the answer is lost), slow answers, and a backend that never answers.
 *
 * <p>Requests are picked by their {@code X-Amz-Target} ("AmazonSQS.ReceiveMessage"), so a test can
 * fault the calls it is about and leave its own set-up alone.
 */
public final class FaultyRelay implements AutoCloseable {

  /** What happens to a picked request. */
  public enum Fault {
    /** An HTTP 503 ServiceUnavailable, the backend never asked. */
    UNAVAILABLE,
    /** The connection reset before the request is forwarded. */
    RESET_BEFORE,
    /** Forwarded, the backend acts, and the connection resets before the answer. */
    RESET_AFTER,
    /** Forwarded after 200-800 ms. */
    SLOW,
  }

  private static final Set<String> NOT_FORWARDED =
      Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding");

  private final URI upstream;
  private final ServerSocket server;
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ExecutorService connections = Executors.newCachedThreadPool(daemon());
  private final Map<Fault, LongAdder> injected = new ConcurrentHashMap<>();
  private final Random random;

  /** Requests a rule picks meet one of its faults at its rate; the first rule that picks wins. */
  private record Rule(Predicate<String> targets, double rate, List<Fault> kinds) {}

  private final List<Rule> rules = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile Predicate<String> hung = target -> false;

  private FaultyRelay(URI upstream, long seed) throws IOException {
    this.upstream = upstream;
    this.random = new Random(seed);
    this.server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    connections.submit(this::accept);
  }

  /** A relay to {@code upstream} that, until told otherwise, forwards everything untouched. */
  public static FaultyRelay to(URI upstream, long seed) {
    try {
      return new FaultyRelay(upstream, seed);
    } catch (IOException e) {
      throw new IllegalStateException("cannot open the relay", e);
    }
  }

  /**
   * Requests whose X-Amz-Target {@code targets} picks (and no earlier rule did) meet one of {@code
   * kinds} at {@code rate}.
   */
  public FaultyRelay inject(Predicate<String> targets, double rate, Fault... kinds) {
    rules.add(new Rule(targets, rate, List.of(kinds)));
    return this;
  }

  /** Picked requests are never answered (the connection stays open). */
  public FaultyRelay hang(Predicate<String> targets) {
    this.hung = targets;
    return this;
  }

  /** Targets named by their operations: "ReceiveMessage", "DeleteMessageBatch", ... */
  public static Predicate<String> sqs(String... operations) {
    Set<String> targets = new java.util.HashSet<>();
    for (String operation : operations) {
      targets.add("AmazonSQS." + operation);
    }
    return targets::contains;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** The faults injected so far, by kind. */
  public Map<Fault, Long> injected() {
    Map<Fault, Long> counts = new EnumMap<>(Fault.class);
    injected.forEach((fault, count) -> counts.put(fault, count.sum()));
    return counts;
  }

  /** Injected faults that fail the attempt (all but {@link Fault#SLOW}). */
  public long failedAttempts() {
    return injected().entrySet().stream()
        .filter(e -> e.getKey() != Fault.SLOW)
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    connections.shutdownNow();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        connections.submit(() -> serve(socket));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      while (true) {
        Request request = Request.read(in);
        if (request == null) {
          return;
        }
        String target = request.headers.getOrDefault("x-amz-target", "");
        if (hung.test(target)) {
          Thread.sleep(Long.MAX_VALUE);
        }
        Fault fault = choose(target);
        if (fault != null) {
          injected.computeIfAbsent(fault, f -> new LongAdder()).increment();
        }
        if (fault == Fault.RESET_BEFORE) {
          reset(socket);
          return;
        }
        if (fault == Fault.UNAVAILABLE) {
          byte[] body =
              "{\"__type\":\"com.amazonaws.sqs#ServiceUnavailable\",\"message\":\"injected\"}"
                  .getBytes(StandardCharsets.UTF_8);
          write(out, 503, Map.of("Content-Type", "application/x-amz-json-1.0"), body);
          continue;
        }
        if (fault == Fault.SLOW) {
          Thread.sleep(200 + nextInt(600));
        }
        HttpResponse<byte[]> response = forward(request);
        if (fault == Fault.RESET_AFTER) {
          reset(socket);
          return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        response
            .headers()
            .map()
            .forEach(
                (name, values) -> {
                  if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))
                      && !name.startsWith(":")) {
                    headers.put(name, values.get(0));
                  }
                });
        write(out, response.statusCode(), headers, response.body());
      }
    } catch (IOException e) {
      // the client went away
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Fault choose(String target) {
    for (Rule rule : rules) {
      if (rule.targets().test(target)) {
        synchronized (random) {
          return random.nextDouble() >= rule.rate()
              ? null
              : rule.kinds().get(random.nextInt(rule.kinds().size()));
        }
      }
    }
    return null;
  }

  private int nextInt(int bound) {
    synchronized (random) {
      return random.nextInt(bound);
    }
  }

  private HttpResponse<byte[]> forward(Request request) throws IOException, InterruptedException {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(upstream.resolve(request.path))
            .timeout(Duration.ofSeconds(60))
            .method(request.method, HttpRequest.BodyPublishers.ofByteArray(request.body));
    request.headers.forEach(
        (name, value) -> {
          if (!NOT_FORWARDED.contains(name)) {
            builder.header(name, value);
          }
        });
    return client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void reset(Socket socket) throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  private static void write(OutputStream out, int status, Map<String, String> headers, byte[] body)
      throws IOException {
    StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " Relayed\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return task -> {
      Thread thread = new Thread(task, "faulty-relay");
      thread.setDaemon(true);
      return thread;
    };
  }

  /** One HTTP/1.1 request with a Content-Length body (as the SDK sends SQS and DynamoDB calls). */
  private record Request(String method, String path, Map<String, String> headers, byte[] body) {

    static Request read(InputStream in) throws IOException {
      String line = readLine(in);
      if (line == null || line.isEmpty()) {
        return null;
      }
      String[] parts = line.split(" ");
      Map<String, String> headers = new LinkedHashMap<>();
      for (String header = readLine(in);
          header != null && !header.isEmpty();
          header = readLine(in)) {
        int colon = header.indexOf(':');
        headers.put(
            header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            header.substring(colon + 1).trim());
      }
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      byte[] body = in.readNBytes(length);
      return new Request(parts[0], parts[1], headers, body);
    }

    private static String readLine(InputStream in) throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int b = in.read(); b != -1; b = in.read()) {
        if (b == '\n') {
          String text = line.toString(StandardCharsets.ISO_8859_1);
          return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }
        line.write(b);
      }
      return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
