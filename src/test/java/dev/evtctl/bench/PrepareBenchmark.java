package dev.evtctl.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evtctl.core.pipeline.Json;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.pipeline.PreparedEvent;
import dev.evtctl.core.pipeline.QueueMessage;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of {@link Pipeline#prepare} (body check, parse, unwrap, validate, key + item) on one
 * thread, per built-in pipeline, and a parse-only baseline on the same TxMA body. Target: at least
 * 200,000 TxMA events per second on one thread.
 *
 * <pre>
 * ./mvnw -q -Pbench test-compile exec:exec \
 *     -Dbench.args="PrepareBenchmark -f 1 -wi 3 -i 5 -w 2s -r 3s"
 * </pre>
 *
 * Not a test: surefire excludes {@code **}{@code /bench/**}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class PrepareBenchmark {

  /** Bodies copied from src/test/resources/events/txma-happy.json (record m-1). */
  static final String TXMA_BODY =
      "{\"event_name\":\"DCMAW_ASYNC_CRI_START\",\"component_id\":\"https://review-b.account.gov.uk\","
          + "\"timestamp\":1763900000,\"event_timestamp_ms\":1763900000123,"
          + "\"user\":{\"user_id\":\"urn:fdc:gov.uk:2022:abc\",\"session_id\":\"sess-7f3a\","
          + "\"govuk_signin_journey_id\":\"journey-1\",\"transaction_id\":\"tx-1\","
          + "\"ip_address\":\"203.0.113.7\"},"
          + "\"extensions\":{\"redirect_uri\":\"https://example.gov.uk/callback\"}}";

  /** The five ledger event types, from src/test/resources/events/ledger-happy.json. */
  static final String[] LEDGER_BODIES = {
    "{\"tenant_id\":\"tenant-a\",\"event_id\":\"evt-1\",\"event_type\":\"user.created\","
        + "\"created_at\":\"2025-11-23T10:00:00Z\","
        + "\"payload\":{\"id\":\"u-1\",\"email\":\"ada@example.com\"}}",
    "{\"tenant_id\":\"tenant-a\",\"event_id\":\"evt-2\",\"event_type\":\"monitoring\","
        + "\"created_at\":\"2025-11-23T10:00:01Z\","
        + "\"payload\":{\"timestamp\":\"2025-11-23T10:00:01Z\",\"level\":\"WARN\","
        + "\"message\":\"disk 91%\"}}",
    "{\"tenant_id\":\"tenant-b\",\"event_id\":\"evt-3\",\"event_type\":\"transaction.authorizers\","
        + "\"created_at\":\"2025-11-23T10:00:02Z\","
        + "\"payload\":{\"transaction_id\":\"t-9\",\"authorizer\":\"visa\",\"decision\":\"APPROVED\","
        + "\"amount\":12.5}}",
    "{\"tenant_id\":\"tenant-b\",\"event_id\":\"evt-4\",\"event_type\":\"user.applications\","
        + "\"created_at\":\"2025-11-23T10:00:03Z\","
        + "\"payload\":{\"app_id\":\"app-1\",\"user_id\":\"u-2\",\"action\":\"install\"}}",
    "{\"tenant_id\":\"tenant-b\",\"event_id\":\"evt-5\",\"event_type\":\"integrations\","
        + "\"created_at\":\"2025-11-23T10:00:04Z\","
        + "\"payload\":{\"integration_id\":\"int-1\",\"provider\":\"stripe\","
        + "\"event\":\"connected\"}}"
  };

  /** From src/test/resources/events/messages-happy.json (record s-1). */
  static final String MESSAGES_BODY =
      "{\"metadata\":{\"message_time\":\"2023-12-10T22:02:38Z\","
          + "\"company_id\":\"e0721e56-fb09-4273-ae74-7bcbc92d43eb\","
          + "\"message_id\":\"fc0daad3-4f10-4d15-b8c6-276cca111e87\"},"
          + "\"data\":{\"order_id\":\"a929b88e\",\"order_time\":\"2023-12-10T22:00:00Z\","
          + "\"order_amount\":20}}";

  static final Instant NOW = Instant.parse("2025-11-23T10:00:05Z");

  /** One compiled pipeline and the messages it is fed (ledger rotates through its five types). */
  @State(Scope.Thread)
  public static class PipelineState {

    @Param({"txma", "ledger", "messages"})
    public String pipeline;

    Pipeline compiled;
    QueueMessage[] messages;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
      compiled = Pipelines.builtIn(pipeline);
      String[] bodies =
          switch (pipeline) {
            case "txma" -> new String[] {TXMA_BODY};
            case "ledger" -> LEDGER_BODIES;
            case "messages" -> new String[] {MESSAGES_BODY};
            default -> throw new IllegalArgumentException("unknown pipeline " + pipeline);
          };
      messages = new QueueMessage[bodies.length];
      for (int i = 0; i < bodies.length; i++) {
        messages[i] = QueueMessage.of("bench-" + pipeline + "-" + i, bodies[i]);
        // Measure the real path: every benchmark message must prepare as Valid.
        PreparedEvent prepared = compiled.prepare(messages[i], NOW);
        if (!(prepared instanceof PreparedEvent.Valid)) {
          throw new IllegalStateException(
              pipeline
                  + " benchmark body "
                  + i
                  + " is not valid: "
                  + ((PreparedEvent.Invalid) prepared).reason());
        }
      }
    }

    QueueMessage nextMessage() {
      QueueMessage[] all = messages;
      if (all.length == 1) {
        return all[0];
      }
      int i = next;
      next = i + 1 == all.length ? 0 : i + 1;
      return all[i];
    }
  }

  /** The TxMA body alone, for the parse-only baseline. */
  @State(Scope.Thread)
  public static class TxmaBody {
    String body;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      body = TXMA_BODY;
      if (!Json.MAPPER.readTree(body).isObject()) {
        throw new IllegalStateException("TxMA benchmark body is not a JSON object");
      }
    }
  }

  /** The hot path: body check, parse, unwrap, validate, key and item. */
  @Benchmark
  public PreparedEvent prepare(PipelineState state) {
    return state.compiled.prepare(state.nextMessage(), NOW);
  }

  /** Baseline: Jackson parse of the same TxMA body, nothing else. */
  @Benchmark
  public JsonNode parseOnlyTxma(TxmaBody state) throws Exception {
    return Json.MAPPER.readTree(state.body);
  }
}
