package dev.evtctl.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.evtctl.aws.AwsClients;
import dev.evtctl.aws.ClientSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

/** The edge endpoint: one port, both services, both SQS protocols, any credentials. */
class LocalBackendsTest {

  private static AwsClients clients(URI endpoint, String accessKey, Region region) {
    return new AwsClients(
        new ClientSettings(
            endpoint,
            Map.of(),
            region,
            null,
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, "secret")),
            List.of()),
        UrlConnectionHttpClient.builder().build());
  }

  private static void createTable(DynamoDbClient dynamoDb, String name) {
    dynamoDb.createTable(
        r ->
            r.tableName(name)
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .attributeDefinitions(
                    a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .billingMode("PAY_PER_REQUEST"));
  }

  @Test
  void oneEndpointServesSqsAndDynamoDbWhateverTheCredentialsAndRegion() {
    try (LocalBackends local = LocalBackends.start(0, null)) {
      // GIVEN two clients signing with different keys and regions, both at the edge
      AwsClients alice = clients(local.endpoint(), "alice", Region.US_EAST_1);
      AwsClients bob = clients(local.endpoint(), "bob", Region.EU_WEST_2);

      // WHEN one creates a queue and a table and writes to both
      SqsClient sqs = alice.sqs();
      String queueUrl = sqs.createQueue(r -> r.queueName("edge-test")).queueUrl();
      sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("hello"));
      createTable(alice.dynamoDb(), "edge-table");
      alice
          .dynamoDb()
          .putItem(r -> r.tableName("edge-table").item(Map.of("pk", AttributeValue.fromS("k"))));

      // THEN the other sees them, and queue URLs name the edge port
      assertThat(queueUrl).isEqualTo(local.endpoint() + "/000000000000/edge-test");
      assertThat(bob.sqs().receiveMessage(r -> r.queueUrl(queueUrl)).messages())
          .extracting(m -> m.body())
          .containsExactly("hello");
      assertThat(bob.dynamoDb().listTables().tableNames()).contains("edge-table");
      assertThat(
              bob.dynamoDb()
                  .getItem(
                      r -> r.tableName("edge-table").key(Map.of("pk", AttributeValue.fromS("k"))))
                  .item())
          .containsEntry("pk", AttributeValue.fromS("k"));
    }
  }

  @Test
  void sqsQueryProtocolAndHealthAnswerOnTheEdge() throws Exception {
    try (LocalBackends local = LocalBackends.start(0, null)) {
      clients(local.endpoint(), "test", Region.US_EAST_1)
          .sqs()
          .createQueue(r -> r.queueName("query-protocol"));
      HttpClient http = HttpClient.newHttpClient();

      HttpResponse<String> listQueues =
          http.send(
              HttpRequest.newBuilder(local.endpoint())
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  // signed, as awscli always signs (any credentials); unsigned requests are
                  // refused, see EdgeBrowserGuardTest
                  .header(
                      "Authorization",
                      "AWS4-HMAC-SHA256 Credential=test/20261201/us-east-1/sqs/aws4_request,"
                          + " SignedHeaders=host, Signature=0")
                  .POST(HttpRequest.BodyPublishers.ofString("Action=ListQueues&Version=2012-11-05"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(local.endpoint().resolve("/_evtctl/health")).build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> unknown =
          http.send(
              HttpRequest.newBuilder(local.endpoint().resolve("/what"))
                  .header("Authorization", "Bearer not-sigv4")
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(listQueues.statusCode()).isEqualTo(200);
      assertThat(listQueues.body())
          .contains("<QueueUrl>" + local.endpoint() + "/000000000000/query-protocol</QueueUrl>");
      assertThat(health.body())
          .startsWith(
              "{\"services\":{\"sqs\":\"running\",\"dynamodb\":\"running\"},"
                  + "\"edition\":\"community\",\"version\":\"");
      assertThat(unknown.statusCode()).isEqualTo(400);
    }
  }

  @Test
  void dataDirKeepsTablesQueuesAndMessagesAcrossRestarts(@TempDir Path dataDir) {
    String queueUrl;
    int port;
    try (LocalBackends local = LocalBackends.start(0, dataDir)) {
      port = local.endpoint().getPort();
      AwsClients aws = clients(local.endpoint(), "test", Region.US_EAST_1);
      queueUrl = aws.sqs().createQueue(r -> r.queueName("kept")).queueUrl();
      aws.sqs().sendMessage(r -> r.queueUrl(queueUrl).messageBody("still here"));
      createTable(aws.dynamoDb(), "kept-table");
    }
    try (LocalBackends local = LocalBackends.start(port, dataDir)) {
      AwsClients aws = clients(local.endpoint(), "test", Region.US_EAST_1);
      assertThat(aws.dynamoDb().listTables().tableNames()).containsExactly("kept-table");
      assertThat(aws.sqs().listQueues().queueUrls()).containsExactly(queueUrl);
      assertThat(aws.sqs().receiveMessage(r -> r.queueUrl(queueUrl)).messages())
          .extracting(m -> m.body())
          .containsExactly("still here");
    }
  }

  @Test
  void awsCliWorksAgainstTheEdgeWhereItIsInstalled() throws Exception {
    assumeTrue(awsCliAvailable(), "aws CLI not installed");
    try (LocalBackends local = LocalBackends.start(0, null)) {
      String endpoint = local.endpoint().toString();
      assertThat(aws(endpoint, "sqs", "create-queue", "--queue-name", "from-cli"))
          .contains("from-cli");
      assertThat(aws(endpoint, "sqs", "list-queues")).contains(endpoint + "/000000000000/from-cli");
      aws(
          endpoint,
          "dynamodb",
          "create-table",
          "--table-name",
          "cli-table",
          "--attribute-definitions",
          "AttributeName=pk,AttributeType=S",
          "--key-schema",
          "AttributeName=pk,KeyType=HASH",
          "--billing-mode",
          "PAY_PER_REQUEST");
      assertThat(aws(endpoint, "dynamodb", "list-tables")).contains("cli-table");
    }
  }

  private static boolean awsCliAvailable() {
    try {
      Process process = new ProcessBuilder("aws", "--version").redirectErrorStream(true).start();
      return process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static String aws(String endpoint, String... args) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                "aws", "--endpoint-url", endpoint, "--region", "us-east-1", "--output", "json"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("AWS_ACCESS_KEY_ID", "test");
    builder.environment().put("AWS_SECRET_ACCESS_KEY", "test");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
