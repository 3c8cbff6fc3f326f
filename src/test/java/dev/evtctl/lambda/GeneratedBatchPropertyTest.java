package dev.evtctl.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evtctl.core.processing.WriteMode;
import dev.evtctl.testing.BatchFailures;
import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.PipelineTables;
import dev.evtctl.testing.UnicodeText;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeProperty;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Generated batches of valid TxMA events and garbage through the Lambda handler, against DynamoDB
 * Local and ElasticMQ in this JVM. jqwik does not run JUnit extensions, so the backends are started
 * here, once, and stopped after the class; tables are created once per property and each try keeps
 * to its own session ids and message ids. Each try picks a write mode (WRITE_MODE item or
 * transaction): both must leave the table as the batch says.
 */
class GeneratedBatchPropertyTest {

  private static final ObjectMapper WRITER = new ObjectMapper();

  /** As EventStore keeps it: INVALID records hold at most this much of the body. */
  private static final int RECORDED_BODY_MAX_CHARS = 100 * 1024;

  private static EmbeddedAws.Backends backends;

  private DynamoDbClient dynamoDb;
  private PipelineTables tables;
  private Map<WriteMode, SqsEventsHandler> handlers;

  private static synchronized EmbeddedAws.Backends backends() {
    if (backends == null) {
      backends = new EmbeddedAws.Backends();
    }
    return backends;
  }

  @AfterContainer
  static synchronized void stopBackends() {
    if (backends != null) {
      backends.close();
      backends = null;
    }
  }

  @BeforeProperty
  void createTables() {
    dynamoDb = backends().dynamoDb();
    tables = PipelineTables.create(dynamoDb, "txma");
    handlers = new EnumMap<>(WriteMode.class);
    for (WriteMode mode : WriteMode.values()) {
      Map<String, String> environment = new HashMap<>(tables.environment());
      environment.put("WRITE_MODE", mode.label());
      handlers.put(mode, new SqsEventsHandler(environment, dynamoDb, backends().sqs()));
    }
  }

  @Property(tries = 30)
  @Label("a mixed batch: nothing retried, each event stored once, each garbage body recorded")
  void mixedBatchIsStoredAndRecordedWithoutRetries(
      @ForAll("batches") List<Message> batch, @ForAll WriteMode mode) {
    // GIVEN a batch of valid TxMA events (same keys and exact duplicates included) and garbage
    Delivery delivery = Delivery.of(batch);

    // WHEN the handler processes it
    String before = today();
    SQSBatchResponse response = handlers.get(mode).handleRequest(delivery.event(), null);
    String after = today();

    // THEN nothing goes back to the queue, and the table holds exactly what the batch says
    assertThat(BatchFailures.of(response)).as("batchItemFailures for %s", delivery).isEmpty();
    assertEventsStoredOnce(delivery);
    assertGarbageRecorded(delivery, before, after);
  }

  @Property(tries = 15)
  @Label("the same batch delivered twice leaves the table as once")
  void redeliveredBatchChangesNothing(
      @ForAll("batches") List<Message> batch, @ForAll WriteMode mode) {
    // GIVEN a batch that was processed once, its acknowledgement lost
    Delivery delivery = Delivery.of(batch);
    String before = today();
    assertThat(BatchFailures.of(handlers.get(mode).handleRequest(delivery.event(), null)))
        .isEmpty();

    // WHEN SQS delivers the same messages again
    SQSBatchResponse response = handlers.get(mode).handleRequest(delivery.event(), null);
    String after = today();

    // THEN nothing is retried and every event is still stored exactly once
    assertThat(BatchFailures.of(response)).as("batchItemFailures for %s", delivery).isEmpty();
    assertEventsStoredOnce(delivery);
    assertGarbageRecorded(delivery, before, after);
  }

  // ---------------------------------------------------------------------------------------------
  // Assertions
  // ---------------------------------------------------------------------------------------------

