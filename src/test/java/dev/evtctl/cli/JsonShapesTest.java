package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evtctl.core.pipeline.Json;
import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.stack.Stack;
import dev.evtctl.core.stack.StackNames;
import dev.evtctl.testing.CliRun;
import dev.evtctl.testing.EmbeddedAws;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The JSON each command prints, as docs/output.md documents it: its keys, exactly, all snake_case,
 * and figures as numbers (drain's seconds were "2.25", dlq list's oldest_age "3m 17s", stack
 * status's counts "~5 messages, 0 in flight", and messageId sat beside max_receive_count).
 */
@ExtendWith(EmbeddedAws.class)
class JsonShapesTest {

  private static List<String> keys(JsonNode object) {
    List<String> keys = new ArrayList<>();
    object.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  private static JsonNode json(CliRun run) throws Exception {
    assertThat(run.exitCode()).as(run.err()).isIn(ExitCode.OK, ExitCode.NOT_MET);
    return Json.MAPPER.readTree(run.out());
  }

  @Test
  void everyCommandPrintsTheDocumentedKeysAndNumbers(EmbeddedAws.Backends backends)
      throws Exception {
    StackNames names =
        new StackNames("shapes-" + UUID.randomUUID().toString().substring(0, 8), false);
    new Stack(backends.sqs(), backends.dynamoDb()).create(Pipelines.builtIn("txma"), names, 5, 30);
    String[] aws = {"--endpoint-url", backends.edge(), "-o", "json"};
    CliRun seed = CliRun.of(aws[0], aws[1], "seed", "-q", names.queue(), "--count", "6");
    assertThat(seed.exitCode()).as(seed.err()).isZero();

    JsonNode drain = json(CliRun.of(aws[0], aws[1], aws[2], aws[3], "drain", "-q", names.queue()));
    assertThat(keys(drain.get(0)))
        .containsExactly(
            "received",
            "persisted",
            "duplicate",
            "invalid",
            "retry",
            "skipped",
            "delete_failures",
            "visibility_failures",
            "retried",
            "seconds",
            "busy_seconds",
            "per_second");
    drain.get(0).forEach(value -> assertThat(value.isNumber()).as(value.toString()).isTrue());

    JsonNode status =
        json(CliRun.of(aws[0], aws[1], aws[2], aws[3], "stack", "status", "-n", names.queue()));
    for (JsonNode resource : status) {
      assertThat(keys(resource))
          .containsExactly(
              "kind", "name", "exists", "url", "arn", "status", "messages", "in_flight", "items");
    }
    assertThat(status.get(0).get("url").asText()).endsWith("/" + names.queue());
    assertThat(status.get(0).get("arn").asText()).endsWith(":" + names.queue());
    assertThat(status.get(0).get("messages").isNumber()).isTrue();
    assertThat(status.get(2).get("items").isNumber()).isTrue();

    // two messages on the dead-letter queue
    String dlqUrl =
        backends.sqs().getQueueUrl(r -> r.queueName(names.deadLetterQueue())).queueUrl();
    backends.sqs().sendMessage(r -> r.queueUrl(dlqUrl).messageBody("{\"event_name\":\"A\"}"));
    backends.sqs().sendMessage(r -> r.queueUrl(dlqUrl).messageBody("not json"));
    JsonNode list = json(CliRun.of(aws[0], aws[1], aws[2], aws[3], "dlq", "list"));
    JsonNode ours = null;
    for (JsonNode row : list) {
      if (row.get("queue").asText().equals(names.queue())) {
        ours = row;
      }
    }
    assertThat(ours).isNotNull();
    assertThat(keys(ours))
        .containsExactly(
            "queue", "dlq", "max_receive_count", "messages", "in_flight", "oldest_age");
    assertThat(ours.get("oldest_age").isNumber()).as(ours.toString()).isTrue();

    JsonNode peek =
        json(
            CliRun.of(
                aws[0], aws[1], aws[2], aws[3], "dlq", "peek", "-q", names.deadLetterQueue()));
    assertThat(keys(peek.get(0)))
        .containsExactly(
            "message_id",
            "body",
            "attributes",
            "message_attributes",
            "sent",
            "first_received",
            "receives_before",
            "reason");

    JsonNode trace =
        json(
            CliRun.of(
                aws[0],
                aws[1],
                aws[2],
                aws[3],
                "trace",
                peek.get(0).get("message_id").asText(),
                "-q",
                names.queue()));
    assertThat(keys(trace.get(0)))
        .containsExactly(
            "id", "group", "logs_searched", "event", "key", "message_ids", "verdict", "steps");
    JsonNode step = trace.get(0).get("steps").get(0);
    assertThat(keys(step))
        .containsExactly(
            "time",
            "source",
            "step",
            "message_id",
            "new_message_id",
            "receives",
            "age",
            "reason",
            "detail");
    assertThat(step.get("receives").isNumber()).as(step.toString()).isTrue();
    assertThat(step.get("age").isNumber()).as(step.toString()).isTrue();

    JsonNode redrive =
        json(
            CliRun.of(
                aws[0],
                aws[1],
                aws[2],
                aws[3],
                "dlq",
                "redrive",
                "-q",
                names.deadLetterQueue(),
                "--audit-file",
                "/dev/null"));
    assertThat(keys(redrive.get(0)))
        .containsExactly(
            "received",
            "moved",
            "left_by_filter",
            "send_failures",
            "delete_failures",
            "retried",
            "seconds",
            "per_second");
    redrive.get(0).forEach(value -> assertThat(value.isNumber()).as(value.toString()).isTrue());
  }
}
