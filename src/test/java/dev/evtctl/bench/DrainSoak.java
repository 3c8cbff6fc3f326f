package dev.evtctl.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evtctl.aws.AwsClients;
import dev.evtctl.aws.ClientSettings;
import dev.evtctl.cli.Evtctl;
import dev.evtctl.core.pipeline.Json;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.pipeline.PreparedEvent;
import dev.evtctl.core.pipeline.QueueMessage;
import dev.evtctl.core.stack.Stack;
import dev.evtctl.core.stack.StackNames;
import dev.evtctl.local.LocalBackends;
import dev.evtctl.testing.FaultyRelay;
import dev.evtctl.testing.FaultyRelay.Fault;
import dev.evtctl.testing.PipelineTables;
import dev.evtctl.testing.QueueDepth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The soak: {@code evtctl drain}, in its own JVM at {@code -Xmx128m}, drains 20,000 txma events
 * through a relay on loopback that fails 20 % of every SQS and DynamoDB call (503s, resets before
 * and after the backend acted, slow answers). It then checks what the issue asks: every event
 * stored exactly once (the table's keys are exactly the events' keys), the exit code 0 or 3, the
 * queue empty, and every failed attempt the relay caused explained by the summary: tried again
 * ({@code retried}), or the last of a write's attempts, whose message went back ({@code retry}).
 * Not a test (it takes minutes, and CI does not run it); it prints its figures for
 * docs/performance.md.
 *
 * <pre>
 * ./mvnw -q -Pbench test-compile exec:exec -Dbench.main=dev.evtctl.bench.DrainSoak -Dbench.args="20000 0.2"
 * </pre>
 */
public final class DrainSoak {

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    double rate = args.length > 1 ? Double.parseDouble(args[1]) : 0.2;
    Pipeline pipeline = Pipelines.builtIn("txma");
    try (LocalBackends local = LocalBackends.start(0, null);
        FaultyRelay relay = FaultyRelay.to(local.endpoint(), 20)) {
      AwsClients aws =
          new AwsClients(
              ClientSettings.emulator(local.endpoint(), Map.of()),
              ApacheHttpClient.builder().maxConnections(64).build());
      SqsClient sqs = aws.sqs();
      DynamoDbClient dynamoDb = aws.dynamoDb();
      StackNames names = new StackNames("soak", false);
      // A 5 s visibility timeout: messages whose receive answer the relay loses come back soon.
      new Stack(sqs, dynamoDb).create(pipeline, names, 10, 5);
      String queueUrl = sqs.getQueueUrl(r -> r.queueName(names.queue())).queueUrl();
      List<String> bodies = DrainBenchmark.bodies(messages);
      Set<String> expectedKeys = new HashSet<>();
      for (String body : bodies) {
        var item =
            ((PreparedEvent.Valid) pipeline.prepare(QueueMessage.of("m", body), Instant.now()))
                .item();
        expectedKeys.add(key(item));
      }
      DrainBenchmark.seed(sqs, queueUrl, bodies);
      relay.inject(
          target -> target.startsWith("AmazonSQS.") || target.startsWith("DynamoDB_"),
          rate,
          Fault.values());

      Path dir = Files.createTempDirectory("evtctl-soak");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      long started = System.nanoTime();
      Process drain =
          new ProcessBuilder(
                  java,
                  "-Xmx128m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  Evtctl.class.getName(),
                  "--endpoint-url",
                  relay.endpoint().toString(),
                  "-o",
                  "json",
                  "drain",
                  "-q",
                  names.queue(),
                  "--idle-timeout",
                  "20")
              .redirectOutput(dir.resolve("out.json").toFile())
              .redirectError(dir.resolve("err.txt").toFile())
              .start();
      int exit = drain.waitFor();
      double seconds = (System.nanoTime() - started) / 1e9;

      JsonNode summary = Json.MAPPER.readTree(Files.readString(dir.resolve("out.json"))).get(0);
      Set<String> storedKeys = new HashSet<>();
      List<Map<String, AttributeValue>> stored =
          PipelineTables.scan(dynamoDb, names.eventsTable(), "pk", "sk");
      stored.forEach(item -> storedKeys.add(key(item)));
      int left = QueueDepth.of(sqs, names.queue()) + QueueDepth.of(sqs, names.deadLetterQueue());
      long failedAttempts = relay.failedAttempts();

      System.out.printf(
          "soak: %d messages (%d distinct events), %.0f %% of SQS and DynamoDB calls faulted,"
              + " drain at -Xmx128m%n",
          messages, expectedKeys.size(), rate * 100);
      System.out.printf("exit code %d after %.1f s%n", exit, seconds);
      System.out.println("summary: " + summary);
      System.out.println("faults injected: " + relay.injected());
      System.out.println("stderr:");
      System.out.print(
          Files.readString(dir.resolve("err.txt"))
              .lines()
              .filter(l -> !l.startsWith("{"))
              .map(l -> "  " + l + "\n")
              .reduce("", String::concat));
      boolean exactlyOnce = storedKeys.equals(expectedKeys) && stored.size() == expectedKeys.size();
      boolean exitOk = exit == 0 || exit == 3;
      // Each failed attempt the relay caused was either tried again (retried) or was the last of a
      // DynamoDB write's three (the SDK's standard, as in Lambda): that message went back (retry).
      long explained = summary.get("retried").asLong() + summary.get("retry").asLong();
      boolean retriesExplained = explained == failedAttempts;
      System.out.printf(
          "every event stored exactly once: %s (%d items); exit 0 or 3: %s; queue and DLQ empty: %s"
              + " (%d left); retried %d + retry %d = failed attempts injected %d: %s%n",
          exactlyOnce,
          stored.size(),
          exitOk,
          left == 0,
          left,
          summary.get("retried").asLong(),
          summary.get("retry").asLong(),
          failedAttempts,
          retriesExplained);
      System.exit(exactlyOnce && exitOk && left == 0 && retriesExplained ? 0 : 1);
    }
  }

  private static String key(Map<String, AttributeValue> item) {
    return item.get("pk").s() + "\u0000" + item.get("sk").s();
  }
}
