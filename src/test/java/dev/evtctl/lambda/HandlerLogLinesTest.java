package dev.evtctl.lambda;

import static dev.evtctl.testing.FaultInjector.writesContaining;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evtctl.core.logs.FileLogs;
import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.processing.BatchFailedException;
import dev.evtctl.core.processing.EventLog;
import dev.evtctl.core.processing.JsonLogConfigurator;
import dev.evtctl.core.processing.LogCode;
import dev.evtctl.core.trace.EventTrace;
import dev.evtctl.core.trace.SourceLines;
import dev.evtctl.core.trace.Trace;
import dev.evtctl.core.trace.TraceRequest;
import dev.evtctl.core.trace.Tracer;
import dev.evtctl.testing.BatchFailures;
import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.FaultInjector;
import dev.evtctl.testing.Fixtures;
import dev.evtctl.testing.PipelineTables;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The JSON lines the handler writes, through the encoder Lambda uses: the keys Powertools' logger
 * writes on every line of an invocation, and the codes of the original dequeue Lambda.
 */
@ExtendWith(EmbeddedAws.class)
class HandlerLogLinesTest {

  private static final String FUNCTION = "audit-dequeue";
  private static final String ARN = "arn:aws:lambda:eu-west-2:123456789012:function:" + FUNCTION;
  private static final Set<String> INVOCATION_KEYS =
      Set.of(
          "service",
          "cold_start",
          "function_name",
          "function_arn",
          "function_memory_size",
          "function_request_id",
          "xray_trace_id");

  private static final ObjectMapper JSON = new ObjectMapper();

  private EmbeddedAws.Backends backends;
  private PipelineTables tables;
  private Map<String, String> env;

  private final ByteArrayOutputStream written = new ByteArrayOutputStream();
  private OutputStreamAppender<ILoggingEvent> appender;
  private Logger evtctl;
  private Level previousLevel;

  @BeforeEach
  void setUp(EmbeddedAws.Backends backends) {
    this.backends = backends;
    tables = PipelineTables.create(backends.dynamoDb(), "txma");
    env = tables.environment();
    env.put("POWERTOOLS_SERVICE_NAME", "audit");
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setName("CAPTURE");
    appender.setEncoder(JsonLogConfigurator.encoder(context));
    appender.setOutputStream(written);
    appender.start();
    evtctl = context.getLogger("evtctl");
    previousLevel = evtctl.getLevel();
    evtctl.setLevel(Level.INFO);
    evtctl.addAppender(appender);
  }

  @AfterEach
  void tearDown() {
    evtctl.detachAppender(appender);
    appender.stop();
    evtctl.setLevel(previousLevel);
    System.clearProperty(InvocationFields.TRACE_HEADER_PROPERTY);
  }

  /** A new process's handler: its first invocation is the cold start. */
  private SqsEventsHandler handler(Map<String, String> environment, FaultInjector fault) {
    return new SqsEventsHandler(
        environment,
        fault == null ? backends.dynamoDb() : backends.dynamoDb(fault),
        backends.sqs(),
        new AtomicBoolean(true));
  }

