package dev.evtctl.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evtctl.aws.AwsClients;
import dev.evtctl.aws.ClientSettings;
import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.stack.TableLayout;
import dev.evtctl.local.LocalBackends;
import dev.evtctl.testing.LatencyRelay;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Issue 17's comparison: evtctl's Lambda handler against a handler written as Powertools' batch
 * module has one written ({@link PowertoolsStyleBatchHandler}: the library itself is not served
 * here) and a plain Node 20 function doing the original dequeue Lambda's work ({@code
 * src/test/node}), in one run, against the same warmed DynamoDB Local (in this JVM), with no added
 * round trip and then with one ({@link LatencyRelay} in front of DynamoDB Local, so Java and Node
 * pay the same).
 *
 * <p>Cold: for each row, COLD fresh processes ({@link LambdaChild}, or node driver.js), each timed
 * from just before this JVM starts it: init (to the handler built), first batch (10 distinct events
 * written), wall (process start to the first batch written), CPU of the process to then; the rows
 * take turns, so the machine's drift falls on all. Warm: one process per row, WARMUP batches then
 * MEASURED timed ones: median and p99 per batch, CPU per record. Every figure also as a ratio to
 * evtctl's at the same added round trip. Every row's items are counted in its table afterwards: a
 * row with a failed record or a missing item fails the run.
 *
 * <pre>
 * ./mvnw -B -q package -DskipTests   # target/evtctl-lambda.jar, the processes' classpath
 * ./mvnw -q -Pbench test-compile exec:exec -Dbench.main=dev.evtctl.bench.LambdaBenchmark -Dbench.args="7 200 300 0,10"
 * </pre>
 *
 * Arguments: COLD (7), WARMUP (200), MEASURED (300), the added round trips in ms (0,10).
 */