  /**
   * Per session: one item per distinct body sent, each body exactly once; per key, the first
   * content under the key itself and other contents under key#(12 hex of SHA-256 of the body).
   */
  private void assertEventsStoredOnce(Delivery delivery) {
    Map<String, List<SentEvent>> bySession =
        delivery.events().stream()
            .collect(
                Collectors.groupingBy(
                    SentEvent::sessionId, LinkedHashMap::new, Collectors.toList()));
    bySession.forEach(
        (sessionId, sent) -> {
          List<Map<String, AttributeValue>> items = itemsUnder("SESSION#" + sessionId);
          Set<String> distinctBodies = new LinkedHashSet<>();
          sent.forEach(event -> distinctBodies.add(event.body()));
          assertThat(items)
              .as("items under SESSION#%s for %s", sessionId, delivery)
              .hasSize(distinctBodies.size());
          assertThat(items)
              .extracting(item -> item.get("event").s())
              .as("bodies under SESSION#%s", sessionId)
              .containsExactlyInAnyOrderElementsOf(distinctBodies);
          for (SentEvent event : sent) {
            Map<String, AttributeValue> item =
                items.stream()
                    .filter(candidate -> candidate.get("event").s().equals(event.body()))
                    .findFirst()
                    .orElseThrow();
            assertThat(item).containsOnlyKeys("pk", "sk", "event", "timeToLiveInSeconds");
            assertThat(item.get("sk").s())
                .as("sk of %s", event.body())
                .isIn(event.sortKey(), event.sortKey() + "#" + contentHash(event.body()));
          }
          Set<String> keys = new LinkedHashSet<>();
          sent.forEach(event -> keys.add(event.sortKey()));
          for (String sortKey : keys) {
            assertThat(items)
                .extracting(item -> item.get("sk").s())
                .as("items keyed exactly %s", sortKey)
                .containsOnlyOnce(sortKey);
          }
        });
  }

  /** Every garbage message: an INVALID record under INVALID#<date>, its message id. */
  private void assertGarbageRecorded(Delivery delivery, String before, String after) {
    for (SentGarbage garbage : delivery.garbage()) {
      Map<String, AttributeValue> record = invalidRecord(garbage.messageId(), before);
      if (record.isEmpty() && !after.equals(before)) {
        record = invalidRecord(garbage.messageId(), after);
      }
      assertThat(record)
          .as("INVALID record of %s (body %s)", garbage.messageId(), abbreviate(garbage.body()))
          .isNotEmpty();
      assertThat(record.get("status").s()).isEqualTo("INVALID");
      assertThat(record.get("reason").s()).isNotBlank();
      if (isWellFormed(garbage.body())) {
        String body = garbage.body();
        boolean truncated = body.length() > RECORDED_BODY_MAX_CHARS;
        assertThat(record.get("event").s())
            .as("recorded body of %s", garbage.messageId())
            .isEqualTo(truncated ? body.substring(0, RECORDED_BODY_MAX_CHARS) : body);
        if (truncated) {
          assertThat(record.get("bodyTruncated").bool()).isTrue();
        }
      }
    }
  }

