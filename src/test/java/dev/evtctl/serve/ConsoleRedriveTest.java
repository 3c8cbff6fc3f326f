package dev.evtctl.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evtctl.core.pipeline.Json;
import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.QueueDepth;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's redrive and trace through its API, as the page sends them: a dry run moves nothing,
 * a confirmed one moves exactly the messages and writes the same audit trail as dlq redrive,
 * private to the user; the trace then joins that trail, drain's log lines and the table.
 */
@ExtendWith(EmbeddedAws.class)
class ConsoleRedriveTest {

  @Test
  void aConfirmedRedriveMovesTheMessagesAndWritesAPrivateAuditTrail(
      EmbeddedAws.Backends backends, @TempDir Path home) throws Exception {
    Path trails = Files.createDirectory(home.resolve("redrive"));
    try (ServedStack served = new ServedStack(backends, "txma", trails, null)) {
      String dlq = served.names.deadLetterQueue();
      String dlqUrl = backends.sqs().getQueueUrl(r -> r.queueName(dlq)).queueUrl();
      List<String> ids =
          Stream.of("{\"n\":1}", "{\"n\":2}")
              .map(
                  body ->
                      backends
                          .sqs()
                          .sendMessage(r -> r.queueUrl(dlqUrl).messageBody(body))
                          .messageId())
              .toList();
      String path = "/api/queues/" + dlq + "/redrive";
      String[] console = {
        "X-Evtctl-Token",
        served.token,
        "Origin",
        served.server.url().toString().replaceAll("/$", "")
      };

      // a dry run names both and moves nothing, with no trail
      HttpResponse<String> dryRun = served.post(path, "{\"dryRun\":true}", console);
      assertThat(dryRun.statusCode()).as(dryRun.body()).isEqualTo(200);
      JsonNode preview = Json.readTree(dryRun.body());
      assertThat(preview.get("wouldMove").findValuesAsText("messageId"))
          .containsExactlyInAnyOrderElementsOf(ids);
      assertThat(QueueDepth.of(backends.sqs(), dlq)).isEqualTo(2);
      assertThat(trails).isEmptyDirectory();

      // unconfirmed: refused, nothing moved
      HttpResponse<String> unconfirmed = served.post(path, "{}", console);
      assertThat(unconfirmed.statusCode()).isEqualTo(400);
      assertThat(QueueDepth.of(backends.sqs(), dlq)).isEqualTo(2);

      // confirmed with the DLQ's name: both move to the queue, and one trail says so
      HttpResponse<String> moved = served.post(path, "{\"confirm\":\"" + dlq + "\"}", console);
      assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
      assertThat(QueueDepth.of(backends.sqs(), dlq)).isZero();
      assertThat(QueueDepth.of(backends.sqs(), served.names.queue())).isEqualTo(2);
      List<Path> files;
      try (Stream<Path> listed = Files.list(trails)) {
        files = listed.toList();
      }
      assertThat(files).hasSize(1);
      Path trail = files.get(0);
      assertThat(trail.getFileName().toString()).matches(dlq + "-\\d{8}T\\d{6}Z\\.ndjson");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(trail)))
          .isEqualTo("rw-------");
      List<String> actions = new java.util.ArrayList<>();
      for (String line : Files.readAllLines(trail)) {
        actions.add(Json.readTree(line).get("action").asText());
      }
      assertThat(actions)
          .containsExactlyInAnyOrder(
              "started", "sending", "sending", "sent", "sent", "deleted", "deleted");
      assertThat(actions.get(0)).isEqualTo("started");
    }
  }

  @Test
  void theTraceOfARedrivenEventJoinsTheAuditTrailTheLogLinesAndTheTable(
      EmbeddedAws.Backends backends, @TempDir Path home) throws Exception {
    Path trails = Files.createDirectory(home.resolve("redrive"));
    Path logLines = home.resolve("drain.ndjson");
    try (ServedStack served = new ServedStack(backends, "txma", trails, logLines)) {
      String dlq = served.names.deadLetterQueue();
      String dlqUrl = backends.sqs().getQueueUrl(r -> r.queueName(dlq)).queueUrl();
      String session = java.util.UUID.randomUUID().toString();
      String body =
          "{\"event_name\":\"DCMAW_ASYNC_CRI_START\",\"component_id\":\"c\","
              + "\"timestamp\":1763900000,\"user\":{\"session_id\":\""
              + session
              + "\"}}";
      backends.sqs().sendMessage(r -> r.queueUrl(dlqUrl).messageBody(body));
      String[] console = {
        "X-Evtctl-Token",
        served.token,
        "Origin",
        served.server.url().toString().replaceAll("/$", "")
      };
      HttpResponse<String> moved =
          served.post("/api/queues/" + dlq + "/redrive", "{\"confirm\":\"" + dlq + "\"}", console);
      assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
      // --debug: a --log-file keeps the per-event lines (EVENT_PERSISTED) only then
      assertThat(served.drain("--log-file", logLines.toString(), "--debug").exitCode()).isZero();

      HttpResponse<String> answer =
          served.get(
              "/api/trace?id=" + session + "&queue=" + served.names.queue(),
              "X-Evtctl-Token",
              served.token);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      JsonNode trace = Json.readTree(answer.body());
      assertThat(trace.get("found").asBoolean()).as(answer.body()).isTrue();
      assertThat(trace.get("events")).hasSize(1);
      List<String> steps = new java.util.ArrayList<>();
      trace
          .get("events")
          .get(0)
          .get("steps")
          .forEach(
              step -> steps.add(step.get("source").asText() + " " + step.get("step").asText()));
      assertThat(steps)
          .as(answer.body())
          .contains("redrive redriven", "drain PERSISTED", "table stored");
    }
  }
}