public final class LambdaBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path TARGET = Path.of("target");
  private static final Path WORK = TARGET.resolve("lambda-bench");
  private static final Path LAMBDA_JAR = TARGET.resolve("evtctl-lambda.jar");
  private static final Path NODE_DIR = Path.of("src", "test", "node");
  private static final Set<String> TXMA_ATTRIBUTES =
      Set.of("pk", "sk", "event", "timeToLiveInSeconds");

  /** One row of the table: what runs, with which environment of its own. */
  record Row(String key, String label, String variant, Map<String, String> environment) {
    boolean node() {
      return variant.equals("node");
    }
  }

  record Cold(double initMs, double firstBatchMs, double wallMs, double cpuMs) {}

  record Warm(double medianMs, double p99Ms, double cpuPerRecordMs) {}

  /** The figures of one row at one added round trip, or why it has none. */
  static final class Figures {
    final List<Cold> cold = new ArrayList<>();
    Warm warm;
    String skipped;
    long items;
  }

  public static void main(String[] args) throws Exception {
    int coldRuns = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int measured = args.length > 2 ? Integer.parseInt(args[2]) : 300;
    List<Integer> latencies =
        Arrays.stream((args.length > 3 ? args[3] : "0,10").split(","))
            .map(String::trim)
            .map(Integer::parseInt)
            .toList();
    if (!Files.isRegularFile(LAMBDA_JAR)) {
      throw new IllegalStateException(
          LAMBDA_JAR + " is missing: build it first with ./mvnw -B -q package -DskipTests");
    }
    Path classes = childClasses();
    Path logs = Files.createDirectories(WORK.resolve("logs"));
    String nodeNote = prepareNode();

    List<Row> rows = new ArrayList<>();
    rows.add(new Row("evtctl", "evtctl (JDK 17)", "evtctl", Map.of()));
    rows.add(
        new Row(
            "evtctl-c1",
            "evtctl, TieredStopAtLevel=1",
            "evtctl",
            Map.of("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1")));
    rows.add(new Row("primed", "evtctl, primed in init", "evtctl-primed", Map.of()));
    rows.add(
        new Row(
            "pt-seq",
            "Powertools-style, sequential",
            "powertools",
            Map.of("BATCH_MODE", "sequential")));
    rows.add(
        new Row(
            "pt-par",
            "Powertools-style, parallel",
            "powertools",
            Map.of("BATCH_MODE", "parallel")));
    rows.add(new Row("node", "Node 20, original's work", "node", Map.of()));

    Map<Integer, Map<String, Figures>> results = new LinkedHashMap<>();
    try (LocalBackends local = LocalBackends.start(0, null)) {
      URI dynamoDbEndpoint = local.dynamoDbEndpoint();
      DynamoDbClient dynamoDb =
          new AwsClients(
                  ClientSettings.emulator(null, Map.of("dynamodb", dynamoDbEndpoint)),
                  UrlConnectionHttpClient.builder().build())
              .dynamoDb();
      TableLayout layout = new TableLayout(Pipelines.builtIn("txma"));
      warmDynamoDbLocal(dynamoDb, layout);
      for (int latency : latencies) {
        LatencyRelay relay = latency == 0 ? null : LatencyRelay.start(dynamoDbEndpoint, latency);
        URI endpoint = relay == null ? dynamoDbEndpoint : relay.endpoint();
        Map<String, Figures> figures = new LinkedHashMap<>();
        Map<String, String> tables = new HashMap<>();
        for (Row row : rows) {
          Figures f = new Figures();
          figures.put(row.key, f);
          if (row.node() && nodeNote != null) {
            f.skipped = nodeNote;
            continue;
          }
          String table = "bench-" + row.key + "-" + latency + "ms";
          layout.createEventsTable(dynamoDb, table);
          tables.put(row.key, table);
        }
        Launcher launcher = new Launcher(classes, logs, endpoint, latency);
        // One untimed process per row first: the jar and node_modules in the file cache, the
        // table and the relay's first connection in DynamoDB Local.
        for (Row row : rows) {
          if (figures.get(row.key).skipped == null) {
            JsonNode result = launcher.run(row, tables.get(row.key), "cold", 0, 0, "discard");
            if (result.has("skipped")) {
              figures.get(row.key).skipped = result.get("skipped").asText();
            }
          }
        }
        for (int run = 0; run < coldRuns; run++) {
          for (Row row : rows) {
            Figures f = figures.get(row.key);
            if (f.skipped == null) {
              JsonNode result = launcher.run(row, tables.get(row.key), "cold", 0, 0, "cold" + run);
              f.cold.add(cold(result, launcher.startedMicros));
            }
          }
          System.err.printf("%d ms: cold run %d of %d done%n", latency, run + 1, coldRuns);
        }
        for (Row row : rows) {
          Figures f = figures.get(row.key);
          if (f.skipped == null) {
            JsonNode result =
                launcher.run(row, tables.get(row.key), "warm", warmup, measured, "warm");
            f.warm = warm(result, measured);
            System.err.printf("%d ms: warm %s done%n", latency, row.key);
          }
        }
        for (Row row : rows) {
          Figures f = figures.get(row.key);
          if (f.skipped == null) {
            long expected = (long) LambdaChild.BATCH_SIZE * (1 + coldRuns + 1 + warmup + measured);
            f.items = countItems(dynamoDb, tables.get(row.key), row, latency);
            if (f.items != expected) {
              throw new IllegalStateException(
                  row.label
                      + " at +"
                      + latency
                      + " ms stored "
                      + f.items
                      + " items, not "
                      + expected);
            }
          }
        }
        results.put(latency, figures);
        if (relay != null) {
          relay.close();
        }
      }
    }
    print(rows, results, coldRuns, warmup, measured);
  }

  /** Starts the processes of one added round trip, and reads what they report. */
  private static final class Launcher {
    private final Path classes;
    private final Path logs;
    private final URI endpoint;
    private final int latency;
    long startedMicros;

    Launcher(Path classes, Path logs, URI endpoint, int latency) {
      this.classes = classes;
      this.logs = logs;
      this.endpoint = endpoint;
      this.latency = latency;
    }

    JsonNode run(Row row, String table, String mode, int warmup, int measured, String run)
        throws IOException, InterruptedException {
      String runId = row.key + "-" + latency + "ms-" + run;
      Path result = WORK.resolve(runId + ".json");
      Files.deleteIfExists(result);
      List<String> command = new ArrayList<>();
      if (row.node()) {
        command.add("node");
        command.add(NODE_DIR.resolve("driver.js").toString());
      } else {
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(LAMBDA_JAR + File.pathSeparator + classes);
        command.add(LambdaChild.class.getName());
        command.add(row.variant);
      }
      command.addAll(
          List.of(
              mode,
              Integer.toString(warmup),
              Integer.toString(measured),
              runId,
              result.toString()));
      ProcessBuilder builder = new ProcessBuilder(command);
      // The environment a Lambda function gets, not Maven's: no JAVA_TOOL_OPTIONS, no MAVEN_OPTS.
      Map<String, String> environment = builder.environment();
      String path = environment.get("PATH");
      environment.clear();
      environment.put("PATH", path);
      environment.put("LANG", "C.UTF-8");
      environment.put("TZ", "UTC");
      environment.put("AWS_REGION", "eu-west-2");
      environment.put("AWS_ACCESS_KEY_ID", "test");
      environment.put("AWS_SECRET_ACCESS_KEY", "test");
      environment.put("AWS_EC2_METADATA_DISABLED", "true");
      environment.put("AWS_CONFIG_FILE", WORK.resolve("no-aws-config").toString());
      environment.put("AWS_SHARED_CREDENTIALS_FILE", WORK.resolve("no-aws-credentials").toString());
      environment.put("AWS_ENDPOINT_URL_DYNAMODB", endpoint.toString());
      environment.put("EVENTS_TABLE_NAME", table);
      environment.putAll(row.environment);
      Path log = logs.resolve(runId + ".log");
      builder.redirectErrorStream(true).redirectOutput(log.toFile());
      startedMicros = LambdaChild.nowMicros();
      Process process = builder.start();
      if (!process.waitFor(15, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(runId + " did not end in 15 minutes; see " + log);
      }
      if (process.exitValue() != 0 || !Files.exists(result)) {
        throw new IllegalStateException(
            runId + " exited " + process.exitValue() + " without a result; see " + log);
      }
      JsonNode report = JSON.readTree(result.toFile());
      if (!report.has("skipped") && report.get("failures").asInt() != 0) {
        throw new IllegalStateException(
            runId + " returned " + report.get("failures") + " batch item failures; see " + log);
      }
      return report;
    }
  }

  static Cold cold(JsonNode result, long startedMicros) {
    long ready = result.get("readyMicros").asLong();
    long batchStart = result.get("batchStartMicros").asLong();
    long done = result.get("doneMicros").asLong();
    return new Cold(
        (ready - startedMicros) / 1000.0,
        (done - batchStart) / 1000.0,
        (done - startedMicros) / 1000.0,
        result.get("cpuMillis").asDouble());
  }

  static Warm warm(JsonNode result, int measured) {
    double[] perBatch = new double[result.get("perBatchMicros").size()];
    for (int i = 0; i < perBatch.length; i++) {
      perBatch[i] = result.get("perBatchMicros").get(i).asLong() / 1000.0;
    }
    Arrays.sort(perBatch);
    return new Warm(
        median(perBatch),
        perBatch[(int) Math.ceil(0.99 * perBatch.length) - 1],
        result.get("measuredCpuMillis").asDouble() / ((double) measured * LambdaChild.BATCH_SIZE));
  }

  static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /**
   * The items the row's processes wrote (their sessions begin with the row's key), each checked to
   * be a txma item; anything else in the table (a priming hook's own writes) is not counted.
   */
  private static long countItems(DynamoDbClient dynamoDb, String table, Row row, int latency) {
    String prefix = "SESSION#" + row.key + "-" + latency + "ms-";
    long count = 0;
    for (Map<String, AttributeValue> item :
        dynamoDb
            .scanPaginator(ScanRequest.builder().tableName(table).consistentRead(true).build())
            .items()) {
      if (!item.get("pk").s().startsWith(prefix)) {
        continue;
      }
      if (!item.keySet().equals(TXMA_ATTRIBUTES)
          || !item.get("sk").s().startsWith("TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_")) {
        throw new IllegalStateException(row.label + " wrote an item unlike evtctl's: " + item);
      }
      count++;
    }
    return count;
  }

  /**
   * DynamoDB Local warmed before any process is timed: its JIT, its SQLite pages, its HTTP server,
   * with as many conditional puts as a row writes.
   */
  private static void warmDynamoDbLocal(DynamoDbClient dynamoDb, TableLayout layout)
      throws InterruptedException {
    layout.createEventsTable(dynamoDb, "bench-warmup");
    ExecutorService threads = Executors.newFixedThreadPool(4);
    IntStream.range(0, 6000)
        .forEach(
            i ->
                threads.execute(
                    () ->
                        dynamoDb.putItem(
                            PutItemRequest.builder()
                                .tableName("bench-warmup")
                                .item(
                                    Map.of(
                                        "pk", AttributeValue.fromS("SESSION#warmup-" + (i / 10)),
                                        "sk", AttributeValue.fromS("TXMA#" + i),
                                        "event", AttributeValue.fromS("{\"n\":" + i + "}")))
                                .conditionExpression("attribute_not_exists(pk)")
                                .build())));
    threads.shutdown();
    threads.awaitTermination(10, TimeUnit.MINUTES);
  }

  /**
   * The classes the Java processes need beside the Lambda jar, copied out of the test classpath
   * alone: the whole of target/test-classes would bring its logback-test.xml and change the
   * handler's logging.
   */
  private static Path childClasses() throws IOException, URISyntaxException {
    Path testClasses =
        Path.of(LambdaChild.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path classes = WORK.resolve("classes");
    for (String dir : List.of("dev/evtctl/bench", "dev/evtctl/testing")) {
      Files.createDirectories(classes.resolve(dir));
    }
    try (Stream<Path> files = Files.walk(testClasses.resolve("dev/evtctl"))) {
      for (Path file : files.toList()) {
        String name = testClasses.relativize(file).toString().replace(File.separatorChar, '/');
        if (name.startsWith("dev/evtctl/bench/LambdaChild")
            || name.startsWith("dev/evtctl/bench/PowertoolsStyleBatchHandler")
            || name.equals("dev/evtctl/testing/TxmaBodies.class")) {
          Files.copy(file, classes.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return classes;
  }

  /** Null when node can run the Node row (node_modules installed with npm ci), else why not. */
  private static String prepareNode() throws IOException, InterruptedException {
    try {
      Process version = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      String text = new String(version.getInputStream().readAllBytes()).trim();
      if (version.waitFor() != 0 || !text.startsWith("v")) {
        return "node --version failed: " + text;
      }
      System.err.println("node " + text);
    } catch (IOException e) {
      return "no node on this machine";
    }
    if (!Files.isDirectory(NODE_DIR.resolve("node_modules/@aws-sdk/client-dynamodb"))) {
      Process npm =
          new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
              .directory(NODE_DIR.toFile())
              .inheritIO()
              .start();
      if (npm.waitFor() != 0) {
        return "npm ci failed in " + NODE_DIR;
      }
    }
    return null;
  }

  private static void print(
      List<Row> rows,
      Map<Integer, Map<String, Figures>> results,
      int coldRuns,
      int warmup,
      int measured) {
    System.out.printf(
        "%nCold: process start -> first batch of %d written, median of %d fresh processes%n",
        LambdaChild.BATCH_SIZE, coldRuns);
    System.out.println(
        "(x = this row / evtctl at the same added round trip; below 1 is less than evtctl)");
    System.out.println();
    System.out.println(
        "| +RTT | row | wall ms | x | init ms | x | first batch ms | x | CPU ms | x |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    results.forEach(
        (latency, figures) -> {
          Cold base = medians(figures.get("evtctl").cold);
          for (Row row : rows) {
            Figures f = figures.get(row.key);
            if (f.skipped != null) {
              System.out.printf("| %d ms | %s | skipped: %s |%n", latency, row.label, f.skipped);
              continue;
            }
            Cold c = medians(f.cold);
            System.out.printf(
                "| %d ms | %s | %.0f | %.2f | %.0f | %.2f | %.1f | %.2f | %.0f | %.2f |%n",
                latency,
                row.label,
                c.wallMs,
                c.wallMs / base.wallMs,
                c.initMs,
                c.initMs / base.initMs,
                c.firstBatchMs,
                c.firstBatchMs / base.firstBatchMs,
                c.cpuMs,
                c.cpuMs / base.cpuMs);
          }
        });
    System.out.printf(
        "%nWarm: %d batches of %d after %d warm-up batches, one process per row%n%n",
        measured, LambdaChild.BATCH_SIZE, warmup);
    System.out.println(
        "| +RTT | row | median ms/batch | x | p99 ms/batch | x | CPU ms/record | x | items |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    results.forEach(
        (latency, figures) -> {
          Warm base = figures.get("evtctl").warm;
          for (Row row : rows) {
            Figures f = figures.get(row.key);
            if (f.skipped != null) {
              System.out.printf("| %d ms | %s | skipped: %s |%n", latency, row.label, f.skipped);
              continue;
            }
            Warm w = f.warm;
            System.out.printf(
                "| %d ms | %s | %.2f | %.2f | %.2f | %.2f | %.3f | %.2f | %d |%n",
                latency,
                row.label,
                w.medianMs,
                w.medianMs / base.medianMs,
                w.p99Ms,
                w.p99Ms / base.p99Ms,
                w.cpuPerRecordMs,
                w.cpuPerRecordMs / base.cpuPerRecordMs,
                f.items);
          }
        });
  }

  /** Each figure's own median over the cold processes. */
  static Cold medians(List<Cold> runs) {
    return new Cold(
        median(runs.stream().mapToDouble(Cold::initMs).sorted().toArray()),
        median(runs.stream().mapToDouble(Cold::firstBatchMs).sorted().toArray()),
        median(runs.stream().mapToDouble(Cold::wallMs).sorted().toArray()),
        median(runs.stream().mapToDouble(Cold::cpuMs).sorted().toArray()));
  }
}
