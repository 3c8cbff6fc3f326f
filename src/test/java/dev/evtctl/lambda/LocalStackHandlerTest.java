package dev.evtctl.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.evtctl.aws.AwsClients;
import dev.evtctl.aws.ClientSettings;
import dev.evtctl.testing.BatchFailures;
import dev.evtctl.testing.Fixtures;
import dev.evtctl.testing.PipelineTables;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The TxMA scenarios of {@link TxmaHandlerTest} against LocalStack instead of the embedded
 * backends. Skipped (not failed) where no Docker engine runs.
 *
 * <p>Pinned to 4.14.0: later localstack/localstack images (2026.x, and latest) will not start
 * without a LOCALSTACK_AUTH_TOKEN.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackHandlerTest {

  @Container
  static final LocalStackContainer localstack =
      new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.14.0"))
          .withServices(LocalStackContainer.Service.SQS, LocalStackContainer.Service.DYNAMODB);

  private DynamoDbClient dynamoDb;
  private PipelineTables tables;
  private SqsEventsHandler handler;

  @BeforeEach
  void setUp() {
    AwsClients clients =
        new AwsClients(
            ClientSettings.emulator(localstack.getEndpoint(), Map.of()),
            UrlConnectionHttpClient.builder().build());
    dynamoDb = clients.dynamoDb();
    tables = PipelineTables.create(dynamoDb, "txma");
    handler = new SqsEventsHandler(tables.environment(), dynamoDb, clients.sqs());
  }

  private List<Map<String, AttributeValue>> items() {
    return PipelineTables.scan(dynamoDb, tables.events(), "pk", "sk");
  }

  @Test
  void storesEachEventUnderItsSessionWithTheRawBody() {
    // GIVEN three TxMA events, two for one session
    SQSEvent event = Fixtures.sqsEvent("txma-happy.json");

    // WHEN the handler processes the batch
    SQSBatchResponse response = handler.handleRequest(event, null);

    // THEN nothing is returned for retry and exactly three items are stored, bodies untouched
    assertThat(BatchFailures.of(response)).isEmpty();
    List<Map<String, AttributeValue>> items = items();
    assertThat(items)
        .extracting(item -> item.get("pk").s() + " " + item.get("sk").s())
        .containsExactly(
            "SESSION#sess-7f3a TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_END#TIMESTAMP#1763900005",
            "SESSION#sess-7f3a TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_START#TIMESTAMP#1763900000",
            "SESSION#sess-other TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_START#TIMESTAMP#1763900010");
    assertThat(items.get(1).get("event").s()).isEqualTo(event.getRecords().get(0).getBody());
    assertThat(items.get(1)).containsOnlyKeys("pk", "sk", "event", "timeToLiveInSeconds");
  }

  @Test
  void storesARedrivenEventOnceAndAcknowledgesTheDuplicate() {
    // GIVEN one TxMA event and the same event redriven under a new message id
    SQSEvent event = Fixtures.sqsEvent("txma-duplicates.json");

    // WHEN the handler processes the batch
    SQSBatchResponse response = handler.handleRequest(event, null);

    // THEN neither is returned for retry and the event is stored once, body untouched
    assertThat(BatchFailures.of(response)).isEmpty();
    List<Map<String, AttributeValue>> items = items();
    assertThat(items)
        .extracting(item -> item.get("pk").s() + " " + item.get("sk").s())
        .containsExactly(
            "SESSION#sess-7f3a TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_START#TIMESTAMP#1763900000");
    assertThat(items.get(0).get("event").s()).isEqualTo(event.getRecords().get(0).getBody());
  }
}
