package dev.evtctl.core.queue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evtctl.core.pipeline.InvalidSettingException;
import dev.evtctl.core.pipeline.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Which queues have a dead-letter queue, and how full those are. */
public final class DeadLetterQueues {

  /**
   * A queue and its dead-letter queue.
   *
   * @param source the queue whose failed messages move
   * @param deadLetter where they move to
   * @param maxReceiveCount receives before a message moves, or null when not known
   */
  public record Pair(String source, String deadLetter, Integer maxReceiveCount) {}

  /**
   * A queue's depth.
   *
   * @param visible messages waiting (ApproximateNumberOfMessages)
   * @param inFlight messages received and not yet deleted (ApproximateNumberOfMessagesNotVisible)
   * @param oldestSent the oldest SentTimestamp among the messages sampled, or null when none was
   */
  public record Depth(long visible, long inFlight, long delayed, Instant oldestSent) {}

  /** Messages sampled for the oldest: SQS has no attribute for it (CloudWatch has a metric). */
  private static final int OLDEST_SAMPLE = 10;

  private final SqsClient sqs;

  public DeadLetterQueues(SqsClient sqs) {
    this.sqs = sqs;
  }

  /**
   * Every queue (whose name starts with the prefix, if given) that has a dead-letter queue: from
   * the queues' redrive policies, and from ListDeadLetterSourceQueues of each dead-letter queue
   * found, which also names sources outside the prefix.
   */
  public List<Pair> list(String prefix) {
    Map<String, Pair> pairs = new LinkedHashMap<>();
    List<String> queues = new ArrayList<>();
    sqs.listQueuesPaginator(r -> r.queueNamePrefix(prefix)).queueUrls().forEach(queues::add);
    for (String queue : queues) {
      Map<String, String> attributes = attributes(queue, QueueAttributeName.REDRIVE_POLICY);
      JsonNode policy = policy(attributes.get(QueueAttributeName.REDRIVE_POLICY.toString()));
      if (policy != null) {
        String deadLetter = urlOfArn(policy.path("deadLetterTargetArn").asText());
        pairs.put(queue, new Pair(queue, deadLetter, maxReceiveCount(policy)));
      }
    }
    for (String deadLetter : pairs.values().stream().map(Pair::deadLetter).distinct().toList()) {
      for (String source : sourcesOf(deadLetter)) {
        pairs.computeIfAbsent(source, s -> new Pair(s, deadLetter, maxReceiveCount(s)));
      }
    }
    return List.copyOf(pairs.values());
  }

  /** The queues whose redrive policy names this queue as their dead-letter queue. */
  public List<String> sourcesOf(String deadLetterUrl) {
    List<String> sources = new ArrayList<>();
    sqs.listDeadLetterSourceQueuesPaginator(r -> r.queueUrl(deadLetterUrl))
        .queueUrls()
        .forEach(sources::add);
    return sources;
  }

  /** How many messages the queue holds; with {@code sampleOldest}, a peek at up to ten of them. */
  public Depth depth(String queueUrl, boolean sampleOldest) {
    Map<String, String> attributes =
        attributes(
            queueUrl,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);
    long visible = number(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
    long inFlight =
        number(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE);
    Instant oldest = null;
    if (sampleOldest && visible > 0) {
      try (HeldMessages held = new HeldMessages(sqs, queueUrl)) {
        for (Message message : held.receive(OLDEST_SAMPLE)) {
          Instant sent = sentAt(message);
          if (sent != null && (oldest == null || sent.isBefore(oldest))) {
            oldest = sent;
          }
        }
      }
    }
    return new Depth(
        visible,
        inFlight,
        number(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED),
        oldest);
  }

  /** When the message was first sent (SentTimestamp), or null. */
  public static Instant sentAt(Message message) {
    return epochMillis(message.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP));
  }

  /** When the message was first received (ApproximateFirstReceiveTimestamp), or null. */
  public static Instant firstReceivedAt(Message message) {
    return epochMillis(
        message.attributes().get(MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP));
  }

  /**
   * A move task's state (ListMessageMoveTasks).
   *
   * @param status RUNNING, COMPLETED, CANCELLING, CANCELLED or FAILED
   * @param moved messages moved so far
   * @param toMove messages to move, when SQS knows
   * @param failureReason why it failed, or null
   */
  public record MoveProgress(String status, long moved, Long toMove, String failureReason) {
    public boolean finished() {
      return !status.equals("RUNNING") && !status.equals("CANCELLING");
    }
  }

  /**
   * Starts SQS's own redrive (StartMessageMoveTask) from a dead-letter queue to a queue (null: back
   * to each message's source) at a rate (null: as fast as SQS goes; at most 500 a second).
   */
  public void startMove(String deadLetterUrl, String targetUrl, Integer perSecond) {
    String source = arnOf(deadLetterUrl);
    String destination = targetUrl == null ? null : arnOf(targetUrl);
    sqs.startMessageMoveTask(
        r ->
            r.sourceArn(source)
                .destinationArn(destination)
                .maxNumberOfMessagesPerSecond(perSecond));
  }

  /** The newest move task of the dead-letter queue. */
  public MoveProgress moveProgress(String deadLetterUrl) {
    String source = arnOf(deadLetterUrl);
    var tasks = sqs.listMessageMoveTasks(r -> r.sourceArn(source).maxResults(1)).results();
    if (tasks.isEmpty()) {
      throw new InvalidSettingException("no move task for " + deadLetterUrl);
    }
    var task = tasks.get(0);
    return new MoveProgress(
        task.status(),
        task.approximateNumberOfMessagesMoved() == null
            ? 0
            : task.approximateNumberOfMessagesMoved(),
        task.approximateNumberOfMessagesToMove(),
        task.failureReason());
  }

  /** The queue's ARN. */
  public String arnOf(String queueUrl) {
    return attributes(queueUrl, QueueAttributeName.QUEUE_ARN)
        .get(QueueAttributeName.QUEUE_ARN.toString());
  }

  /** The URL of the queue an ARN names ({@code arn:aws:sqs:REGION:ACCOUNT:NAME}). */
  public String urlOfArn(String arn) {
    String[] parts = arn.split(":");
    if (parts.length < 6) {
      throw new InvalidSettingException("'" + arn + "' is not an SQS queue ARN");
    }
    return sqs.getQueueUrl(r -> r.queueName(parts[5]).queueOwnerAWSAccountId(parts[4])).queueUrl();
  }

  private Integer maxReceiveCount(String queueUrl) {
    JsonNode policy =
        policy(
            attributes(queueUrl, QueueAttributeName.REDRIVE_POLICY)
                .get(QueueAttributeName.REDRIVE_POLICY.toString()));
    return policy == null ? null : maxReceiveCount(policy);
  }

  private static Integer maxReceiveCount(JsonNode policy) {
    // The policy holds it as a number or, as some SDKs write it, as a string.
    JsonNode count = policy.path("maxReceiveCount");
    return count.isMissingNode() ? null : count.asInt();
  }

  private Map<String, String> attributes(String queueUrl, QueueAttributeName... names) {
    return sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(names))
        .attributesAsStrings();
  }

  private static JsonNode policy(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Json.readTree(text);
    } catch (IOException e) {
      return null;
    }
  }

  private static long number(Map<String, String> attributes, QueueAttributeName name) {
    String value = attributes.get(name.toString());
    return value == null ? 0 : Long.parseLong(value);
  }

  private static Instant epochMillis(String text) {
    return text == null ? null : Instant.ofEpochMilli(Long.parseLong(text));
  }
}
