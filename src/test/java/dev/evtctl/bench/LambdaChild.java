package dev.evtctl.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.evtctl.lambda.SqsEventsHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One process of {@link LambdaBenchmark}, started fresh on the Lambda jar (plus this class and
 * {@link PowertoolsStyleBatchHandler}, nothing else of the test classpath): builds the handler as
 * Lambda would (its no-argument constructor, configuration from the environment), sends it a batch
 * of 10 distinct TxMA events, and in warm mode {@code warmup} then {@code measured} more; writes
 * its timings as JSON to {@code resultFile}. The node driver ({@code src/test/node/driver.js})
 * writes the same fields.
 *
 * <pre>
 * java -cp evtctl-lambda.jar:classes dev.evtctl.bench.LambdaChild VARIANT cold|warm WARMUP MEASURED RUN_ID RESULT_FILE
 * </pre>
 *
 * Variants: {@code evtctl}, {@code evtctl-primed} (evtctl, then its priming hook in init, as a
 * SnapStart restore starts from), {@code powertools} ({@code BATCH_MODE} chooses sequential or
 * parallel). Times are epoch microseconds (CLOCK_REALTIME, the clock the parent reads before it
 * starts this process); CPU is utime + stime of /proc/self/stat (every thread: JIT, GC), in
 * milliseconds.
 */
public final class LambdaChild {

  static final int BATCH_SIZE = 10;
  private static final String[] NAMES = {
    "DCMAW_ASYNC_CRI_START", "DCMAW_ASYNC_CRI_VC_ISSUED", "DCMAW_ASYNC_CRI_END"
  };

  private LambdaChild() {}

  public static void main(String[] args) throws Exception {
    String variant = args[0];
    boolean warm = "warm".equals(args[1]);
    int warmup = Integer.parseInt(args[2]);
    int measured = Integer.parseInt(args[3]);
    String runId = args[4];
    Path resultFile = Path.of(args[5]);

    RequestHandler<SQSEvent, SQSBatchResponse> handler;
    if (variant.startsWith("evtctl")) {
      SqsEventsHandler evtctl = new SqsEventsHandler();
      if (variant.equals("evtctl-primed")) {
        evtctl.prime(); // what SnapStart's beforeCheckpoint runs
      }
      handler = evtctl;
    } else {
      handler = new PowertoolsStyleBatchHandler();
    }
    long readyMicros = nowMicros();

    SQSEvent first = batch(runId, 0);
    long batchStartMicros = nowMicros();
    SQSBatchResponse response = handler.handleRequest(first, null);
    long doneMicros = nowMicros();
    long cpuAtFirstBatch = cpuMillis();
    int failures = response.getBatchItemFailures().size();

    Map<String, Object> result = new java.util.LinkedHashMap<>();
    result.put("variant", variant);
    result.put("readyMicros", readyMicros);
    result.put("batchStartMicros", batchStartMicros);
    result.put("doneMicros", doneMicros);
    result.put("cpuMillis", cpuAtFirstBatch);
    result.put("batches", 1);
    if (warm) {
      for (int b = 1; b <= warmup; b++) {
        failures += handler.handleRequest(batch(runId, b), null).getBatchItemFailures().size();
      }
      long cpuBefore = cpuMillis();
      List<Long> perBatchMicros = new ArrayList<>(measured);
      for (int b = warmup + 1; b <= warmup + measured; b++) {
        SQSEvent event = batch(runId, b);
        long start = System.nanoTime();
        response = handler.handleRequest(event, null);
        perBatchMicros.add((System.nanoTime() - start) / 1000);
        failures += response.getBatchItemFailures().size();
      }
      result.put("measuredCpuMillis", cpuMillis() - cpuBefore);
      result.put("perBatchMicros", perBatchMicros);
      result.put("batches", 1 + warmup + measured);
    }
    result.put("failures", failures);
    Files.writeString(resultFile, json(result));
    // Lambda freezes the process rather than ending it; here the handler's pools must not hold
    // the JVM open.
    System.exit(0);
  }

  /** Ten distinct events of one session (the run's, numbered by batch), as a producer sends. */
  static SQSEvent batch(String runId, int number) {
    String session = runId + "-b" + number;
    List<SQSEvent.SQSMessage> records = new ArrayList<>(BATCH_SIZE);
    for (int i = 0; i < BATCH_SIZE; i++) {
      SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
      record.setMessageId(session + "-m" + i);
      record.setReceiptHandle("rh-" + session + "-" + i);
      record.setBody(
          dev.evtctl.testing.TxmaBodies.event(session, NAMES[i % NAMES.length], 1763900000L + i));
      record.setAttributes(Map.of());
      record.setMessageAttributes(Map.of());
      record.setMd5OfBody("");
      record.setEventSource("aws:sqs");
      record.setEventSourceArn("arn:aws:sqs:eu-west-2:000000000000:bench");
      record.setAwsRegion("eu-west-2");
      records.add(record);
    }
    SQSEvent event = new SQSEvent();
    event.setRecords(records);
    return event;
  }

  static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
  }

  /** utime + stime of this process (every thread), in ms: /proc counts in ticks of 10 ms. */
  static long cpuMillis() throws IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
  }

  private static String json(Map<String, Object> result) {
    StringJoiner fields = new StringJoiner(",", "{", "}");
    result.forEach(
        (name, value) -> {
          String text =
              value instanceof String s
                  ? "\"" + s + "\""
                  : value instanceof List<?> list
                      ? list.stream()
                          .map(String::valueOf)
                          .collect(java.util.stream.Collectors.joining(",", "[", "]"))
                      : String.valueOf(value);
          fields.add("\"" + name + "\":" + text);
        });
    return fields.toString();
  }
}
