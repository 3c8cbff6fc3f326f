package dev.evtctl.bench;

import dev.evtctl.aws.AwsClients;
import dev.evtctl.aws.ClientSettings;
import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.stack.Stack;
import dev.evtctl.core.stack.StackNames;
import dev.evtctl.local.LocalBackends;
import dev.evtctl.serve.EvtctlServer;
import dev.evtctl.serve.ServeSettings;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Parallel CI jobs polling the Events API: POLLERS threads, each on a session of its own with ITEMS
 * stored TxMA events, ask {@code GET /events?pkPrefix=SESSION#s&skPrefix=TXMA#} ROUNDS times; the
 * same threads make the same DynamoDB query directly with the SDK (every page, the items read), in
 * the same run against the same edge endpoint. Rounds alternate between the two so that the
 * machine's drift falls on both. Prints p50 and p99 of each and their ratio.
 *
 * <pre>
 * ./mvnw -q -Pbench test-compile exec:exec -Dbench.main=dev.evtctl.bench.ServeBenchmark -Dbench.args="50 200 20"
 * </pre>
 */
public final class ServeBenchmark {

  public static void main(String[] args) throws Exception {
    int pollers = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int items = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    try (LocalBackends local = LocalBackends.start(0, null)) {
      ClientSettings settings = ClientSettings.emulator(local.endpoint(), Map.of());
      // The CLI's serve uses the throughput client (AwsOptions#throughputClients): the same here.
      AwsClients served =
          new AwsClients(settings, ApacheHttpClient.builder().maxConnections(128).build());
      AwsClients direct =
          new AwsClients(settings, ApacheHttpClient.builder().maxConnections(128).build());
      StackNames names = new StackNames("bench-serve", false);
      new Stack(direct.sqs(), direct.dynamoDb()).create(Pipelines.builtIn("txma"), names, 3, 30);
      List<String> sessions = new ArrayList<>();
      for (int p = 0; p < pollers; p++) {
        String session = "SESSION#bench-" + p;
        sessions.add(session);
        write(direct.dynamoDb(), names.eventsTable(), session, items);
      }
      try (EvtctlServer server =
          EvtctlServer.start(
              new ServeSettings("127.0.0.1", 0, names.eventsTable(), null, null, "bench"),
              served)) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService threads = Executors.newFixedThreadPool(pollers);
        // warm-up: both paths, JIT and connection pools
        run(threads, sessions, 3, s -> directQuery(direct.dynamoDb(), names.eventsTable(), s));
        run(threads, sessions, 3, s -> httpQuery(http, server.url(), s));
        List<Long> sdk = new ArrayList<>();
        List<Long> api = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
          sdk.addAll(
              run(
                  threads,
                  sessions,
                  1,
                  s -> directQuery(direct.dynamoDb(), names.eventsTable(), s)));
          api.addAll(run(threads, sessions, 1, s -> httpQuery(http, server.url(), s)));
        }
        threads.shutdown();
        report("SDK query, direct", sdk);
        report("GET /events", api);
        System.out.printf(
            "ratio GET /events / SDK: p50 %.2f, p99 %.2f (%d pollers, %d items each, %d rounds)%n",
            percentile(api, 50) / (double) percentile(sdk, 50),
            percentile(api, 99) / (double) percentile(sdk, 99),
            pollers,
            items,
            rounds);
      }
    }
  }

  interface Poll {
    int call(String session) throws Exception;
  }

  /** Each poller asks once per time, all at once; the latency of every call, in microseconds. */
  private static List<Long> run(
      ExecutorService threads, List<String> sessions, int times, Poll poll) throws Exception {
    List<Future<long[]>> futures = new ArrayList<>();
    for (String session : sessions) {
      Callable<long[]> task =
          () -> {
            long[] took = new long[times];
            for (int i = 0; i < times; i++) {
              long start = System.nanoTime();
              int found = poll.call(session);
              took[i] = (System.nanoTime() - start) / 1000;
              if (found == 0) {
                throw new IllegalStateException("no items for " + session);
              }
            }
            return took;
          };
      futures.add(threads.submit(task));
    }
    List<Long> latencies = new ArrayList<>();
    for (Future<long[]> future : futures) {
      Arrays.stream(future.get()).forEach(latencies::add);
    }
    return latencies;
  }

  private static int directQuery(DynamoDbClient dynamoDb, String table, String session) {
    QueryRequest request =
        QueryRequest.builder()
            .tableName(table)
            .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
            .expressionAttributeNames(Map.of("#pk", "pk", "#sk", "sk"))
            .expressionAttributeValues(
                Map.of(
                    ":pk", AttributeValue.fromS(session), ":prefix", AttributeValue.fromS("TXMA#")))
            .build();
    int[] count = {0};
    dynamoDb.queryPaginator(request).items().forEach(item -> count[0]++);
    return count[0];
  }

  private static int httpQuery(HttpClient http, URI base, String session) throws Exception {
    URI uri =
        base.resolve(
            "events?pkPrefix="
                + URLEncoder.encode(session, StandardCharsets.UTF_8)
                + "&skPrefix=TXMA%23");
    HttpResponse<String> response =
        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET /events answered " + response.statusCode());
    }
    return response.body().length();
  }

  /** ITEMS TxMA events of one session, as drain stores them, 25 a BatchWriteItem. */
  private static void write(DynamoDbClient dynamoDb, String table, String session, int items) {
    List<WriteRequest> batch = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      long timestamp = 1763900000L + i;
      String event =
          "{\"event_name\":\"DCMAW_ASYNC_CRI_START\",\"component_id\":\"https://review-b-async.dev.account.gov.uk\","
              + "\"timestamp\":"
              + timestamp
              + ",\"event_timestamp_ms\":"
              + timestamp * 1000
              + ",\"user\":{\"session_id\":\""
              + session.substring("SESSION#".length())
              + "\",\"user_id\":\"urn:fdc:gov.uk:2022:bench\",\"govuk_signin_journey_id\":\"44444444-4444-4444-4444-444444444444\"}}";
      batch.add(
          WriteRequest.builder()
              .putRequest(
                  PutRequest.builder()
                      .item(
                          Map.of(
                              "pk", AttributeValue.fromS(session),
                              "sk",
                                  AttributeValue.fromS(
                                      "TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_START#TIMESTAMP#"
                                          + timestamp),
                              "event", AttributeValue.fromS(event),
                              "timeToLiveInSeconds", AttributeValue.fromN("1893456000")))
                      .build())
              .build());
      if (batch.size() == 25 || i == items - 1) {
        List<WriteRequest> send = List.copyOf(batch);
        // DynamoDB Local takes every item of a batch; a real table might leave some unprocessed.
        dynamoDb.batchWriteItem(r -> r.requestItems(Map.of(table, send)));
        batch.clear();
      }
    }
  }

  private static long percentile(List<Long> values, int p) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }

  private static void report(String what, List<Long> latencies) {
    System.out.printf(
        "%-18s n=%d  p50 %.1f ms  p99 %.1f ms%n",
        what,
        latencies.size(),
        percentile(latencies, 50) / 1000.0,
        percentile(latencies, 99) / 1000.0);
  }
}
