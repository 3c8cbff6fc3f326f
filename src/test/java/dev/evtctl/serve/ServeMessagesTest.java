package dev.evtctl.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evtctl.core.pipeline.Json;
import dev.evtctl.testing.CliRun;
import dev.evtctl.testing.EmbeddedAws;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Seed 001's routes: POST /messages to the buffer queue, GET through the company index. */
@ExtendWith(EmbeddedAws.class)
class ServeMessagesTest {

  private static String message(String messageId, String company, int amount) {
    return "{\"metadata\":{\"message_time\":\"2023-12-10T22:02:38Z\",\"company_id\":\""
        + company
        + "\",\"message_id\":\""
        + messageId
        + "\"},\"data\":{\"order_id\":\"a929b88e-bc47-4f7d-9584-61c3c94ad2f2\","
        + "\"order_time\":\"2023-12-10T22:00:00Z\",\"order_amount\":"
        + amount
        + "}}";
  }

  private static int visible(ServedStack served) {
    return Integer.parseInt(
        served
            .backends
            .sqs()
            .getQueueAttributes(
                r ->
                    r.queueUrl(served.queueUrl)
                        .attributeNamesWithStrings("ApproximateNumberOfMessages"))
            .attributesAsStrings()
            .get("ApproximateNumberOfMessages"));
  }

  @Test
  void aValidMessageIsQueuedWith202AndReadBackThroughTheIndexOnceDrained(
      EmbeddedAws.Backends backends) throws Exception {
    try (ServedStack served = new ServedStack(backends, "messages")) {
      String id = UUID.randomUUID().toString();
      String company = UUID.randomUUID().toString();

      // WHEN a CI client posts a valid message, as to the original (no token, no Origin)
      HttpResponse<String> posted = served.post("/messages", message(id, company, 20));

      // THEN 202 with its id, and the message is on the buffer queue
      assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
      JsonNode answer = Json.readTree(posted.body());
      assertThat(answer.get("message_id").asText()).isEqualTo(id);
      assertThat(answer.get("sqs_message_id").asText()).isNotBlank();
      assertThat(visible(served)).isEqualTo(1);

      // AND once drained it is read by id and through the company index
      assertThat(served.get("/messages/" + id).statusCode()).isEqualTo(404);
      CliRun drain = served.drain();
      assertThat(drain.exitCode()).as(drain.err()).isZero();
      HttpResponse<String> one = served.get("/messages/" + id);
      assertThat(one.statusCode()).isEqualTo(200);
      JsonNode item = Json.readTree(one.body());
      assertThat(item.get("status").asText()).isEqualTo("Processed");
      assertThat(item.get("message").get("data").get("order_amount").asInt()).isEqualTo(20);

      HttpResponse<String> byCompany = served.get("/messages?company_id=" + company);
      assertThat(byCompany.statusCode()).isEqualTo(200);
      JsonNode items = Json.readTree(byCompany.body());
      assertThat(items).hasSize(1);
      assertThat(items.get(0).get("message_id").asText()).isEqualTo(id);
      assertThat(Json.readTree(served.get("/messages?company_id=nobody").body())).isEmpty();
      assertThat(served.get("/messages").statusCode()).isEqualTo(400);
    }
  }

  @Test
  void anInvalidMessageIs400WithTheReasonAndNothingIsSent(EmbeddedAws.Backends backends)
      throws Exception {
    try (ServedStack served = new ServedStack(backends, "messages")) {
      for (String body :
          new String[] {
            "not json",
            "{\"metadata\":{\"company_id\":\"c\"},\"data\":{}}",
            message(UUID.randomUUID().toString(), "c", 1)
                .replace("2023-12-10T22:02:38Z", "yesterday")
          }) {
        HttpResponse<String> posted = served.post("/messages", body);
        assertThat(posted.statusCode()).as(body).isEqualTo(400);
        String reason = Json.readTree(posted.body()).get("error").asText();
        assertThat(reason).isNotBlank().doesNotContain("\n");
      }
      assertThat(visible(served)).isZero();
    }
  }

  @Test
  void aStoredMessageIdIsADuplicateWithTheSameBodyAndAConflictWithAnother(
      EmbeddedAws.Backends backends) throws Exception {
    try (ServedStack served = new ServedStack(backends, "messages")) {
      String id = UUID.randomUUID().toString();
      assertThat(served.post("/messages", message(id, "c1", 20)).statusCode()).isEqualTo(202);
      assertThat(served.drain().exitCode()).isZero();

      HttpResponse<String> again = served.post("/messages", message(id, "c1", 20));
      assertThat(again.statusCode()).isEqualTo(200);
      assertThat(Json.readTree(again.body()).get("duplicate").asBoolean()).isTrue();

      HttpResponse<String> other = served.post("/messages", message(id, "c1", 21));
      assertThat(other.statusCode()).isEqualTo(409);
      assertThat(Json.readTree(other.body()).get("error").asText())
          .isEqualTo("message_id " + id + " is already stored with a different body");
      assertThat(visible(served)).isZero();
    }
  }

  @Test
  void aBrowserPostNeedsTheTokenAndTheSameOrigin(EmbeddedAws.Backends backends) {
    try (ServedStack served = new ServedStack(backends, "messages")) {
      String origin = "http://127.0.0.1:" + served.server.port();
      java.util.function.Function<String[], Integer> postWith =
          headers ->
              served
                  .post("/messages", message(UUID.randomUUID().toString(), "c", 1), headers)
                  .statusCode();
      // another page the browser has open
      assertThat(
              postWith.apply(
                  new String[] {"Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site"}))
          .isEqualTo(403);
      // the console's own origin, without the token
      assertThat(postWith.apply(new String[] {"Origin", origin})).isEqualTo(403);
      // the token, from another origin
      assertThat(
              postWith.apply(
                  new String[] {"Origin", "http://evil.example", "X-Evtctl-Token", served.token}))
          .isEqualTo(403);
      // the token, from the console
      assertThat(
              postWith.apply(
                  new String[] {
                    "Origin",
                    origin,
                    "Sec-Fetch-Site",
                    "same-origin",
                    "X-Evtctl-Token",
                    served.token
                  }))
          .isEqualTo(202);
    }
  }
}
