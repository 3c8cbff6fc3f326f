package dev.evtctl.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.evtctl.bench.PowertoolsStyleBatchHandler;
import dev.evtctl.testing.BatchFailures;
import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.Fixtures;
import dev.evtctl.testing.PipelineTables;
import dev.evtctl.testing.TxmaBodies;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * LambdaBenchmark compares like with like: its Powertools-style handler (bench code, test scope)
 * writes exactly the items evtctl's txma pipeline writes for the same events, and returns exactly
 * the records it could not store.
 */
@ExtendWith(EmbeddedAws.class)
class PowertoolsStyleBatchHandlerTest {

  private static final String[] NAMES = {
    "DCMAW_ASYNC_CRI_START", "DCMAW_ASYNC_CRI_VC_ISSUED", "DCMAW_ASYNC_CRI_END"
  };

  private EmbeddedAws.Backends backends;
  private DynamoDbClient dynamoDb;

  @BeforeEach
  void setUp(EmbeddedAws.Backends backends) {
    this.backends = backends;
    dynamoDb = backends.dynamoDb();
  }

  private static SQSEvent tenDistinctEvents() {
    List<SQSEvent.SQSMessage> records = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      records.add(
          Fixtures.record(
              "m" + i, TxmaBodies.event("bench-" + (i % 3), NAMES[i % 3], 1763900000L + i)));
    }
    return Fixtures.sqsEvent(records);
  }

  /** The items of a table, the TTL apart (a time: checked on its own). */
  private List<Map<String, AttributeValue>> itemsWithoutTtl(PipelineTables tables) {
    long now = System.currentTimeMillis() / 1000;
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    for (Map<String, AttributeValue> item :
        PipelineTables.scan(dynamoDb, tables.events(), "pk", "sk")) {
      long ttl = Long.parseLong(item.get("timeToLiveInSeconds").n());
      assertThat(ttl - now).isBetween(1209600L - 60, 1209600L + 1);
      Map<String, AttributeValue> rest = new HashMap<>(item);
      rest.remove("timeToLiveInSeconds");
      items.add(rest);
    }
    return items;
  }

  @ParameterizedTest
  @ValueSource(strings = {"sequential", "parallel"})
  void writesExactlyTheItemsEvtctlWrites(String mode) {
    // GIVEN ten distinct TxMA events, and a table for each handler
    SQSEvent event = tenDistinctEvents();
    PipelineTables evtctlTables = PipelineTables.create(dynamoDb, "txma");
    PipelineTables comparisonTables = PipelineTables.create(dynamoDb, "txma");
    SqsEventsHandler evtctl =
        new SqsEventsHandler(evtctlTables.environment(), dynamoDb, backends.sqs());
    Map<String, String> environment = new HashMap<>(comparisonTables.environment());
    environment.put("BATCH_MODE", mode);
    PowertoolsStyleBatchHandler comparison = new PowertoolsStyleBatchHandler(environment, dynamoDb);

    // WHEN each handler processes the batch, the comparison twice (a redelivery)
    assertThat(BatchFailures.of(evtctl.handleRequest(event, null))).isEmpty();
    assertThat(BatchFailures.of(comparison.handleRequest(event, null))).isEmpty();
    assertThat(BatchFailures.of(comparison.handleRequest(event, null))).isEmpty();

    // THEN the same ten items in both tables, each with the raw body, keyed as txma keys them
    List<Map<String, AttributeValue>> expected = itemsWithoutTtl(evtctlTables);
    assertThat(expected).hasSize(10);
    assertThat(expected.get(0))
        .containsEntry("pk", AttributeValue.fromS("SESSION#bench-0"))
        .containsEntry(
            "sk",
            AttributeValue.fromS("TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_START#TIMESTAMP#1763900000"))
        .containsEntry("event", AttributeValue.fromS(event.getRecords().get(0).getBody()))
        .containsOnlyKeys("pk", "sk", "event");
    assertThat(itemsWithoutTtl(comparisonTables)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sequential", "parallel"})
  void returnsExactlyTheRecordsItCouldNotStore(String mode) {
    // GIVEN a batch with a body that is not JSON and one without a session, among good ones
    PipelineTables tables = PipelineTables.create(dynamoDb, "txma");
    Map<String, String> environment = new HashMap<>(tables.environment());
    environment.put("BATCH_MODE", mode);
    PowertoolsStyleBatchHandler handler = new PowertoolsStyleBatchHandler(environment, dynamoDb);
    SQSEvent event =
        Fixtures.sqsEvent(
            List.of(
                Fixtures.record("good-1", TxmaBodies.event("s1", NAMES[0], 1763900000L)),
                Fixtures.record("not-json", "not json"),
                Fixtures.record(
                    "no-session", "{\"event_name\":\"DCMAW_ASYNC_CRI_END\",\"timestamp\":1}"),
                Fixtures.record("good-2", TxmaBodies.event("s1", NAMES[2], 1763900001L))));

    // WHEN processed
    List<String> failures = BatchFailures.of(handler.handleRequest(event, null));

    // THEN exactly the two bad records go back, in the batch's order, and the good ones are stored
    assertThat(failures).containsExactly("not-json", "no-session");
    assertThat(PipelineTables.scan(dynamoDb, tables.events(), "pk", "sk"))
        .extracting(item -> item.get("sk").s())
        .containsExactly(
            "TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_END#TIMESTAMP#1763900001",
            "TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_START#TIMESTAMP#1763900000");
  }
}
