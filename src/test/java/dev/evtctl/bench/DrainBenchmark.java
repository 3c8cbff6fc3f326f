package dev.evtctl.bench;

import dev.evtctl.aws.AwsClients;
import dev.evtctl.aws.ClientSettings;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.processing.BatchProcessor;
import dev.evtctl.core.processing.ProcessorSettings;
import dev.evtctl.core.processing.WriteMode;
import dev.evtctl.core.queue.BatchSender;
import dev.evtctl.core.queue.QueueDrainer;
import dev.evtctl.core.stack.SeedGenerator;
import dev.evtctl.core.stack.Stack;
import dev.evtctl.core.stack.StackNames;
import dev.evtctl.local.LocalBackends;
import dev.evtctl.testing.LatencyRelay;
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
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
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
 *
 * <p>The raw ceiling of each write mode is an SDK-only drain loop making the same requests as the
 * drainer (receive 10; ten conditional puts at once, or one TransactWriteItems of ten; delete the
 * batch) at the same concurrency, with the items computed beforehand: what the backends allow when
 * the client does nothing else. On a 2-core machine the backends and the client share the CPU, so
 * this loop is lower than either backend alone. {@code -Dbench.rtt=MS} makes every request wait MS
 * milliseconds before it is sent, as over a network to a region: the local stack then answers with
 * latency instead of CPU as its limit. {@code -Dbench.relay=MS} adds the MS on the wire instead: a
 * {@link LatencyRelay} on loopback in front of ElasticMQ and of DynamoDB Local each (the edge
 * refuses a Host that is not its own), so every request's bytes reach the backend MS later.
 *
 * <pre>
 * ./mvnw -q -Pbench test-compile exec:exec -Dbench.main=dev.evtctl.bench.DrainBenchmark -Dbench.args="5000 4" -Dbench.relay=5
 * </pre>
 */
public final class DrainBenchmark {

