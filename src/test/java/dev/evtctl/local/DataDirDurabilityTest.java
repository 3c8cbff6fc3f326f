package dev.evtctl.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evtctl.testing.EvtctlProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What {@code local start --data-dir} promises: a message SendMessage acknowledged, and an item
 * PutItem acknowledged, survive a kill -9 of the process at any moment after the reply. Measured
 * before the fix: a message acknowledged 75-176 ms before the kill was lost (H2 wrote its commits
 * to the file up to 500 ms later).
 */
class DataDirDurabilityTest {

  /** How long after the last reply each run is killed; 0 is the hardest. */
  private static final List<Integer> KILL_AFTER_MILLIS = List.of(0, 20, 100, 250);

  @Test
  void whatWasAcknowledgedSurvivesKillNine(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    int port = FreePort.find();
    List<String> acknowledged = new ArrayList<>();
    List<String> items = new ArrayList<>();
    for (int run = 0; run <= KILL_AFTER_MILLIS.size(); run++) {
      // GIVEN evtctl local start --data-dir, in a process of its own (again, after each kill)
      Process local = start(dir.resolve("run-" + run), port, data);
      try (SqsClient sqs = sqs(port);
          DynamoDbClient dynamoDb = dynamoDb(port)) {
        // THEN everything acknowledged before the kills is there
        String queue = sqs.createQueue(r -> r.queueName("durable")).queueUrl();
        if (run == 0) {
          dynamoDb.createTable(
              r ->
                  r.tableName("durable")
                      .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                      .attributeDefinitions(
                          a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                      .billingMode("PAY_PER_REQUEST"));
        }
        assertThat(depthWithin(sqs, queue, acknowledged.size(), Duration.ofSeconds(5)))
            .as("messages after %d kills", run)
            .isEqualTo(acknowledged.size());
        assertThat(dynamoDb.scan(r -> r.tableName("durable")).items())
            .extracting(item -> item.get("pk").s())
            .as("items after %d kills", run)
            .containsExactlyInAnyOrderElementsOf(items);
        if (run == KILL_AFTER_MILLIS.size()) {
          assertThat(bodies(sqs, queue)).containsExactlyInAnyOrderElementsOf(acknowledged);
          break;
        }
        // WHEN messages and an item are acknowledged, and the process is killed right after
        int delay = KILL_AFTER_MILLIS.get(run);
        for (int i = 0; i < 3; i++) {
          String body = "run " + run + " message " + i;
          sqs.sendMessage(r -> r.queueUrl(queue).messageBody(body));
          acknowledged.add(body);
        }
        String pk = "run " + run;
        dynamoDb.putItem(r -> r.tableName("durable").item(Map.of("pk", AttributeValue.fromS(pk))));
        items.add(pk);
        String last = "run " + run + " last";
        sqs.sendMessage(r -> r.queueUrl(queue).messageBody(last));
        acknowledged.add(last);
        Thread.sleep(delay);
      } finally {
        local.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
        assertThat(local.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
    }
  }

  private static Process start(Path output, int port, Path data) throws Exception {
    Files.createDirectories(output);
    Process process =
        EvtctlProcess.start(
            output,
            Map.of("EVTCTL_HOME", output.resolve("home").toString()),
            "local",
            "start",
            "--port",
            Integer.toString(port),
            "--data-dir",
            data.toString());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!LocalInstance.healthy(port)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError(
            "local start did not come up: " + Files.readString(output.resolve("err.txt")));
      }
      Thread.sleep(100);
    }
    return process;
  }

  /** The queue's depth once it is the expected one, or what it is after the wait. */
  private static long depthWithin(SqsClient sqs, String queue, long expected, Duration wait)
      throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    long depth;
    do {
      depth =
          Long.parseLong(
              sqs.getQueueAttributes(
                      r ->
                          r.queueUrl(queue)
                              .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                  .attributes()
                  .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
      if (depth == expected) {
        return depth;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    return depth;
  }

  private static List<String> bodies(SqsClient sqs, String queue) {
    List<String> bodies = new ArrayList<>();
    List<Message> batch;
    do {
      batch =
          sqs.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10).visibilityTimeout(60))
              .messages();
      batch.forEach(m -> bodies.add(m.body()));
    } while (!batch.isEmpty());
    return bodies;
  }

  private static SqsClient sqs(int port) {
    return SqsClient.builder()
        .endpointOverride(java.net.URI.create("http://127.0.0.1:" + port))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  private static DynamoDbClient dynamoDb(int port) {
    return DynamoDbClient.builder()
        .endpointOverride(java.net.URI.create("http://127.0.0.1:" + port))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }
}
