package dev.evtctl.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evtctl.core.pipeline.Json;
import dev.evtctl.testing.CliRun;
import dev.evtctl.testing.EmbeddedAws;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * The GOV.UK Events API (openApiSpecs/events-spec.yaml): status codes, bodies and headers, and the
 * GOV.UK API tests' poll helper finding events a drain writes while it polls.
 */
@ExtendWith(EmbeddedAws.class)
class ServeEventsApiTest {

  private static final String START = "DCMAW_ASYNC_CRI_START";
  private static final String END = "DCMAW_ASYNC_CRI_END";

  private static String event(String session, String name, long timestamp) {
    return "{\"event_name\":\""
        + name
        + "\",\"component_id\":\"https://review-b-async.dev.account.gov.uk\",\"timestamp\":"
        + timestamp
        + ",\"user\":{\"session_id\":\""
        + session
        + "\",\"ip_address\":\"198.51.100.7\"}}";
  }

  private static String query(String pk, String skPrefix) {
    return "/events?pkPrefix="
        + URLEncoder.encode(pk, StandardCharsets.UTF_8)
        + "&skPrefix="
        + URLEncoder.encode(skPrefix, StandardCharsets.UTF_8);
  }

  private static void assertSpecHeaders(HttpResponse<String> response) {
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(response.headers().firstValue("Strict-Transport-Security"))
        .hasValue("max-age=31536000");
    assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
  }

  @Test
  void matchingEventsAnswer200InSortKeyOrderWithTheStoredEvent(EmbeddedAws.Backends backends)
      throws Exception {
    try (ServedStack served = new ServedStack(backends, "txma")) {
      // GIVEN two events of one session, and one of another, drained into the table
      String session = UUID.randomUUID().toString();
      served.send(event(session, START, 1763900002));
      served.send(event(session, START, 1763900001));
      served.send(event(session, END, 1763900003));
      served.send(event(UUID.randomUUID().toString(), START, 1763900001));
      CliRun drain = served.drain();
      assertThat(drain.exitCode()).as(drain.err()).isZero();

      // WHEN the GOV.UK helper's query is made, with a SigV4 header as its axios client sends
      HttpResponse<String> response =
          served.get(
              query("SESSION#" + session, "TXMA#EVENT_NAME#" + START),
              "Authorization",
              "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20251201/eu-west-2/execute-api/aws4_request,"
                  + " SignedHeaders=host;x-amz-date, Signature=abc123",
              "X-Amz-Date",
              "20251201T000000Z");

      // THEN 200, the two START events ascending by sk, each with its event as a JSON object
      assertThat(response.statusCode()).isEqualTo(200);
      assertSpecHeaders(response);
      JsonNode body = Json.readTree(response.body());
      assertThat(body.isArray()).isTrue();
      assertThat(body).hasSize(2);
      assertThat(body.get(0).get("pk").asText()).isEqualTo("SESSION#" + session);
      assertThat(body.get(0).get("sk").asText())
          .isEqualTo("TXMA#EVENT_NAME#" + START + "#TIMESTAMP#1763900001");
      assertThat(body.get(1).get("sk").asText())
          .isEqualTo("TXMA#EVENT_NAME#" + START + "#TIMESTAMP#1763900002");
      assertThat(body.get(0).get("event").isObject()).isTrue();
      assertThat(body.get(0).get("event").get("event_name").asText()).isEqualTo(START);
      assertThat(body.get(0).get("event").get("user").get("session_id").asText())
          .isEqualTo(session);
      assertThat(body.get(0).fieldNames()).toIterable().containsExactly("pk", "sk", "event");

      // AND the whole session answers with the prefix of every event
      JsonNode all = Json.readTree(served.get(query("SESSION#" + session, "TXMA#")).body());
      assertThat(all).hasSize(3);
    }
  }

  @Test
  void noMatchIs404NotFoundAndAMissingParameterIs400BadRequest(EmbeddedAws.Backends backends) {
    try (ServedStack served = new ServedStack(backends, "txma")) {
      HttpResponse<String> none = served.get(query("SESSION#nobody", "TXMA#"));
      assertThat(none.statusCode()).isEqualTo(404);
      assertThat(none.body()).isEqualTo("Not Found");
      assertSpecHeaders(none);

      for (String path :
          List.of(
              "/events",
              "/events?pkPrefix=SESSION%23x",
              "/events?skPrefix=TXMA%23",
              "/events?pkPrefix=&skPrefix=TXMA")) {
        HttpResponse<String> bad = served.get(path);
        assertThat(bad.statusCode()).as(path).isEqualTo(400);
        assertThat(bad.body()).isEqualTo("Bad Request");
        assertSpecHeaders(bad);
        assertThat(bad.headers().firstValue(EventsApi.REASON_HEADER).orElseThrow())
            .matches("query parameter (pkPrefix|skPrefix) is required");
      }
    }
  }