  /** The JSON lines written since the last call. */
  private List<JsonNode> lines() {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : written.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        try {
          lines.add(JSON.readTree(line));
        } catch (IOException e) {
          throw new UncheckedIOException("not a JSON line: " + line, e);
        }
      }
    }
    written.reset();
    return lines;
  }

  private static List<String> codes(List<JsonNode> lines) {
    return lines.stream().map(line -> line.get("code").asText()).toList();
  }

  private static Set<String> keys(JsonNode line) {
    Set<String> keys = new HashSet<>();
    line.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  private static Map<String, Object> invocationFields(JsonNode line) {
    return Map.of(
        "service", line.get("service").textValue(),
        "cold_start", line.get("cold_start").booleanValue(),
        "function_name", line.get("function_name").textValue(),
        "function_arn", line.get("function_arn").textValue(),
        "function_memory_size", line.get("function_memory_size").longValue(),
        "function_request_id", line.get("function_request_id").textValue(),
        "xray_trace_id", line.get("xray_trace_id").textValue());
  }

  private static Map<String, Object> expected(boolean coldStart, String requestId, String traceId) {
    return Map.of(
        "service", "audit",
        "cold_start", coldStart,
        "function_name", FUNCTION,
        "function_arn", ARN,
        "function_memory_size", 1024L,
        "function_request_id", requestId,
        "xray_trace_id", traceId);
  }

  @Test
  void everyLineOfAnInvocationCarriesThePowertoolsKeys() {
    // GIVEN a new process's handler and two invocations, each with its context and trace header
    SqsEventsHandler handler = handler(env, null);
    String trace1 = "1-5759e988-bd862e3fe1be46a994272793";
    String trace2 = "1-5759e989-0123456789abcdef01234567";

    // WHEN the same two-duplicate batch is handled twice (DUPLICATE_EVENT is logged on a worker
    // thread, PROCESSED_MESSAGES on the invocation's)
    System.setProperty(
        InvocationFields.TRACE_HEADER_PROPERTY,
        "Root=" + trace1 + ";Parent=53995c3f42cd8ad8;Sampled=1");
    handler.handleRequest(Fixtures.sqsEvent("txma-duplicates.json"), new FixedContext("req-1"));
    List<JsonNode> first = lines();
    System.setProperty(
        InvocationFields.TRACE_HEADER_PROPERTY,
        "Root=" + trace2 + ";Parent=53995c3f42cd8ad9;Sampled=0");
    handler.handleRequest(Fixtures.sqsEvent("txma-duplicates.json"), new FixedContext("req-2"));
    List<JsonNode> second = lines();

    // THEN every line has the keys with their values: a cold start, then a warm one
    assertThat(codes(first)).containsExactly("DUPLICATE_EVENT", "PROCESSED_MESSAGES");
    assertThat(codes(second))
        .containsExactly("DUPLICATE_EVENT", "DUPLICATE_EVENT", "PROCESSED_MESSAGES");
    assertThat(first)
        .allSatisfy(
            line -> assertThat(invocationFields(line)).isEqualTo(expected(true, "req-1", trace1)));
    assertThat(second)
        .allSatisfy(
            line -> assertThat(invocationFields(line)).isEqualTo(expected(false, "req-2", trace2)));
    // ... as JSON types Powertools writes, beside the keys of the line itself
    JsonNode summary = first.get(1);
    assertThat(summary.get("cold_start").isBoolean()).isTrue();
    assertThat(summary.get("function_memory_size").isIntegralNumber()).isTrue();
    assertThat(keys(summary))
        .containsExactlyInAnyOrder(
            "timestamp",
            "level",
            "message",
            "code",
            "pipeline",
            "messages",
            "persisted",
            "duplicate",
            "invalid",
            "retry",
            "skipped",
            "millis",
            "service",
            "cold_start",
            "function_name",
            "function_arn",
            "function_memory_size",
            "function_request_id",
            "xray_trace_id");
    assertThat(summary.get("level").asText()).isEqualTo("INFO");
  }

  @Test
  void withoutContextOrTraceHeaderTheFunctionAndTraceKeysAreLeftOut() {
    // GIVEN a handler without POWERTOOLS_SERVICE_NAME, invoked once with a context
    env.remove("POWERTOOLS_SERVICE_NAME");
    SqsEventsHandler handler = handler(env, null);
    handler.handleRequest(Fixtures.sqsEvent("txma-duplicates.json"), new FixedContext("req-1"));
    lines();

    // WHEN invoked again with no context and no trace header, then a line logged afterwards
    handler.handleRequest(Fixtures.sqsEvent("txma-duplicates.json"), null);
    List<JsonNode> invocation = lines();
    EventLog.at(org.slf4j.event.Level.INFO, LogCode.PROCESSED_MESSAGES, null).log("after");
    List<JsonNode> after = lines();

    // THEN the invocation's lines (worker threads too) have Powertools' default service and no
    // function or trace keys; nothing of the invocation stays on a later line
    assertThat(codes(invocation))
        .containsExactly("DUPLICATE_EVENT", "DUPLICATE_EVENT", "PROCESSED_MESSAGES");
    assertThat(invocation)
        .allSatisfy(
            line -> {
              assertThat(keys(line)).containsAll(Set.of("service", "cold_start"));
              assertThat(keys(line))
                  .doesNotContainAnyElementsOf(
                      Set.of(
                          "function_name",
                          "function_arn",
                          "function_memory_size",
                          "function_request_id",
                          "xray_trace_id"));
              assertThat(line.get("service").textValue()).isEqualTo("service_undefined");
              assertThat(line.get("cold_start").booleanValue()).isFalse();
            });
    assertThat(after).hasSize(1);
    assertThat(keys(after.get(0))).doesNotContainAnyElementsOf(INVOCATION_KEYS);
  }

  @Test
  void aBatchThatFailsAsAWholeIsLoggedAsBatchFailed() {
    // GIVEN the events table does not exist
    env.put("EVENTS_TABLE_NAME", "no-such-table");
    SqsEventsHandler handler = handler(env, null);
    System.setProperty(InvocationFields.TRACE_HEADER_PROPERTY, "Root=1-5759e988-bd862e3fe1be46a9");

    // WHEN a batch is handled
    assertThatThrownBy(
            () ->
                handler.handleRequest(
                    Fixtures.sqsEvent("txma-happy.json"), new FixedContext("req-1")))
        .isInstanceOf(BatchFailedException.class);

    // THEN one ERROR line says so with BATCH_FAILED (not the per-record code), in the invocation
    List<JsonNode> lines = lines();
    assertThat(codes(lines)).containsExactly("BATCH_FAILED");
    JsonNode line = lines.get(0);
    assertThat(line.get("level").asText()).isEqualTo("ERROR");
    assertThat(line.get("message").asText())
        .isEqualTo("Batch failed; no message of it is acknowledged");
    assertThat(line.get("messages").asInt()).isEqualTo(3);
    assertThat(line.get("reason").asText())
        .startsWith(
            "pipeline txma cannot write to its tables (no-such-table): ResourceNotFoundException");
    assertThat(invocationFields(line))
        .isEqualTo(expected(true, "req-1", "1-5759e988-bd862e3fe1be46a9"));
  }

  @Test
  void recordsNotProcessedAreFailedToProcessAndTheRetriedOnesBatchItemFailures() {
    // GIVEN the INVALID records cannot be written
    SqsEventsHandler handler =
        handler(env, FaultInjector.internalServerError(writesContaining("INVALID#")));

    // WHEN a batch of one good and eight invalid messages is handled
    var response = handler.handleRequest(Fixtures.sqsEvent("txma-invalid.json"), null);

    // THEN each invalid record that could not be kept is FAILED_TO_PROCESS_MESSAGES, and the
    // batchItemFailures returned are listed once under BATCH_ITEM_FAILURES
    List<String> failed = BatchFailures.of(response);
    assertThat(failed).hasSize(8);
    List<JsonNode> lines = lines();
    assertThat(
            lines.stream()
                .filter(line -> line.get("code").asText().equals("FAILED_TO_PROCESS_MESSAGES"))
                .map(line -> line.get("messageId").asText()))
        .containsExactlyInAnyOrderElementsOf(failed);
    List<JsonNode> summary =
        lines.stream()
            .filter(line -> line.get("code").asText().equals("BATCH_ITEM_FAILURES"))
            .toList();
    assertThat(summary).hasSize(1);
    assertThat(summary.get(0).get("level").asText()).isEqualTo("WARN");
    assertThat(summary.get(0).get("message").asText())
        .isEqualTo("Messages returned to the queue for retry");
    List<String> listed = new ArrayList<>();
    summary.get(0).get("batchItemFailures").forEach(id -> listed.add(id.asText()));
    assertThat(listed).isEqualTo(failed);
  }

  /** The context Lambda gives an invocation, with fixed values. */
  private record FixedContext(String requestId) implements Context {

    @Override
    public String getAwsRequestId() {
      return requestId;
    }

    @Override
    public String getLogGroupName() {
      return "/aws/lambda/" + FUNCTION;
    }

    @Override
    public String getLogStreamName() {
      return "2026/11/23/[$LATEST]0123456789abcdef";
    }

    @Override
    public String getFunctionName() {
      return FUNCTION;
    }

    @Override
    public String getFunctionVersion() {
      return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
      return ARN;
    }

    @Override
    public CognitoIdentity getIdentity() {
      return null;
    }

    @Override
    public ClientContext getClientContext() {
      return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
      return 30_000;
    }

    @Override
    public int getMemoryLimitInMB() {
      return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
      return null;
    }
  }

  @Test
  void traceReadsTheHandlersLinesAsItReadsDrains(@TempDir Path dir) throws IOException {
    // GIVEN the handler's lines for a batch whose second message is a duplicate, in a file
    SqsEventsHandler handler = handler(env, null);
    handler.handleRequest(Fixtures.sqsEvent("txma-duplicates.json"), new FixedContext("req-1"));
    Path file = dir.resolve("lambda.log");
    Files.writeString(file, written.toString(StandardCharsets.UTF_8));

    // WHEN the duplicate's messageId is traced through that file and the events table
    Trace trace =
        new Tracer(backends.sqs(), backends.dynamoDb())
            .trace(
                new TraceRequest(
                    "m-1-redriven",
                    Pipelines.builtIn("txma"),
                    null,
                    null,
                    tables.events(),
                    List.of(),
                    new SourceLines(new FileLogs(file))));

    // THEN the Lambda's DUPLICATE line, joined by its ids to the item the first message stored
    assertThat(trace.events()).hasSize(1);
    EventTrace event = trace.events().get(0);
    assertThat(event.verdict()).isEqualTo("stored");
    assertThat(event.steps())
        .extracting(step -> step.source() + " " + step.step() + " " + step.messageId())
        .containsExactly("lambda DUPLICATE m-1-redriven", "table stored null");
  }
}
