package dev.evtctl.cli;

import dev.evtctl.core.stack.StackNames;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/** A queue given by name or URL, as awscli takes it; a missing one is a clear error (exit 4). */
final class QueueLookup {

  private QueueLookup() {}

  static String url(SqsClient sqs, String queue) {
    try {
      if (queue.startsWith("http://") || queue.startsWith("https://")) {
        sqs.getQueueAttributes(r -> r.queueUrl(queue).attributeNamesWithStrings("QueueArn"));
        return queue;
      }
      return sqs.getQueueUrl(r -> r.queueName(queue)).queueUrl();
    } catch (QueueDoesNotExistException e) {
      StackNames stack = StackNames.fromQueue(queue);
      throw new CommandFailedException(
          ExitCode.BACKEND,
          "queue "
              + StackNames.queueName(queue)
              + " does not exist (create it with: evtctl stack create --pipeline P --name "
              + stack.name()
              + (stack.fifo() ? " --fifo" : "")
              + ")");
    }
  }
}
