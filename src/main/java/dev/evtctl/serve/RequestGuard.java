package dev.evtctl.serve;

import io.javalin.http.Context;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;

/**
 * Who may do what. The read-only Events API is open (CI helpers send no token, only SigV4 headers,
 * which are ignored). The console's pages and data need the token printed at start; every
 * state-changing request from a browser needs the token in a header and a same-origin Origin, so
 * that no other page the browser has open can make one (CSRF). While serve listens on loopback, a
 * request must also name a loopback host, so that a page whose DNS name is rebound to 127.0.0.1
 * reaches nothing (DNS rebinding; Jupyter checks the same).
 */
final class RequestGuard {

  static final String TOKEN_HEADER = "X-Evtctl-Token";
  static final String TOKEN_COOKIE = "evtctl_token";
  static final String TOKEN_PARAMETER = "token";

  private static final Set<String> LOOPBACK_HOSTS =
      Set.of("localhost", "127.0.0.1", "[::1]", "::1");

  private final byte[] token;
  private final boolean loopbackOnly;

  RequestGuard(String token, boolean loopbackOnly) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
    this.loopbackOnly = loopbackOnly;
  }

  /** Refuses a request for a host name that is not this machine's loopback (DNS rebinding). */
  void checkHost(Context ctx) {
    if (!loopbackOnly) {
      return;
    }
    String host = hostName(ctx.header("Host"));
    if (host == null || !(LOOPBACK_HOSTS.contains(host) || host.startsWith("127."))) {
      throw new RequestFailedException(
          403, "serve listens on loopback and answers only requests for localhost or 127.0.0.1");
    }
  }

  /** Whether the request carries the token, as header, cookie or (the console URL) parameter. */
  boolean hasToken(Context ctx) {
    return matches(ctx.header(TOKEN_HEADER))
        || matches(ctx.cookie(TOKEN_COOKIE))
        || matches(ctx.queryParam(TOKEN_PARAMETER));
  }

  /** The token given in the console URL: the page then keeps it in a same-site cookie. */
  boolean hasTokenParameter(Context ctx) {
    return matches(ctx.queryParam(TOKEN_PARAMETER));
  }

  /** Reading console data (message bodies, events): the token, as cookie or header. */
  void requireToken(Context ctx) {
    if (!hasToken(ctx)) {
      throw new RequestFailedException(
          403, "the console needs its token: open the URL serve printed at start");
    }
  }

  /**
   * A state-changing request from the console: the token in its header (which no other origin can
   * set without a CORS preflight, and serve answers none) and, when the browser names one, an
   * Origin that is serve's own.
   */
  void requireConsoleChange(Context ctx) {
    if (!matches(ctx.header(TOKEN_HEADER))) {
      throw new RequestFailedException(
          403, "a change needs the console's token in the " + TOKEN_HEADER + " header");
    }
    requireSameOrigin(ctx);
  }

  /**
   * POST /messages, seed 001's public route: a client outside a browser (a CI suite, curl) posts as
   * it did to the original, without a token; a browser marks every cross-origin POST with Origin
   * (and Sec-Fetch-Site), and such a request is held to the console's rule.
   */
  void requireMessagesPost(Context ctx) {
    String site = ctx.header("Sec-Fetch-Site");
    boolean fromBrowser = ctx.header("Origin") != null || (site != null && !site.equals("none"));
    if (fromBrowser) {
      requireConsoleChange(ctx);
    }
  }

  private void requireSameOrigin(Context ctx) {
    String origin = ctx.header("Origin");
    String site = ctx.header("Sec-Fetch-Site");
    if (site != null && !site.equals("same-origin") && !site.equals("none")) {
      throw new RequestFailedException(
          403, "cross-site request refused (Sec-Fetch-Site: " + site + ")");
    }
    if (origin == null) {
      return;
    }
    String host = ctx.header("Host");
    URI originUri;
    try {
      originUri = URI.create(origin);
    } catch (IllegalArgumentException e) {
      throw new RequestFailedException(403, "cross-origin request refused");
    }
    String originHost =
        originUri.getHost() == null
            ? null
            : originUri.getHost() + (originUri.getPort() < 0 ? "" : ":" + originUri.getPort());
    if (host == null || originHost == null || !originHost.equalsIgnoreCase(host)) {
      throw new RequestFailedException(403, "cross-origin request refused");
    }
  }

  private boolean matches(String candidate) {
    return candidate != null
        && MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
  }

  /** The host of a Host header, without its port. */
  static String hostName(String hostHeader) {
    if (hostHeader == null || hostHeader.isBlank()) {
      return null;
    }
    String host = hostHeader.strip().toLowerCase(Locale.ROOT);
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end < 0 ? host : host.substring(0, end + 1);
    }
    int colon = host.indexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }
}
