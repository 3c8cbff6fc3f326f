package dev.evtctl.core.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/** Visibility timeouts of received messages changed with ChangeMessageVisibilityBatch. */
final class MessageVisibility {

  private MessageVisibility() {}

  /**
   * Sets each message's visibility to {@code seconds} of it. Entries SQS refuses go to {@code
   * failures}; a call that fails counts its messages and every later one there too, and is thrown.
   */
  static void change(
      SqsClient sqs,
      String queueUrl,
      List<Message> messages,
      ToIntFunction<Message> seconds,
      MessageFailures failures) {
    int from = 0;
    for (List<Message> chunk : SqsBatches.chunks(messages)) {
      List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
      for (int i = 0; i < chunk.size(); i++) {
        entries.add(
            ChangeMessageVisibilityBatchRequestEntry.builder()
                .id(Integer.toString(i))
                .receiptHandle(chunk.get(i).receiptHandle())
                .visibilityTimeout(seconds.applyAsInt(chunk.get(i)))
                .build());
      }
      try {
        sqs.changeMessageVisibilityBatch(r -> r.queueUrl(queueUrl).entries(entries))
            .failed()
            .forEach(
                refused ->
                    failures.refused(MessageFailures.Call.VISIBILITY_CHANGE, refused.code(), 1));
      } catch (SdkException e) {
        failures.failed(
            MessageFailures.Call.VISIBILITY_CHANGE,
            CallBound.describe(sqs, e),
            messages.size() - from);
        throw e;
      }
      from += chunk.size();
    }
  }
}