  @Test
  void anUnknownTableIs404WithItsNameAndADownBackendIs502(EmbeddedAws.Backends backends)
      throws Exception {
    try (EvtctlServer server =
        EvtctlServer.start(
            new ServeSettings("127.0.0.1", 0, "no-such-events", null, null, "t"),
            ServedStack.clients(backends))) {
      HttpResponse<String> response =
          ServedStack.send(
              java.net.http.HttpRequest.newBuilder(
                      server.url().resolve("events?pkPrefix=SESSION%23a&skPrefix=TXMA"))
                  .build());
      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(response.headers().firstValue(EventsApi.REASON_HEADER))
          .hasValue("table no-such-events does not exist");
    }
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    URI nowhere = URI.create("http://127.0.0.1:" + closedPort);
    try (EvtctlServer server =
        EvtctlServer.start(
            new ServeSettings("127.0.0.1", 0, "audit-events", null, null, "t"),
            new dev.evtctl.aws.AwsClients(
                dev.evtctl.aws.ClientSettings.emulator(nowhere, Map.of()),
                UrlConnectionHttpClient.builder().build()))) {
      HttpResponse<String> response =
          ServedStack.send(
              java.net.http.HttpRequest.newBuilder(
                      server.url().resolve("events?pkPrefix=SESSION%23a&skPrefix=TXMA"))
                  .build());
      assertThat(response.statusCode()).isEqualTo(502);
      assertThat(response.headers().firstValue(EventsApi.REASON_HEADER).orElseThrow())
          .startsWith("backend failed: cannot reach " + nowhere)
          .doesNotContain("\n");
    }
  }

  @Test
  void aRequestForAnotherHostNameIsRefusedOnLoopback(EmbeddedAws.Backends backends)
      throws Exception {
    // DNS rebinding: a page whose own name resolves to 127.0.0.1 sends Host: its name.
    try (ServedStack served = new ServedStack(backends, "txma");
        Socket socket = new Socket("127.0.0.1", served.server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /events?pkPrefix=a&skPrefix=b HTTP/1.1\r\nHost: rebound.example:"
                  + served.server.port()
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String status =
          new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      assertThat(status).startsWith("HTTP/1.1 403");
    }
  }

  @Test
  void theConsoleNeedsTheTokenAndKeepsItInASameSiteCookie(EmbeddedAws.Backends backends) {
    try (ServedStack served = new ServedStack(backends, "txma")) {
      assertThat(served.get("/").statusCode()).isEqualTo(403);
      assertThat(served.get("/?token=" + "0".repeat(32)).statusCode()).isEqualTo(403);
      HttpResponse<String> page = served.get(served.server.consoleUrl().toString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Set-Cookie").orElseThrow())
          .isEqualTo("evtctl_token=" + served.token + "; Path=/; HttpOnly; SameSite=Strict");
      assertThat(served.get("/", "Cookie", "evtctl_token=" + served.token).statusCode())
          .isEqualTo(200);
    }
  }

  /**
   * The GOV.UK API tests' pollForEvents: wait 0, then 500 ms doubling up to 10 s between calls,
   * until enough events are found or the next call would be past 40 s; a 404 is "none yet".
   */
  private static List<Integer> pollForEvents(
      ServedStack served, String pk, String skPrefix, int wanted, List<JsonNode> found)
      throws InterruptedException {
    List<Integer> statuses = new ArrayList<>();
    long end = System.currentTimeMillis() + 40_000;
    long wait = 0;
    int attempts = 0;
    JsonNode events = Json.MAPPER.createArrayNode();
    while (events.size() < wanted && System.currentTimeMillis() + wait < end) {
      Thread.sleep(wait);
      HttpResponse<String> response = served.get(query(pk, skPrefix));
      statuses.add(response.statusCode());
      assertThat(response.statusCode()).isNotIn(400, 403);
      JsonNode body;
      try {
        body = Json.readTree(response.body());
      } catch (java.io.IOException e) {
        body = Json.MAPPER.createArrayNode();
      }
      events = body.isArray() ? body : Json.MAPPER.createArrayNode();
      wait = Math.min((1L << attempts++) * 500, 10_000);
    }
    events.forEach(found::add);
    return statuses;
  }

  @Test
  void theGovUkPollHelperFindsEventsADrainWritesWhileItPolls(EmbeddedAws.Backends backends)
      throws Exception {
    try (ServedStack served = new ServedStack(backends, "txma")) {
      String session = UUID.randomUUID().toString();
      List<JsonNode> found = new ArrayList<>();
      // GIVEN the helper polling for two events of a session that has none yet
      CompletableFuture<List<Integer>> polling =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return pollForEvents(served, "SESSION#" + session, "TXMA#EVENT_NAME#", 2, found);
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      // WHEN, while it polls, the events are sent and drained
      Thread.sleep(1200);
      served.send(event(session, START, 1763900001));
      served.send(event(session, END, 1763900002));
      CliRun drain = served.drain();
      assertThat(drain.exitCode()).as(drain.err()).isZero();

      // THEN it finds both, having seen 404 turn into 200
      List<Integer> statuses = polling.get(45, TimeUnit.SECONDS);
      assertThat(found).hasSize(2);
      assertThat(found.get(0).get("event").get("event_name").asText())
          .isEqualTo(
              END.equals(found.get(0).get("event").get("event_name").asText()) ? END : START);
      assertThat(statuses.get(0)).isEqualTo(404);
      assertThat(statuses.get(statuses.size() - 1)).isEqualTo(200);
      assertThat(statuses.subList(0, statuses.indexOf(200))).containsOnly(404);
    }
  }
}
