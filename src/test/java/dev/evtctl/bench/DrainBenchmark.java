package dev.evtctl.bench;

import dev.evtctl.aws.AwsClients;
import dev.evtctl.aws.ClientSettings;
import dev.evtctl.core.BatchProcessor;
import dev.evtctl.core.BatchSender;
import dev.evtctl.core.Pipeline;
import dev.evtctl.core.Pipelines;
import dev.evtctl.core.ProcessorSettings;
import dev.evtctl.core.QueueDrainer;
import dev.evtctl.core.SeedGenerator;
import dev.evtctl.core.Stack;
import dev.evtctl.core.StackNames;
import dev.evtctl.local.LocalBackends;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Drain throughput against its baselines, in one run on the local stack (the edge endpoint, as a
 * user's commands reach it): the raw backend ceiling (SDK-only receive+delete of the same number of
 * messages at the same concurrency, and SDK-only conditional puts), a naive one-at-a-time loop, and
 * the drainer. A benchmark, not a test: it asserts nothing and CI does not run it.
 *
 * <pre>
 * ./mvnw -q -Pbench test-compile exec:exec -Dbench.main=dev.evtctl.bench.DrainBenchmark -Dbench.args="20000 4"
 * </pre>
 */
public final class DrainBenchmark {

  private static final String QUEUE = "bench";

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    try (LocalBackends local = LocalBackends.start(0, null)) {
      System.out.println("warm-up round (JIT of client, edge and backends), not reported");
      round(local, Math.min(messages, 3_000), concurrency, false);
      round(local, messages, concurrency, true);
    }
    System.exit(0);
  }

  private static void round(LocalBackends local, int messages, int concurrency, boolean report)
      throws Exception {
    int naiveMessages = Math.min(messages, 1_000);
    Pipeline pipeline = Pipelines.builtIn("txma");
    {
      AwsClients aws =
          new AwsClients(
              ClientSettings.emulator(local.endpoint(), Map.of()),
              System.getProperty("bench.http", "apache").equals("url")
                  ? software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder()
                      .build()
                  : ApacheHttpClient.builder().maxConnections(256).build());
      SqsClient sqs = aws.sqs();
      DynamoDbClient dynamoDb = aws.dynamoDb();
      StackNames names = new StackNames(QUEUE, false);
      new Stack(sqs, dynamoDb).create(pipeline, names, 3, 30);
      String queueUrl = sqs.getQueueUrl(r -> r.queueName(names.queue())).queueUrl();
      List<String> bodies = bodies(messages);

      // 1. raw ceiling, SQS: receive + delete of the same messages, same concurrency
      seed(sqs, queueUrl, bodies);
      double receiveDelete =
          rate(messages, () -> receiveAndDelete(sqs, queueUrl, concurrency, messages));

      // 2. raw ceiling, DynamoDB: conditional puts of the same items, same threads as drain
      List<Map<String, AttributeValue>> items = new ArrayList<>();
      for (String body : bodies) {
        var prepared = pipeline.prepare(dev.evtctl.core.QueueMessage.of("m", body), Instant.now());
        items.add(((dev.evtctl.core.PreparedEvent.Valid) prepared).item());
      }
      double puts =
          rate(
              messages,
              () -> conditionalPuts(dynamoDb, names.eventsTable(), items, concurrency * 10));
      // The slower of the two resources bounds a drain that overlaps them.
      double ceiling = Math.min(receiveDelete, puts);
      dynamoDb.deleteTable(r -> r.tableName(names.eventsTable()));
      new Stack(sqs, dynamoDb).create(pipeline, names, 3, 30);

      // 3. naive: one thread, one message at a time: receive, put, delete
      seed(sqs, queueUrl, bodies.subList(0, naiveMessages));
      double naive =
          rate(
              naiveMessages,
              () -> naive(sqs, dynamoDb, queueUrl, names.eventsTable(), pipeline, naiveMessages));
      dynamoDb.deleteTable(r -> r.tableName(names.eventsTable()));
      new Stack(sqs, dynamoDb).create(pipeline, names, 3, 30);

      // 4. evtctl drain: the drainer over the core
      seed(sqs, queueUrl, bodies);
      ProcessorSettings settings =
          new ProcessorSettings(pipeline, names.eventsTable(), null, null, null, concurrency * 10);
      QueueDrainer.Summary summary;
      try (BatchProcessor processor = new BatchProcessor(settings, dynamoDb, sqs)) {
        QueueDrainer drainer =
            new QueueDrainer(
                sqs,
                processor,
                new QueueDrainer.Settings(
                    queueUrl, 10, concurrency, 1, messages, Duration.ofSeconds(5)),
                batch -> {});
        summary = drainer.run();
      }
      double drain = summary.perSecond();
      new Stack(sqs, dynamoDb).delete(pipeline, names);
      if (!report) {
        return;
      }
      System.out.printf(
          Locale.ROOT,
          "messages %d, concurrency %d, naive over %d%n",
          messages,
          concurrency,
          naiveMessages);
      System.out.printf(Locale.ROOT, "raw SQS receive+delete   %8.0f msg/s%n", receiveDelete);
      System.out.printf(Locale.ROOT, "raw DynamoDB cond. puts  %8.0f items/s%n", puts);
      System.out.printf(Locale.ROOT, "raw ceiling (the slower) %8.0f msg/s%n", ceiling);
      System.out.printf(Locale.ROOT, "naive loop               %8.0f msg/s%n", naive);
      System.out.printf(
          Locale.ROOT,
          "evtctl drain             %8.0f msg/s (%d persisted)%n",
          drain,
          summary.outcomes().get(dev.evtctl.core.Outcome.PERSISTED));
      System.out.printf(Locale.ROOT, "drain / ceiling          %8.2f%n", drain / ceiling);
      System.out.printf(Locale.ROOT, "drain / naive            %8.2f%n", drain / naive);
    }
  }

  static List<String> bodies(int count) {
    SeedGenerator generator = new SeedGenerator("txma", 42, 100, 0, 0, Instant.now());
    List<String> bodies = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      bodies.add(generator.next().body());
    }
    return bodies;
  }

  static void seed(SqsClient sqs, String queueUrl, List<String> bodies) throws Exception {
    BatchSender sender = new BatchSender(sqs);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> sends = new ArrayList<>();
    for (int from = 0; from < bodies.size(); from += 10) {
      List<String> chunk = bodies.subList(from, Math.min(from + 10, bodies.size()));
      sends.add(
          pool.submit(
              () -> {
                List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                for (int i = 0; i < chunk.size(); i++) {
                  entries.add(
                      SendMessageBatchRequestEntry.builder()
                          .id("e" + i)
                          .messageBody(chunk.get(i))
                          .build());
                }
                sender.send(queueUrl, entries);
              }));
    }
    for (Future<?> send : sends) {
      send.get();
    }
    pool.shutdown();
  }

  interface Work {
    void run() throws Exception;
  }

  static double rate(int count, Work work) throws Exception {
    long started = System.nanoTime();
    work.run();
    return count / ((System.nanoTime() - started) / 1e9);
  }

  private static void receiveAndDelete(SqsClient sqs, String queueUrl, int concurrency, int total)
      throws Exception {
    AtomicLong done = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      workers.add(
          pool.submit(
              () -> {
                while (done.get() < total) {
                  List<Message> batch =
                      sqs.receiveMessage(
                              r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                          .messages();
                  if (batch.isEmpty()) {
                    continue;
                  }
                  List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
                  for (int i = 0; i < batch.size(); i++) {
                    entries.add(
                        DeleteMessageBatchRequestEntry.builder()
                            .id("d" + i)
                            .receiptHandle(batch.get(i).receiptHandle())
                            .build());
                  }
                  sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
                  done.addAndGet(batch.size());
                }
              }));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
    pool.shutdown();
  }

  private static void conditionalPuts(
      DynamoDbClient dynamoDb, String table, List<Map<String, AttributeValue>> items, int threads)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> puts = new ArrayList<>();
    for (Map<String, AttributeValue> item : items) {
      puts.add(
          pool.submit(
              () -> {
                try {
                  dynamoDb.putItem(
                      r ->
                          r.tableName(table)
                              .item(item)
                              .conditionExpression("attribute_not_exists(pk)"));
                } catch (ConditionalCheckFailedException e) {
                  // the same key twice in the generated set: still one request
                }
              }));
    }
    for (Future<?> put : puts) {
      put.get();
    }
    pool.shutdown();
  }

  private static void naive(
      SqsClient sqs,
      DynamoDbClient dynamoDb,
      String queueUrl,
      String table,
      Pipeline pipeline,
      int total) {
    int done = 0;
    while (done < total) {
      List<Message> one =
          sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(1).waitTimeSeconds(1))
              .messages();
      for (Message message : one) {
        var prepared =
            pipeline.prepare(
                dev.evtctl.core.QueueMessage.of(message.messageId(), message.body()),
                Instant.now());
        try {
          dynamoDb.putItem(
              r ->
                  r.tableName(table)
                      .item(((dev.evtctl.core.PreparedEvent.Valid) prepared).item())
                      .conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException e) {
          // duplicate key
        }
        sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
        done++;
      }
    }
  }
}
