package dev.evtctl.bench;

import dev.evtctl.aws.AwsClients;
import dev.evtctl.aws.ClientSettings;
import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.queue.MessageFilter;
import dev.evtctl.core.queue.Pacer;
import dev.evtctl.core.queue.Redrive;
import dev.evtctl.core.stack.Stack;
import dev.evtctl.core.stack.StackNames;
import dev.evtctl.local.LocalBackends;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Redrive throughput and rate accuracy, in one run on the local stack (the edge endpoint): a naive
 * one-at-a-time mover (receive one, send one, delete one: what hand-rolled redrive scripts do) as
 * the baseline, the redrive with batching and concurrency, and the redrive held to --rate. A
 * benchmark, not a test: it asserts nothing and CI does not run it.
 *
 * <pre>
 * ./mvnw -q -Pbench test-compile exec:exec -Dbench.main=dev.evtctl.bench.RedriveBenchmark -Dbench.args="20000 8 500,50"
 * </pre>
 */
public final class RedriveBenchmark {

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    List<Double> rates =
        java.util.Arrays.stream((args.length > 2 ? args[2] : "500,50").split(","))
            .map(Double::parseDouble)
            .toList();
    try (LocalBackends local = LocalBackends.start(0, null)) {
      AwsClients aws =
          new AwsClients(
              ClientSettings.emulator(local.endpoint(), Map.of()),
              ApacheHttpClient.builder().maxConnections(256).build());
      System.out.println("warm-up round (JIT of client, edge and backends), not reported");
      round(aws, "warm", Math.min(messages, 3_000), concurrency, List.of(), false);
      round(aws, "bench", messages, concurrency, rates, true);
    }
    System.exit(0);
  }

  private static void round(
      AwsClients aws,
      String name,
      int messages,
      int concurrency,
      List<Double> rates,
      boolean report)
      throws Exception {
    SqsClient sqs = aws.sqs();
    List<String> bodies = DrainBenchmark.bodies(messages);

    // 1. naive: one thread, one message at a time: receive, send, delete
    int naiveMessages = Math.min(messages, 1_000);
    String[] naiveQueues = stack(aws, name + "-naive");
    DrainBenchmark.seed(sqs, naiveQueues[0], bodies.subList(0, naiveMessages));
    double naive =
        DrainBenchmark.rate(
            naiveMessages, () -> naive(sqs, naiveQueues[0], naiveQueues[1], naiveMessages));

    // 2. evtctl dlq redrive: batches of 10, concurrent receivers
    String[] fastQueues = stack(aws, name + "-fast");
    DrainBenchmark.seed(sqs, fastQueues[0], bodies);
    Redrive.Summary fast = redrive(sqs, fastQueues, concurrency, null);

    if (report) {
      System.out.printf(
          Locale.ROOT,
          "%d messages, concurrency %d (local stack, edge endpoint)%n",
          messages,
          concurrency);
      System.out.printf(Locale.ROOT, "naive redrive, 1 at a time %8.0f msg/s%n", naive);
      System.out.printf(
          Locale.ROOT,
          "evtctl dlq redrive         %8.0f msg/s (%d moved, %d failures)%n",
          fast.movedPerSecond(),
          fast.moved(),
          fast.sendFailures() + fast.deleteFailures());
      System.out.printf(
          Locale.ROOT, "redrive / naive            %8.2f%n", fast.movedPerSecond() / naive);
    }
    // 3. evtctl dlq redrive --rate: enough messages for 10 to 20 s at each rate
    for (double rate : rates) {
      int paced = (int) Math.min(Math.max(messages / 4, rate * 10), rate * 20);
      String[] pacedQueues = stack(aws, name + "-rate-" + (int) rate);
      DrainBenchmark.seed(sqs, pacedQueues[0], DrainBenchmark.bodies(paced));
      Redrive.Summary held = redrive(sqs, pacedQueues, concurrency, rate);
      System.out.printf(
          Locale.ROOT,
          "--rate %.0f: %d moved at %.1f msg/s = %.2f%% of the rate asked%n",
          rate,
          held.moved(),
          held.movedPerSecond(),
          100 * held.movedPerSecond() / rate);
    }
  }

  /** A fresh stack: its dead-letter queue and queue. */
  private static String[] stack(AwsClients aws, String name) {
    StackNames names = new StackNames(name, false);
    new Stack(aws.sqs(), aws.dynamoDb()).create(Pipelines.builtIn("txma"), names, 3, 30);
    return new String[] {
      aws.sqs().getQueueUrl(r -> r.queueName(names.deadLetterQueue())).queueUrl(),
      aws.sqs().getQueueUrl(r -> r.queueName(names.queue())).queueUrl()
    };
  }

  private static Redrive.Summary redrive(
      SqsClient sqs, String[] queues, int concurrency, Double rate) throws InterruptedException {
    return new Redrive(
            sqs,
            new Redrive.Settings(
                queues[0], queues[1], MessageFilter.ALL, 0, Pacer.of(rate), false, concurrency),
            new Redrive.Listener() {})
        .run();
  }

  private static void naive(SqsClient sqs, String dlq, String queue, int total) {
    for (int moved = 0; moved < total; ) {
      List<Message> one =
          sqs.receiveMessage(r -> r.queueUrl(dlq).maxNumberOfMessages(1).waitTimeSeconds(1))
              .messages();
      for (Message message : one) {
        sqs.sendMessage(r -> r.queueUrl(queue).messageBody(message.body()));
        sqs.deleteMessage(r -> r.queueUrl(dlq).receiptHandle(message.receiptHandle()));
        moved++;
      }
    }
  }
}
