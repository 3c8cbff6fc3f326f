package dev.evtctl.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.Fixtures;
import dev.evtctl.testing.PipelineTables;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(EmbeddedAws.class)
class TxmaHandlerTest {

  private DynamoDbClient dynamoDb;
  private PipelineTables tables;
  private SqsEventsHandler handler;

  @BeforeEach
  void setUp(EmbeddedAws.Backends backends) {
    dynamoDb = backends.dynamoDb();
    tables = PipelineTables.create(dynamoDb, "txma");
    handler = new SqsEventsHandler(tables.environment(), dynamoDb, backends.sqs());
  }

  private List<Map<String, AttributeValue>> items() {
    return PipelineTables.scan(dynamoDb, tables.events(), "pk", "sk");
  }

  private static List<String> failures(SQSBatchResponse response) {
    return response.getBatchItemFailures().stream()
        .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .toList();
  }

  @Test
  void storesEachEventUnderItsSessionWithTheRawBody() {
    // GIVEN three TxMA events, two for one session
    SQSEvent event = Fixtures.sqsEvent("txma-happy.json");

    // WHEN the handler processes the batch
    SQSBatchResponse response = handler.handleRequest(event, null);

    // THEN nothing is returned for retry and exactly three items are stored, bodies untouched
    assertThat(failures(response)).isEmpty();
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
}
