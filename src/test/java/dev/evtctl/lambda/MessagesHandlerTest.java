package dev.evtctl.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.evtctl.testing.BatchFailures;
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
class MessagesHandlerTest {

  private static final String COMPANY = "e0721e56-fb09-4273-ae74-7bcbc92d43eb";
  private static final String FIRST = "fc0daad3-4f10-4d15-b8c6-276cca111e87";

  private DynamoDbClient dynamoDb;
  private PipelineTables tables;
  private SqsEventsHandler handler;

  @BeforeEach
  void setUp(EmbeddedAws.Backends backends) {
    dynamoDb = backends.dynamoDb();
    tables = PipelineTables.create(dynamoDb, "messages");
    handler = new SqsEventsHandler(tables.environment(), dynamoDb, backends.sqs());
  }

  private List<Map<String, AttributeValue>> items() {
    return PipelineTables.scan(dynamoDb, tables.events(), "message_id");
  }

  @Test
  void storesEachMessageAsReceivedWithStatusProcessed() {
    SQSEvent event = Fixtures.sqsEvent("messages-happy.json");

    SQSBatchResponse response = handler.handleRequest(event, null);

    assertThat(BatchFailures.of(response)).isEmpty();
    List<Map<String, AttributeValue>> items = items();
    assertThat(items)
        .extracting(item -> item.get("message_id").s())
        .containsExactly("9b1d2f00-0000-4000-8000-000000000002", FIRST);
    assertThat(items.get(1))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "message_id", AttributeValue.fromS(FIRST),
                "message", AttributeValue.fromS(event.getRecords().get(0).getBody()),
                "status", AttributeValue.fromS("Processed"),
                "company_id", AttributeValue.fromS(COMPANY),
                "message_time", AttributeValue.fromS("2023-12-10T22:02:38Z")));
  }

  @Test
  void sameBodyIsADuplicateAndADifferentBodyOnTheSameIdIsAConflictKeptOut() {
    SQSEvent event = Fixtures.sqsEvent("messages-duplicate-and-conflict.json");
    // one at a time, so that the first delivery is the one stored
    for (SQSEvent.SQSMessage message : event.getRecords()) {
      SQSEvent single = new SQSEvent();
      single.setRecords(List.of(message));
      assertThat(BatchFailures.of(handler.handleRequest(single, null))).isEmpty();
    }

    List<Map<String, AttributeValue>> items = items();
    assertThat(items)
        .extracting(item -> item.get("message_id").s())
        .containsExactly("INVALID#s-1-conflict", FIRST);
    assertThat(items.get(1).get("message").s()).isEqualTo(event.getRecords().get(0).getBody());
    assertThat(items.get(0).get("status").s()).isEqualTo("Invalid");
    assertThat(items.get(0).get("error").s())
        .isEqualTo("conflict: message_id " + FIRST + " is already stored with different content");
    assertThat(items.get(0).get("message").s()).isEqualTo(event.getRecords().get(2).getBody());
  }

  @Test
  void invalidMessagesAreRecordedUnderTheirIdWithTheError() {
    SQSBatchResponse response =
        handler.handleRequest(Fixtures.sqsEvent("messages-invalid.json"), null);

    assertThat(BatchFailures.of(response)).isEmpty();
    assertThat(items())
        .extracting(
            item ->
                item.get("message_id").s()
                    + " "
                    + item.get("status").s()
                    + " "
                    + item.get("error").s())
        .containsExactly(
            "m-x Invalid schema: required property 'data' not found",
            "m-y Invalid schema: /metadata/message_time: does not match the date-time pattern"
                + " must be a valid RFC 3339 date-time");
  }
}
