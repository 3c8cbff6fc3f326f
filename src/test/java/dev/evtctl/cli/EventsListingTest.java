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
 * events --status INVALID shows each record's event name and reason, and every selector lists by
 * the event's time, not by sort key (INVALID records are keyed by message id); -o json keeps the
 * table's order.
 */
@ExtendWith(EmbeddedAws.class)
class EventsListingTest {

  @Test
  void invalidRecordsShowTheirNameAndReasonInTimeOrder(EmbeddedAws.Backends backends)
      throws Exception {
    // GIVEN three events without a session id (INVALID), sent out of time order
    StackNames names =
        new StackNames("listing-" + UUID.randomUUID().toString().substring(0, 8), false);
    new Stack(backends.sqs(), backends.dynamoDb()).create(Pipelines.builtIn("txma"), names, 5, 30);
    String queueUrl = backends.sqs().getQueueUrl(r -> r.queueName(names.queue())).queueUrl();
    long[] times = {1763900300, 1763900100, 1763900200};
    for (long time : times) {
      backends
          .sqs()
          .sendMessage(
              r ->
                  r.queueUrl(queueUrl)
                      .messageBody(
                          "{\"event_name\":\"DCMAW_ASYNC_CRI_START\",\"component_id\":\"c\","
                              + "\"timestamp\":"
                              + time
                              + ",\"user\":{}}"));
    }
    String edge = backends.edge();
    CliRun drain = CliRun.of("--endpoint-url", edge, "drain", "-q", names.queue());
    assertThat(drain.exitCode()).as(drain.err()).isEqualTo(ExitCode.NOT_MET);

    // WHEN listed by status
    CliRun table =
        CliRun.of(
            "--endpoint-url", edge, "events", "-t", names.eventsTable(), "--status", "INVALID");
    CliRun json =
        CliRun.of(
            "--endpoint-url",
            edge,
            "-o",
            "json",
            "events",
            "-t",
            names.eventsTable(),
            "--status",
            "INVALID");

    // THEN the table names each event and why it is invalid, earliest first
    assertThat(table.exitCode()).as(table.err()).isZero();
    List<String> lines = table.out().lines().toList();
    assertThat(lines.get(0)).contains("event_name").contains("time").contains("reason");
    assertThat(lines.subList(1, 4))
        .allSatisfy(
            line -> assertThat(line).contains("DCMAW_ASYNC_CRI_START").contains("session_id"));
    assertThat(lines.get(1)).contains("2025-11-23T12:15:00Z");
    assertThat(lines.get(3)).contains("2025-11-23T12:18:20Z");
    // AND json lists the same records in the same order
    List<Long> order = new ArrayList<>();
    for (JsonNode item : Json.MAPPER.readTree(json.out())) {
      JsonNode event = item.get("event");
      event = event.isTextual() ? Json.MAPPER.readTree(event.asText()) : event;
      order.add(event.get("timestamp").asLong());
    }
    assertThat(order).containsExactly(1763900100L, 1763900200L, 1763900300L);
  }
}