  private static final String QUEUE = "bench";

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int relay = Integer.getInteger("bench.relay", 0);
    try (LocalBackends local = LocalBackends.start(0, null);
        LatencyRelay sqsRelay = relay > 0 ? LatencyRelay.start(local.sqsEndpoint(), relay) : null;
        LatencyRelay dynamoDbRelay =
            relay > 0 ? LatencyRelay.start(local.dynamoDbEndpoint(), relay) : null) {
      ClientSettings clientSettings =
          relay > 0
              ? ClientSettings.emulator(
                  local.endpoint(),
                  Map.of("sqs", sqsRelay.endpoint(), "dynamodb", dynamoDbRelay.endpoint()))
              : ClientSettings.emulator(local.endpoint(), Map.of());
      System.out.println("warm-up round (JIT of client, edge and backends), not reported");
      round(clientSettings, Math.min(messages, 10_000), concurrency, false);
      round(clientSettings, messages, concurrency, true);
    }
    System.exit(0);
  }

  private static void round(
      ClientSettings clientSettings, int messages, int concurrency, boolean report)
      throws Exception {
    int naiveMessages = Math.min(messages, 1_000);
    Pipeline pipeline = Pipelines.builtIn("txma");
    {
      int rtt = Integer.getInteger("bench.rtt", 0);
      if (rtt > 0) {
        clientSettings = clientSettings.withInterceptor(new RoundTrip(rtt));
      }
      AwsClients aws =
          new AwsClients(
              clientSettings,
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
          rate(messages, () -> receiveLoops(sqs, queueUrl, concurrency, messages, batch -> {}));

      // 2. raw ceiling, DynamoDB: conditional puts of the same items, same threads as drain
      List<Map<String, AttributeValue>> items = new ArrayList<>();
      for (String body : bodies) {
        var prepared =
            pipeline.prepare(dev.evtctl.core.pipeline.QueueMessage.of("m", body), Instant.now());
        items.add(((dev.evtctl.core.pipeline.PreparedEvent.Valid) prepared).item());
      }
      double puts =
          rate(
              messages,
              () -> conditionalPuts(dynamoDb, names.eventsTable(), items, concurrency * 10));
      dynamoDb.deleteTable(r -> r.tableName(names.eventsTable()));
      new Stack(sqs, dynamoDb).create(pipeline, names, 3, 30);
      // ... and the same items in TransactWriteItems of 10 conditional puts, one per receiver
      double transactions =
          rate(
              messages,
              () -> conditionalTransactions(dynamoDb, names.eventsTable(), items, concurrency));
      dynamoDb.deleteTable(r -> r.tableName(names.eventsTable()));
      new Stack(sqs, dynamoDb).create(pipeline, names, 3, 30);

      // ... and the SDK-only drain loops, one per write mode
      Map<String, Map<String, AttributeValue>> itemByBody = new java.util.HashMap<>();
      for (int i = 0; i < bodies.size(); i++) {
        itemByBody.put(bodies.get(i), items.get(i));
      }
      Map<Boolean, Double> rawDrainRate = new java.util.HashMap<>();
      for (boolean transaction : new boolean[] {false, true}) {
        seed(sqs, queueUrl, bodies);
        rawDrainRate.put(
            transaction,
            rate(
                messages,
                () ->
                    rawDrain(
                        sqs,
                        dynamoDb,
                        queueUrl,
                        names.eventsTable(),
                        itemByBody,
                        concurrency,
                        messages,
                        transaction)));
        dynamoDb.deleteTable(r -> r.tableName(names.eventsTable()));
        new Stack(sqs, dynamoDb).create(pipeline, names, 3, 30);
      }
      double rawItem = rawDrainRate.get(false);
      double rawTransaction = rawDrainRate.get(true);

      // 3. naive: one thread, one message at a time: receive, put, delete
      seed(sqs, queueUrl, bodies.subList(0, naiveMessages));
      double naive =
          rate(
              naiveMessages,
              () -> naive(sqs, dynamoDb, queueUrl, names.eventsTable(), pipeline, naiveMessages));
      dynamoDb.deleteTable(r -> r.tableName(names.eventsTable()));
      new Stack(sqs, dynamoDb).create(pipeline, names, 3, 30);

      // 4. evtctl drain, both write modes: the drainer over the core
      QueueDrainer.Summary item =
          drain(sqs, dynamoDb, queueUrl, names, bodies, concurrency, WriteMode.ITEM);
      QueueDrainer.Summary transaction =
          drain(sqs, dynamoDb, queueUrl, names, bodies, concurrency, WriteMode.TRANSACTION);
      new Stack(sqs, dynamoDb).delete(pipeline, names);
      if (!report) {
        return;
      }
      System.out.printf(
          Locale.ROOT,
          "messages %d, concurrency %d, naive over %d, round trip %d ms in-process, %d ms relay%n",
          messages,
          concurrency,
          naiveMessages,
          rtt,
          Integer.getInteger("bench.relay", 0));
      System.out.printf(
          Locale.ROOT, "raw SQS receive+delete          %8.0f msg/s%n", receiveDelete);
      System.out.printf(Locale.ROOT, "raw DynamoDB cond. puts         %8.0f items/s%n", puts);
      System.out.printf(
          Locale.ROOT, "raw DynamoDB transactions of 10 %8.0f items/s%n", transactions);
      System.out.printf(Locale.ROOT, "raw SDK drain loop, item        %8.0f msg/s%n", rawItem);
      System.out.printf(
          Locale.ROOT, "raw SDK drain loop, transaction %8.0f msg/s%n", rawTransaction);
      System.out.printf(Locale.ROOT, "naive loop                      %8.0f msg/s%n", naive);
      for (QueueDrainer.Summary summary : List.of(item, transaction)) {
        boolean transact = summary == transaction;
        double ceiling = transact ? rawTransaction : rawItem;
        System.out.printf(
            Locale.ROOT,
            "evtctl drain --write-mode %-11s %8.0f msg/s (%d persisted): %.2f of its ceiling (%.0f),"
                + " %.2f x naive%n",
            transact ? "transaction" : "item",
            summary.perSecond(),
            summary.outcomes().get(dev.evtctl.core.processing.Outcome.PERSISTED),
            summary.perSecond() / ceiling,
            ceiling,
            summary.perSecond() / naive);
      }
    }
  }

  private static QueueDrainer.Summary drain(
      SqsClient sqs,
      DynamoDbClient dynamoDb,
      String queueUrl,
      StackNames names,
      List<String> bodies,
      int concurrency,
      WriteMode writeMode)
      throws Exception {
    Pipeline pipeline = Pipelines.builtIn("txma");
    seed(sqs, queueUrl, bodies);
    ProcessorSettings settings =
        new ProcessorSettings(
            pipeline, names.eventsTable(), null, null, null, concurrency * 10, writeMode);
    QueueDrainer.Summary summary;
    try (BatchProcessor processor = new BatchProcessor(settings, dynamoDb, sqs)) {
      summary =
          new QueueDrainer(
                  sqs,
                  processor,
                  new QueueDrainer.Settings(
                      queueUrl, 10, concurrency, 1, bodies.size(), Duration.ofSeconds(5)),
                  batch -> {})
              .run();
    }
    dynamoDb.deleteTable(r -> r.tableName(names.eventsTable()));
    new Stack(sqs, dynamoDb).create(pipeline, names, 3, 30);
    return summary;
  }

  static List<String> bodies(int count) {
    SeedGenerator generator =
        new SeedGenerator(Pipelines.builtIn("txma"), 42, 100, 0, 0, Instant.now());
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

  private static void conditionalTransactions(
      DynamoDbClient dynamoDb, String table, List<Map<String, AttributeValue>> items, int threads)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> writes = new ArrayList<>();
    for (int from = 0; from < items.size(); from += 10) {
      List<TransactWriteItem> chunk = new ArrayList<>();
      for (Map<String, AttributeValue> item :
          items.subList(from, Math.min(from + 10, items.size()))) {
        chunk.add(
            TransactWriteItem.builder()
                .put(
                    p ->
                        p.tableName(table)
                            .item(item)
                            .conditionExpression("attribute_not_exists(pk)"))
                .build());
      }
      writes.add(
          pool.submit(() -> transactIgnoringCancellation(dynamoDb, r -> r.transactItems(chunk))));
    }
    for (Future<?> write : writes) {
      write.get();
    }
    pool.shutdown();
  }

  /** What a receive loop does with a batch before it deletes it. */
  private interface BatchWork {
    void run(List<Message> batch) throws Exception;
  }

  /**
   * {@code concurrency} loops at once, until {@code total} messages are done: receive 10, the work,
   * delete the batch.
   */
  private static void receiveLoops(
      SqsClient sqs, String queueUrl, int concurrency, int total, BatchWork work) throws Exception {
    AtomicLong done = new AtomicLong();
    ExecutorService loops = Executors.newFixedThreadPool(concurrency);
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      workers.add(
          loops.submit(
              () -> {
                while (done.get() < total) {
                  List<Message> batch =
                      sqs.receiveMessage(
                              r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                          .messages();
                  if (batch.isEmpty()) {
                    continue;
                  }
                  work.run(batch);
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
                return null;
              }));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
    loops.shutdown();
  }

  /**
   * What the drainer does, with the SDK only: receive loops that write each batch (ten conditional
   * puts at once, or one TransactWriteItems of ten) before deleting it.
   */
  private static void rawDrain(
      SqsClient sqs,
      DynamoDbClient dynamoDb,
      String queueUrl,
      String table,
      Map<String, Map<String, AttributeValue>> itemByBody,
      int concurrency,
      int total,
      boolean transaction)
      throws Exception {
    ExecutorService puts = Executors.newFixedThreadPool(concurrency * 10);
    receiveLoops(
        sqs,
        queueUrl,
        concurrency,
        total,
        batch -> {
          List<Map<String, AttributeValue>> items =
              batch.stream().map(message -> itemByBody.get(message.body())).toList();
          if (transaction) {
            transactIgnoringCancellation(
                dynamoDb,
                r ->
                    r.transactItems(
                        items.stream()
                            .map(
                                item ->
                                    TransactWriteItem.builder()
                                        .put(
                                            p ->
                                                p.tableName(table)
                                                    .item(item)
                                                    .conditionExpression(
                                                        "attribute_not_exists(pk)"))
                                        .build())
                            .toList()));
            return;
          }
          List<Future<?>> writes = new ArrayList<>();
          for (Map<String, AttributeValue> item : items) {
            writes.add(
                puts.submit(
                    () ->
                        dynamoDb.putItem(
                            r ->
                                r.tableName(table)
                                    .item(item)
                                    .conditionExpression("attribute_not_exists(pk)"))));
          }
          for (Future<?> write : writes) {
            write.get();
          }
        });
    puts.shutdown();
  }

  /** A key twice in the generated set cancels its transaction: still one request. */
  private static void transactIgnoringCancellation(
      DynamoDbClient dynamoDb,
      java.util.function.Consumer<
              software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest.Builder>
          request) {
    try {
      dynamoDb.transactWriteItems(request);
    } catch (software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException e) {
      // counted as written, as conditionalPuts counts a failed condition
    }
  }

  /** Every request waits this long before it is sent: a network round trip to a region. */
  private static final class RoundTrip implements ExecutionInterceptor {
    private final int millis;

    RoundTrip(int millis) {
      this.millis = millis;
    }

    @Override
    public void beforeTransmission(
        Context.BeforeTransmission context, ExecutionAttributes attributes) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
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
                dev.evtctl.core.pipeline.QueueMessage.of(message.messageId(), message.body()),
                Instant.now());
        try {
          dynamoDb.putItem(
              r ->
                  r.tableName(table)
                      .item(((dev.evtctl.core.pipeline.PreparedEvent.Valid) prepared).item())
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
