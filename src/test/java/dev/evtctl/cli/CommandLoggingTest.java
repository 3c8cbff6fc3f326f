package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evtctl.core.pipeline.Json;
import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.stack.SeedGenerator;
import dev.evtctl.testing.CliRun;
import dev.evtctl.testing.EmbeddedAws;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * -v and --debug work on every command, not only drain: the level is set once for the command line,
 * in {@link Evtctl}. Here dlq redrive, whose moves are debug lines.
 */
@ExtendWith(EmbeddedAws.class)
class CommandLoggingTest {

  private String endpoint;
  private SqsClient sqs;
  private String stack;

  @BeforeEach
  void setUp(EmbeddedAws.Backends backends) {
    endpoint = backends.edge();
    sqs = backends.sqs();
    stack = "logging-" + UUID.randomUUID().toString().substring(0, 8);
    CliRun create =
        CliRun.of("--endpoint-url", endpoint, "stack", "create", "-p", "txma", "-n", stack);
    assertThat(create.exitCode()).as(create.err()).isZero();
  }

  /** Two events in the stack's DLQ; their messageIds. */
  private List<String> deadLetters() {
    String url = sqs.getQueueUrl(r -> r.queueName(stack + "-dlq")).queueUrl();
    SeedGenerator generator =
        new SeedGenerator(Pipelines.builtIn("txma"), 11, 1, 0, 0, Instant.now());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      String body = generator.next().body();
      ids.add(sqs.sendMessage(r -> r.queueUrl(url).messageBody(body)).messageId());
    }
    return ids;
  }

  /** The structured lines the redrive logged about these messages (the process's stderr). */
  private List<JsonNode> redriveLogging(Path audit, List<String> ids, String... globalOptions)
      throws IOException {
    List<String> args = new ArrayList<>(List.of("--endpoint-url", endpoint));
    args.addAll(List.of(globalOptions));
    args.addAll(List.of("dlq", "redrive", "-q", stack + "-dlq", "--audit-file", audit.toString()));
    PrintStream processErr = System.err;
    ByteArrayOutputStream logged = new ByteArrayOutputStream();
    CliRun redrive;
    try {
      System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
      redrive = CliRun.of(args.toArray(String[]::new));
    } finally {
      System.setErr(processErr);
    }
    assertThat(redrive.exitCode()).as(redrive.err()).isZero();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : logged.toString(StandardCharsets.UTF_8).lines().toList()) {
      if (line.startsWith("{")) {
        JsonNode node = Json.readTree(line);
        if (ids.contains(node.path("messageId").asText())) {
          lines.add(node);
        }
      }
    }
    return lines;
  }

  @Test
  void debugLogsEachMovedMessageAndItsBody(@TempDir Path dir) throws IOException {
    // GIVEN two messages in a DLQ
    List<String> ids = deadLetters();

    // WHEN redriven with --debug
    List<JsonNode> lines = redriveLogging(dir.resolve("audit.ndjson"), ids, "--debug");

    // THEN each move is a DEBUG line with both messageIds, the queues and (--debug only) the body
    assertThat(lines).hasSize(2);
    assertThat(lines)
        .allSatisfy(
            line -> {
              assertThat(line.path("level").asText()).isEqualTo("DEBUG");
              assertThat(line.path("code").asText()).isEqualTo("REDRIVE_MOVED");
              assertThat(line.path("newMessageId").asText()).isNotBlank();
              assertThat(line.path("from").asText()).isEqualTo(stack + "-dlq");
              assertThat(line.path("to").asText()).isEqualTo(stack);
              assertThat(line.path("body").asText()).contains("\"event_name\"");
            });
    assertThat(lines.stream().map(line -> line.path("messageId").asText()))
        .containsExactlyInAnyOrderElementsOf(ids);
  }

  @Test
  void withoutDebugNothingIsLoggedOfTheMoves(@TempDir Path dir) throws IOException {
    // GIVEN two messages in a DLQ; WHEN redriven without --debug, and again with -v
    List<String> ids = deadLetters();
    List<JsonNode> quiet = redriveLogging(dir.resolve("quiet.ndjson"), ids);
    List<String> more = deadLetters();
    List<JsonNode> verbose = redriveLogging(dir.resolve("verbose.ndjson"), more, "-v");

    // THEN no line names them (no ids, no bodies: TxMA bodies carry IP addresses)
    assertThat(quiet).isEmpty();
    assertThat(verbose).isEmpty();
  }
}
