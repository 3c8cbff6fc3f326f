package dev.evtctl.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * The edge answers ListDeadLetterSourceQueues and StartMessageMoveTask (without DestinationArn)
 * from the queues' current RedrivePolicy: ElasticMQ 1.6 reads only the policy a queue was created
 * with, so it listed no source for a policy set by SetQueueAttributes (as {@code stack create} does
 * on an existing queue) and a move task back to the source never answered.
 */
class DeadLetterSourcesTest {

  private static LocalBackends local;
  private static SqsClient sqs;

  @BeforeAll
  static void start() {
    local = LocalBackends.start(0, null);
    sqs =
        SqsClient.builder()
            .endpointOverride(local.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .httpClient(UrlConnectionHttpClient.create())
            // a hang is a failure, not a stuck build
            .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(15)))
            .build();
  }

  @AfterAll
  static void stop() {
    local.close();
  }

  private static String arn(String queueUrl) {
    return sqs.getQueueAttributes(
            r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes()
        .get(QueueAttributeName.QUEUE_ARN);
  }

  private static String policy(String deadLetterUrl, int maxReceiveCount) {
    return "{\"deadLetterTargetArn\":\""
        + arn(deadLetterUrl)
        + "\",\"maxReceiveCount\":"
        + maxReceiveCount
        + "}";
  }

  private static String createdWithPolicy(String name, String deadLetterUrl) {
    return sqs.createQueue(
            r ->
                r.queueName(name)
                    .attributes(
                        Map.of(QueueAttributeName.REDRIVE_POLICY, policy(deadLetterUrl, 1))))
        .queueUrl();
  }

  private static String policySetLater(String name, String deadLetterUrl) {
    String url = sqs.createQueue(r -> r.queueName(name)).queueUrl();
    sqs.setQueueAttributes(
        r ->
            r.queueUrl(url)
                .attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, policy(deadLetterUrl, 1))));
    return url;
  }

  /** The SQS query protocol (awscli v1, older SDKs), signed with any credentials. */
  private static HttpResponse<String> query(String... parameters) throws Exception {
    StringBuilder form = new StringBuilder("Version=2012-11-05");
    for (int i = 0; i < parameters.length; i += 2) {
      form.append('&')
          .append(parameters[i])
          .append('=')
          .append(URLEncoder.encode(parameters[i + 1], StandardCharsets.UTF_8));
    }
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(local.endpoint())
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header(
                    "Authorization",
                    "AWS4-HMAC-SHA256 Credential=test/20261201/us-east-1/sqs/aws4_request,"
                        + " SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** Moves the queue's messages to its dead-letter queue: maxReceiveCount 1, received twice. */
  private static void deadLetter(String queueUrl, String... bodies) throws InterruptedException {
    for (String body : bodies) {
      sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      List<Message> received =
          sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).visibilityTimeout(0))
              .messages();
      if (received.isEmpty() && depth(queueUrl) == 0) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("messages did not move to the dead-letter queue");
  }

  /** Messages visible and in flight. */
  private static long depth(String queueUrl) {
    return sqs
        .getQueueAttributes(
            r ->
                r.queueUrl(queueUrl)
                    .attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
        .attributes()
        .values()
        .stream()
        .mapToLong(Long::parseLong)
        .sum();
  }

  private static List<String> bodies(String queueUrl) {
    List<String> bodies = new ArrayList<>();
    List<Message> batch;
    do {
      batch =
          sqs.receiveMessage(
                  r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).visibilityTimeout(30))
              .messages();
      batch.forEach(m -> bodies.add(m.body()));
    } while (!batch.isEmpty());
    return bodies;
  }

  @Test
  void sourcesWhosePolicyWasSetLaterAreListedInBothProtocols() throws Exception {
    // GIVEN a dead-letter queue named by one queue at creation and by two set afterwards
    String dlq = sqs.createQueue(r -> r.queueName("sources-dlq")).queueUrl();
    String atCreation = createdWithPolicy("sources-at-creation", dlq);
    String setLater = policySetLater("sources-set-later", dlq);
    String setLaterToo = policySetLater("sources-set-later-too", dlq);
    String unrelated = sqs.createQueue(r -> r.queueName("sources-unrelated")).queueUrl();
    // and one created naming it, then pointed at another dead-letter queue
    String moved = createdWithPolicy("sources-moved", dlq);
    String otherDlq = sqs.createQueue(r -> r.queueName("sources-other-dlq")).queueUrl();
    sqs.setQueueAttributes(
        r ->
            r.queueUrl(moved)
                .attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, policy(otherDlq, 1))));

    // WHEN the SDK (JSON protocol) asks, all at once and a page at a time
    List<String> all = sqs.listDeadLetterSourceQueues(r -> r.queueUrl(dlq)).queueUrls();
    List<String> paged = new ArrayList<>();
    sqs.listDeadLetterSourceQueuesPaginator(r -> r.queueUrl(dlq).maxResults(1))
        .queueUrls()
        .forEach(paged::add);
    // and the query protocol asks
    HttpResponse<String> asQuery = query("Action", "ListDeadLetterSourceQueues", "QueueUrl", dlq);

    // THEN every current source is there, and nothing else
    assertThat(sqs.listDeadLetterSourceQueues(r -> r.queueUrl(otherDlq)).queueUrls())
        .containsExactly(moved);
    assertThat(all).containsExactlyInAnyOrder(atCreation, setLater, setLaterToo);
    assertThat(paged).containsExactlyInAnyOrder(atCreation, setLater, setLaterToo);
    assertThat(asQuery.statusCode()).isEqualTo(200);
    assertThat(asQuery.body())
        .contains("<ListDeadLetterSourceQueuesResult>")
        .contains("<QueueUrl>" + atCreation + "</QueueUrl>")
        .contains("<QueueUrl>" + setLater + "</QueueUrl>")
        .contains("<QueueUrl>" + setLaterToo + "</QueueUrl>")
        .doesNotContain(unrelated)
        .doesNotContain(moved);
    // AND a queue that does not exist is SQS's error, in each protocol
    assertThat(query("Action", "ListDeadLetterSourceQueues", "QueueUrl", dlq + "-nope").body())
        .contains("<Code>AWS.SimpleQueueService.NonExistentQueue</Code>");
    assertThatThrownBy(() -> sqs.listDeadLetterSourceQueues(r -> r.queueUrl(dlq + "-nope")))
        .isInstanceOf(QueueDoesNotExistException.class);
  }

  @Test
  void aMoveTaskWithoutDestinationReturnsMessagesToTheirSourceQueue() throws Exception {
    // GIVEN messages dead-lettered from a queue whose policy was set with SetQueueAttributes
    String dlq = sqs.createQueue(r -> r.queueName("move-back-dlq")).queueUrl();
    String source = policySetLater("move-back-source", dlq);
    deadLetter(source, "one", "two", "three");
    assertThat(depth(dlq)).isEqualTo(3);

    // WHEN a move task starts without DestinationArn (as `aws sqs start-message-move-task`
    // without --destination-arn, and `evtctl dlq redrive --native`)
    String handle = sqs.startMessageMoveTask(r -> r.sourceArn(arn(dlq))).taskHandle();

    // THEN it answers, completes, and the messages are back on their source queue
    assertThat(handle).isNotBlank();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    String status = "";
    while (System.nanoTime() < deadline && !status.equals("COMPLETED")) {
      Thread.sleep(100);
      status = sqs.listMessageMoveTasks(r -> r.sourceArn(arn(dlq))).results().get(0).status();
    }
    assertThat(status).isEqualTo("COMPLETED");
    assertThat(bodies(source)).containsExactlyInAnyOrder("one", "two", "three");
    assertThat(depth(dlq)).isZero();
  }

  @Test
  void aMoveTaskWithoutDestinationSaysWhyWhenTheSourceIsNotOne() throws Exception {
    // GIVEN a queue no redrive policy names, and one that two queues name
    String orphan = sqs.createQueue(r -> r.queueName("move-orphan")).queueUrl();
    String shared = sqs.createQueue(r -> r.queueName("move-shared-dlq")).queueUrl();
    policySetLater("move-shared-a", shared);
    createdWithPolicy("move-shared-b", shared);

    // WHEN a move task without DestinationArn starts from each, THEN each is refused at once
    for (String deadLetter : List.of(orphan, shared)) {
      long started = System.nanoTime();
      try {
        sqs.startMessageMoveTask(r -> r.sourceArn(arn(deadLetter)));
        throw new AssertionError("started a move task from " + deadLetter);
      } catch (SqsException e) {
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorMessage()).contains("DestinationArn");
      }
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
    // AND with the query protocol too
    HttpResponse<String> asQuery =
        query("Action", "StartMessageMoveTask", "SourceArn", arn(orphan));
    assertThat(asQuery.statusCode()).isEqualTo(400);
    assertThat(asQuery.body()).contains("<Error>").contains("DestinationArn");
  }
}
