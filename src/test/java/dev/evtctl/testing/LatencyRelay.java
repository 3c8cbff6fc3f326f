package dev.evtctl.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP relay on loopback that adds a round trip to every request: bytes from the client reach the
 * backend {@code delayMillis} later, answers come back at once. Requests on one connection keep
 * their order and may overlap (the delay is a wire's, not a lock's), so a client that keeps many
 * requests in flight pays the round trip once per request, as it would over a real network.
 *
 * <p>Anything that speaks HTTP to an endpoint can use it: the SDK clients, a Node process, awscli.
 * Unlike an SDK interceptor, the time passes outside the client's process.
 */
public final class LatencyRelay implements AutoCloseable {

  private static final byte[] END = new byte[0];

  private final InetSocketAddress upstream;
  private final long delayNanos;
  private final ServerSocket server;
  private final ExecutorService pumps = Executors.newCachedThreadPool(LatencyRelay::daemon);

  private LatencyRelay(URI upstream, long delayMillis) throws IOException {
    this.upstream = new InetSocketAddress(upstream.getHost(), upstream.getPort());
    this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillis);
    this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    pumps.execute(this::accept);
  }

  /** A relay to {@code upstream} (an http:// endpoint) adding {@code delayMillis} per request. */
  public static LatencyRelay start(URI upstream, long delayMillis) throws IOException {
    return new LatencyRelay(upstream, delayMillis);
  }

  /** The endpoint to give clients instead of the upstream one. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        client.setTcpNoDelay(true);
        Socket backend = new Socket();
        backend.setTcpNoDelay(true);
        backend.connect(upstream);
        BlockingQueue<Chunk> inFlight = new LinkedBlockingQueue<>();
        pumps.execute(() -> readRequests(client, backend, inFlight));
        pumps.execute(() -> deliverRequests(inFlight, client, backend));
        pumps.execute(() -> copyAnswers(backend, client));
      } catch (IOException e) {
        if (server.isClosed()) {
          return;
        }
      }
    }
  }

  private void readRequests(Socket client, Socket backend, BlockingQueue<Chunk> inFlight) {
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = client.getInputStream()) {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        inFlight.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, read)));
      }
    } catch (IOException e) {
      // the client went away: the end below closes the backend's side too
    }
    inFlight.add(new Chunk(System.nanoTime(), END));
  }

  private void deliverRequests(BlockingQueue<Chunk> inFlight, Socket client, Socket backend) {
    try (OutputStream out = backend.getOutputStream()) {
      while (true) {
        Chunk chunk = inFlight.take();
        if (chunk.bytes == END) {
          break;
        }
        long wait = chunk.dueNanos - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        out.write(chunk.bytes);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // the backend went away or the relay is closing
    } finally {
      closeQuietly(backend);
      closeQuietly(client);
    }
  }

  private static void copyAnswers(Socket backend, Socket client) {
    try (InputStream in = backend.getInputStream();
        OutputStream out = client.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException e) {
      // either side closed
    } finally {
      closeQuietly(client);
      closeQuietly(backend);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  private static Thread daemon(Runnable task) {
    Thread thread = new Thread(task, "latency-relay");
    thread.setDaemon(true);
    return thread;
  }

  @Override
  public void close() throws IOException {
    server.close();
    pumps.shutdownNow();
  }

  private record Chunk(long dueNanos, byte[] bytes) {}
}
