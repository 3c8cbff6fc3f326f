package dev.evtctl.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.evtctl.aws.AwsClients;
import dev.evtctl.aws.ClientSettings;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Which queues name a dead-letter queue in their redrive policy now, read from every queue's
 * RedrivePolicy attribute. ElasticMQ 1.6 answers ListDeadLetterSourceQueues, and picks the queue a
 * move task without DestinationArn returns messages to, from the policy each queue was created
 * with: a policy set later with SetQueueAttributes (as {@code stack create} does on an existing
 * queue) is not seen, and one changed later is still seen.
 */
final class DeadLetterSources implements AutoCloseable {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final SqsClient sqs;

  /**
   * @param elasticMq ElasticMQ's own endpoint, not the edge's
   */
  DeadLetterSources(URI elasticMq) {
    this.sqs =
        new AwsClients(
                ClientSettings.emulator(elasticMq, Map.of()), UrlConnectionHttpClient.create())
            .sqs();
  }

  /**
   * The URLs of the queues whose redrive policy names this queue, sorted; null when the queue does
   * not exist.
   */
  List<String> of(String deadLetterUrl) {
    String deadLetterArn = arnOf(deadLetterUrl);
    if (deadLetterArn == null) {
      return null;
    }
    List<String> sources = new ArrayList<>();
    for (String queue : sqs.listQueuesPaginator(r -> {}).queueUrls()) {
      if (deadLetterArn.equals(deadLetterTarget(queue))) {
        sources.add(queue);
      }
    }
    sources.sort(null);
    return sources;
  }

  /** The URL of the queue an ARN ({@code arn:aws:sqs:REGION:ACCOUNT:NAME}) names, or null. */
  String urlOfArn(String arn) {
    String name = arn.substring(arn.lastIndexOf(':') + 1);
    try {
      return sqs.getQueueUrl(r -> r.queueName(name)).queueUrl();
    } catch (QueueDoesNotExistException e) {
      return null;
    }
  }

  /** The queue's ARN, or null when it does not exist. */
  String arnOf(String queueUrl) {
    try {
      return sqs.getQueueAttributes(
              r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
          .attributes()
          .get(QueueAttributeName.QUEUE_ARN);
    } catch (QueueDoesNotExistException e) {
      return null;
    }
  }

  /** The deadLetterTargetArn of the queue's redrive policy, or null. */
  private String deadLetterTarget(String queueUrl) {
    String policy;
    try {
      policy =
          sqs.getQueueAttributes(
                  r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.REDRIVE_POLICY))
              .attributes()
              .get(QueueAttributeName.REDRIVE_POLICY);
    } catch (QueueDoesNotExistException e) {
      return null; // deleted meanwhile
    }
    if (policy == null || policy.isBlank()) {
      return null;
    }
    try {
      JsonNode target = JSON.readTree(policy).path("deadLetterTargetArn");
      return target.isTextual() ? target.asText() : null;
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void close() {
    sqs.close();
  }
}