  private List<Map<String, AttributeValue>> itemsUnder(String pk) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      var page =
          dynamoDb.query(
              QueryRequest.builder()
                  .tableName(tables.events())
                  .keyConditionExpression("pk = :pk")
                  .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))
                  .exclusiveStartKey(start)
                  .consistentRead(true)
                  .build());
      items.addAll(page.items());
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return items;
  }

  private Map<String, AttributeValue> invalidRecord(String messageId, String date) {
    return dynamoDb
        .getItem(
            request ->
                request
                    .tableName(tables.events())
                    .key(
                        Map.of(
                            "pk", AttributeValue.fromS("INVALID#" + date),
                            "sk", AttributeValue.fromS(messageId)))
                    .consistentRead(true))
        .item();
  }

  private static String today() {
    return LocalDate.now(ZoneOffset.UTC).toString();
  }

  /** The first 12 hex digits of SHA-256 of the body (DESIGN.md, txma dedupe). */
  private static String contentHash(String body) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** No lone surrogate: DynamoDB stores what was sent, not '?' in its place. */
  private static boolean isWellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static String abbreviate(String body) {
    String shown =
        body.length() > 200 ? body.substring(0, 200) + "... (" + body.length() + " chars)" : body;
    return shown.replace("\n", "\\n").replace("\r", "\\r");
  }

  // ---------------------------------------------------------------------------------------------
  // Model: what is generated, and what one try sends
  // ---------------------------------------------------------------------------------------------

  /** One generated message: a valid TxMA event or garbage. */
  sealed interface Message permits ValidEvent, Again, Garbage {}

  /**
   * A valid TxMA event; its session id is made unique per try when sent (session is one of a few,
   * so several events of a batch share a session and sometimes a whole key).
   */
  record ValidEvent(
      int session,
      String sessionSuffix,
      String eventName,
      long timestamp,
      Map<String, Object> extensions)
      implements Message {

    String sessionId(String run) {
      return run + "-s" + session + sessionSuffix;
    }

    String body(String run) {
      Map<String, Object> user = new LinkedHashMap<>();
      user.put("user_id", "urn:fdc:gov.uk:2022:abc");
      user.put("session_id", sessionId(run));
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("event_name", eventName);
      event.put("component_id", "https://review-b.account.gov.uk");
      event.put("timestamp", timestamp);
      event.put("user", user);
      if (extensions != null) {
        event.put("extensions", extensions);
      }
      return write(event);
    }
  }

  /**
   * An earlier valid event of the batch again: the same body (a duplicate), or the same key with
   * other content (kept under key#hash). The first event of a batch when there is none earlier.
   */
  record Again(int which, boolean sameContent) implements Message {}

  /** A raw body (no envelope) the txma pipeline can never accept. */
  record Garbage(String body) implements Message {
    @Override
    public String toString() {
      return "Garbage[" + abbreviate(body) + "]";
    }
  }

  record SentEvent(String messageId, String sessionId, String sortKey, String body) {}

  record SentGarbage(String messageId, String body) {}

  /** One try's batch with unique session and message ids, as the Lambda runtime hands it over. */
  record Delivery(String run, SQSEvent event, List<SentEvent> events, List<SentGarbage> garbage) {

    static Delivery of(List<Message> batch) {
      String run = UUID.randomUUID().toString().substring(0, 8);
      List<SQSEvent.SQSMessage> records = new ArrayList<>();
      List<SentEvent> events = new ArrayList<>();
      List<SentGarbage> garbage = new ArrayList<>();
      List<ValidEvent> valids = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        String messageId = run + "-m" + i;
        String body;
        Message message = batch.get(i);
        if (message instanceof Again again) {
          message =
              valids.isEmpty()
                  ? new ValidEvent(0, "", "DCMAW_ASYNC_CRI_START", 1763900000L, null)
                  : valids.get(again.which() % valids.size());
          if (!again.sameContent()) {
            ValidEvent earlier = (ValidEvent) message;
            message =
                new ValidEvent(
                    earlier.session(),
                    earlier.sessionSuffix(),
                    earlier.eventName(),
                    earlier.timestamp(),
                    Map.of("copy", i));
          }
        }
        if (message instanceof ValidEvent valid) {
          valids.add(valid);
          body = valid.body(run);
          events.add(
              new SentEvent(
                  messageId,
                  valid.sessionId(run),
                  "TXMA#EVENT_NAME#" + valid.eventName() + "#TIMESTAMP#" + valid.timestamp(),
                  body));
        } else {
          body = ((Garbage) batch.get(i)).body();
          garbage.add(new SentGarbage(messageId, body));
        }
        records.add(record(messageId, body));
      }
      SQSEvent event = new SQSEvent();
      event.setRecords(records);
      return new Delivery(run, event, events, garbage);
    }

    private static SQSEvent.SQSMessage record(String messageId, String body) {
      SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
      record.setMessageId(messageId);
      record.setReceiptHandle("AQEB" + messageId);
      record.setBody(body);
      record.setAttributes(
          Map.of("ApproximateReceiveCount", "1", "SentTimestamp", "1763900000000"));
      record.setMessageAttributes(Map.of());
      record.setMd5OfBody("0");
      record.setEventSource("aws:sqs");
      record.setEventSourceArn("arn:aws:sqs:eu-west-2:123456789012:txma-events");
      record.setAwsRegion("eu-west-2");
      return record;
    }

    @Override
    public String toString() {
      return "run " + run + ": " + events.size() + " events, " + garbage.size() + " garbage";
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Generators
  // ---------------------------------------------------------------------------------------------

  @Provide
  Arbitrary<List<Message>> batches() {
    Arbitrary<Message> messages =
        Arbitraries.frequencyOf(
            Tuple.of(3, validEvents()), Tuple.of(2, again()), Tuple.of(3, garbage()));
    return messages
        .list()
        .ofMinSize(1)
        .ofMaxSize(10)
        .withSizeDistribution(RandomDistribution.uniform());
  }

  private static Arbitrary<Message> validEvents() {
    Arbitrary<Integer> sessions = Arbitraries.integers().between(0, 2);
    Arbitrary<String> suffixes =
        Arbitraries.frequencyOf(
            Tuple.of(2, Arbitraries.just("")), Tuple.of(1, UnicodeText.of(1, 20, false)));
    Arbitrary<String> names =
        Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.of("DCMAW_ASYNC_CRI_START", "DCMAW_ASYNC_CRI_END")),
            Tuple.of(1, UnicodeText.of(1, 30, false)));
    Arbitrary<Long> timestamps =
        Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.of(1763900000L, 1763900001L)),
            Tuple.of(1, Arbitraries.longs().greaterOrEqual(0)));
    Arbitrary<Map<String, Object>> extensions =
        Arbitraries.frequencyOf(
            Tuple.of(2, Arbitraries.just((Map<String, Object>) null)),
            Tuple.of(
                2,
                Arbitraries.of("https://example.gov.uk/a", "https://example.gov.uk/b")
                    .map(uri -> Map.<String, Object>of("redirect_uri", uri))),
            Tuple.of(
                1,
                Arbitraries.maps(UnicodeText.of(0, 10, true), jsonLeaves())
                    .ofMaxSize(4)
                    .map(m -> (Map<String, Object>) new LinkedHashMap<>(m))));
    return Combinators.combine(sessions, suffixes, names, timestamps, extensions)
        .as(ValidEvent::new);
  }

  private static Arbitrary<Message> again() {
    return Combinators.combine(Arbitraries.integers().between(0, 9), Arbitraries.of(true, false))
        .as(Again::new);
  }

  private static Arbitrary<Message> garbage() {
    String valid =
        "{\"event_name\":\"E\",\"timestamp\":1763900000,\"user\":{\"session_id\":\"%s\"}}";
    Arbitrary<String> bodies =
        Arbitraries.frequencyOf(
            // arbitrary text, lone surrogates included, never starting an object
            Tuple.of(
                3,
                Arbitraries.strings()
                    .withCharRange('\u0000', '\uffff')
                    .ofMinLength(1)
                    .ofMaxLength(200)
                    .filter(text -> !text.strip().startsWith("{"))),
            Tuple.of(2, UnicodeText.of(1, 100, true).filter(text -> !text.strip().startsWith("{"))),
            // text with a lone surrogate (a body that was not UTF-8 when sent)
            Tuple.of(
                1,
                Combinators.combine(
                        UnicodeText.of(0, 50, true),
                        Arbitraries.chars().range('\ud800', '\udfff'),
                        UnicodeText.of(0, 50, true))
                    .as((head, surrogate, tail) -> head + surrogate + tail)
                    .filter(text -> !text.strip().startsWith("{"))),
            // JSON that is not an object, or an object that is not an event
            Tuple.of(
                2,
                Arbitraries.of(
                    " ",
                    "null",
                    "[]",
                    "42",
                    "\"text\"",
                    "{}",
                    "{\"a\":1,\"a\":2}",
                    "{\"event_name\":\"E\"}",
                    "{\"event_name\":\"E\",\"timestamp\":1}",
                    "[[[[[[[[[[[[[[[[[[[[",
                    "[".repeat(5000),
                    "{\"Type\":\"Notification\",\"Message\":\"oops\",\"TopicArn\":\"t\"}")),
            // an event with a required field of the wrong type, or '#' in its session id
            Tuple.of(
                2,
                Arbitraries.of(
                    "{\"event_name\":42,\"timestamp\":1763900000,\"user\":{\"session_id\":\"s\"}}",
                    "{\"event_name\":null,\"timestamp\":1763900000,\"user\":{\"session_id\":\"s\"}}",
                    "{\"event_name\":\"E\",\"timestamp\":true,\"user\":{\"session_id\":\"s\"}}",
                    "{\"event_name\":\"E\",\"timestamp\":1763900000.5,\"user\":{\"session_id\":\"s\"}}",
                    "{\"event_name\":\"E\",\"timestamp\":-1,\"user\":{\"session_id\":\"s\"}}",
                    "{\"event_name\":\"E\",\"timestamp\":1763900000,\"user\":\"s\"}",
                    "{\"event_name\":\"E\",\"timestamp\":1763900000,\"user\":{\"session_id\":7.5}}",
                    valid.formatted("a#b"),
                    valid.formatted(""))),
            // bodies over the 256 KiB limit: recorded truncated
            Tuple.of(
                1,
                Arbitraries.integers()
                    .between(262_145, 300_000)
                    .map(size -> valid.formatted("x".repeat(size)))));
    return bodies.map(Garbage::new);
  }

  private static Arbitrary<Object> jsonLeaves() {
    return Arbitraries.oneOf(
        UnicodeText.of(0, 20, true).map(Object.class::cast),
        Arbitraries.longs().map(Object.class::cast),
        Arbitraries.doubles().map(d -> (Object) BigDecimal.valueOf(d)),
        Arbitraries.of(Boolean.TRUE, Boolean.FALSE).map(Object.class::cast),
        Arbitraries.just(null));
  }

  private static String write(Object tree) {
    try {
      return WRITER.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
