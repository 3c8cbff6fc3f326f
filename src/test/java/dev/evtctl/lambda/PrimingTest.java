package dev.evtctl.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.evtctl.aws.AwsClients;
import dev.evtctl.aws.ClientSettings;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.pipeline.PreparedEvent;
import dev.evtctl.core.pipeline.QueueMessage;
import dev.evtctl.testing.BatchFailures;
import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.Fixtures;
import dev.evtctl.testing.PipelineTables;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.ServerSocketChannel;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The SnapStart priming hook: the handler runs its path on the pipeline's example without the
 * network, and writes nothing a real batch would not.
 */
@ExtendWith(EmbeddedAws.class)
class PrimingTest {

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "PIPELINE, txma, 1",
    "PIPELINE, ledger, 2",
    "PIPELINE, messages, 1",
    // a pipeline file without an example: nothing to prime
    "PIPELINE_FILE, samples/clients/pipeline.json, 0"
  })
  void primingOpensNoConnection(String variable, String pipeline, int expectedWrites)
      throws IOException {
    // GIVEN a handler whose DynamoDB and SQS clients (invalid events to the DLQ) point at a
    // loopback socket that accepts nothing by itself
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      server.configureBlocking(false);
      URI endpoint =
          URI.create(
              "http://127.0.0.1:" + ((InetSocketAddress) server.getLocalAddress()).getPort());
      AwsClients clients =
          new AwsClients(
              ClientSettings.emulator(endpoint, Map.of()), UrlConnectionHttpClient.create());
      SqsEventsHandler handler =
          new SqsEventsHandler(
              Map.of(
                  variable,
                  pipeline,
                  "EVENTS_TABLE_NAME",
                  "audit-events",
                  "IDEMPOTENCY_TABLE_NAME",
                  "audit-idempotency",
                  "INVALID_POLICY",
                  "dlq",
                  "DLQ_URL",
                  endpoint + "/000000000000/audit-dlq"),
              clients.dynamoDb(),
              clients.sqs());

      // WHEN it primes, as before a SnapStart snapshot
      int writes = handler.prime();

      // THEN the example went the whole way to its writes (ledger: idempotency record and event),
      // no exception escaped, and no connection reached the socket (a completed handshake waits
      // in the backlog: accept would return it)
      assertThat(writes).isEqualTo(expectedWrites);
      assertThat(server.accept()).isNull();
      // (and the handler is configured, so 0 means no example: an empty batch is answered, where a
      // configuration error would fail it)
      assertThat(BatchFailures.of(handler.handleRequest(Fixtures.sqsEvent(List.of()), null)))
          .isEmpty();
    }
  }

  @ParameterizedTest
  @CsvSource({"txma, txma-happy.json, 3", "ledger, ledger-happy.json, 5"})
  void afterPrimingABatchWritesExactlyItsEventsAndNotTheExample(
      String pipelineName, String fixture, int events, EmbeddedAws.Backends backends) {
    // GIVEN a primed handler on fresh tables of the embedded DynamoDB Local
    DynamoDbClient dynamoDb = backends.dynamoDb();
    PipelineTables tables = PipelineTables.create(dynamoDb, pipelineName);
    SqsEventsHandler handler = new SqsEventsHandler(tables.environment(), dynamoDb, backends.sqs());
    handler.prime();
    Pipeline pipeline = Pipelines.builtIn(pipelineName);

    // WHEN a batch of distinct valid events arrives
    SQSEvent batch = Fixtures.sqsEvent(fixture);
    assertThat(batch.getRecords()).hasSize(events);
    SQSBatchResponse response = handler.handleRequest(batch, null);

    // THEN every event is stored and nothing else: not the example (its partition key is on no
    // item), and for ledger exactly one idempotency record per event
    assertThat(BatchFailures.of(response)).isEmpty();
    List<Map<String, AttributeValue>> items =
        PipelineTables.scan(dynamoDb, tables.events(), pipeline.partitionKey());
    assertThat(items).hasSize(events);
    AttributeValue examplePartition =
        ((PreparedEvent.Valid)
                pipeline.prepare(
                    QueueMessage.of("example", pipeline.example().toString()), Instant.now()))
            .item()
            .get(pipeline.partitionKey());
    assertThat(items)
        .extracting(item -> item.get(pipeline.partitionKey()))
        .doesNotContain(examplePartition);
    if (pipelineName.equals("ledger")) {
      assertThat(PipelineTables.scan(dynamoDb, tables.idempotency(), "pk"))
          .extracting(record -> record.get("pk").s())
          .hasSize(events)
          .noneMatch(key -> key.startsWith("acme#"));
    }
  }
}
