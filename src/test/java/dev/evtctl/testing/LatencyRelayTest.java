package dev.evtctl.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evtctl.aws.AwsClients;
import dev.evtctl.aws.ClientSettings;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;

@ExtendWith(EmbeddedAws.class)
class LatencyRelayTest {

  @Test
  void requestsThroughTheRelayReachTheBackendAndTakeAtLeastTheDelay(EmbeddedAws.Backends aws)
      throws Exception {
    URI upstream = aws.settings().endpointFor("sqs");
    try (LatencyRelay relay = LatencyRelay.start(upstream, 50)) {
      SqsClient sqs =
          new AwsClients(
                  ClientSettings.emulator(null, Map.of("sqs", relay.endpoint())),
                  UrlConnectionHttpClient.builder().build())
              .sqs();
      String url = sqs.createQueue(b -> b.queueName("latency-relay")).queueUrl();

      long start = System.nanoTime();
      List<CompletableFuture<String>> sends =
          IntStream.range(0, 8)
              .mapToObj(
                  i ->
                      CompletableFuture.supplyAsync(
                          () ->
                              sqs.sendMessage(b -> b.queueUrl(url).messageBody("m" + i))
                                  .messageId()))
              .toList();
      sends.forEach(CompletableFuture::join);
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

      assertThat(elapsedMillis).isGreaterThanOrEqualTo(50);
      assertThat(
              sqs.getQueueAttributes(
                      b -> b.queueUrl(url).attributeNamesWithStrings("ApproximateNumberOfMessages"))
                  .attributesAsStrings())
          .containsEntry("ApproximateNumberOfMessages", "8");
    }
  }
}
