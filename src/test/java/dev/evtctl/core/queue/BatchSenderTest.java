package dev.evtctl.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.QueueDepth;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

@ExtendWith(EmbeddedAws.class)
class BatchSenderTest {

  /**
   * Makes the first SendMessageBatch report its first three entries failed on the server's side, as
   * SQS may. What the entries were is what the real queue received: the fault is only in the
   * answer, so a resend shows up as a second copy on the queue.
   */
  private static final class PartialFailure implements ExecutionInterceptor {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public SdkResponse modifyResponse(
        Context.ModifyResponse context, ExecutionAttributes attributes) {
      if (!(context.response() instanceof SendMessageBatchResponse response)
          || calls.incrementAndGet() > 1) {
        return context.response();
      }
      List<SendMessageBatchResultEntry> successful = new ArrayList<>(response.successful());
      List<BatchResultErrorEntry> failed = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        SendMessageBatchResultEntry entry = successful.remove(0);
        failed.add(
            BatchResultErrorEntry.builder()
                .id(entry.id())
                .code("InternalError")
                .senderFault(false)
                .message("injected")
                .build());
      }
      return response.toBuilder().successful(successful).failed(failed).build();
    }
  }

  @Test
  void entriesSqsFailedOnItsSideAreSentAgain(EmbeddedAws.Backends backends) {
    PartialFailure fault = new PartialFailure();
    SqsClient sqs = backends.sqs(fault);
    String queue = "sender-" + UUID.randomUUID().toString().substring(0, 8);
    String url = sqs.createQueue(r -> r.queueName(queue)).queueUrl();
    List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      entries.add(
          SendMessageBatchRequestEntry.builder().id("e" + i).messageBody("body " + i).build());
    }

    BatchSender.Result result = new BatchSender(sqs).send(url, entries);

    // Every entry reported sent, none failed; the three "failed" ones were sent a second time.
    assertThat(result.sent()).hasSize(10);
    assertThat(result.failed()).isEmpty();
    assertThat(fault.calls.get()).isEqualTo(2);
    assertThat(QueueDepth.of(sqs, queue)).isEqualTo(13);
  }

  @Test
  void entriesRefusedAsTheSendersFaultAreReportedNotRetried(EmbeddedAws.Backends backends) {
    SqsClient sqs = backends.sqs();
    String queue = "sender-" + UUID.randomUUID().toString().substring(0, 8) + ".fifo";
    String url =
        sqs.createQueue(
                r ->
                    r.queueName(queue).attributesWithStrings(java.util.Map.of("FifoQueue", "true")))
            .queueUrl();
    // A FIFO queue refuses entries without a MessageGroupId: the sender's fault.
    List<SendMessageBatchRequestEntry> entries =
        List.of(
            SendMessageBatchRequestEntry.builder()
                .id("ok")
                .messageBody("a")
                .messageGroupId("g")
                .messageDeduplicationId("d1")
                .build(),
            SendMessageBatchRequestEntry.builder()
                .id("no-group")
                .messageBody("b")
                .messageDeduplicationId("d2")
                .build());

    BatchSender.Result result = new BatchSender(sqs).send(url, entries);

    assertThat(result.sent()).containsOnlyKeys("ok");
    assertThat(result.failed()).containsOnlyKeys("no-group");
  }

  @Test
  void entriesOverOneMibTogetherGoInSeveralCallsAndOneOverItAloneIsFailed(
      EmbeddedAws.Backends backends) {
    SqsClient sqs = backends.sqs();
    String queue = "sender-" + UUID.randomUUID().toString().substring(0, 8);
    String url = sqs.createQueue(r -> r.queueName(queue)).queueUrl();
    // SQS refuses a SendMessageBatch of more than 1 MiB as a whole, and so does ElasticMQ.
    List<SendMessageBatchRequestEntry> entries =
        List.of(
            SendMessageBatchRequestEntry.builder().id("a").messageBody("a".repeat(600_000)).build(),
            SendMessageBatchRequestEntry.builder()
                .id("too-long")
                .messageBody("t".repeat(MessageLimits.MAX_BYTES + 1))
                .build(),
            SendMessageBatchRequestEntry.builder().id("b").messageBody("b".repeat(600_000)).build(),
            SendMessageBatchRequestEntry.builder().id("c").messageBody("c").build());

    BatchSender.Result result = new BatchSender(sqs).send(url, entries);

    assertThat(result.sent()).containsOnlyKeys("a", "b", "c");
    assertThat(result.failed())
        .containsOnlyKeys("too-long")
        .containsValue(
            "MessageTooLong: 1048577 bytes of body and message attributes; SQS's limit is 1048576");
    assertThat(QueueDepth.of(sqs, queue)).isEqualTo(3);
  }
}
