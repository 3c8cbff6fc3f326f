package dev.evtctl.testing;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** What a queue holds, taken off it: every message, with all its attributes. */
public final class QueueContents {

  private QueueContents() {}

  /** Every message of the queue (by name), received and deleted: the queue is left empty. */
  public static List<Message> takeAll(SqsClient sqs, String queue) {
    String url = sqs.getQueueUrl(r -> r.queueName(queue)).queueUrl();
    List<Message> all = new ArrayList<>();
    while (true) {
      List<Message> batch =
          sqs.receiveMessage(
                  r ->
                      r.queueUrl(url)
                          .maxNumberOfMessages(10)
                          .waitTimeSeconds(1)
                          .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                          .messageAttributeNames("All"))
              .messages();
      if (batch.isEmpty()) {
        return all;
      }
      all.addAll(batch);
      batch.forEach(m -> sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle())));
    }
  }
}
