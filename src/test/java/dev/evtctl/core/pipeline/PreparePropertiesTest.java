package dev.evtctl.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.evtctl.testing.UnicodeText;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.assertj.core.api.SoftAssertions;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Properties of {@link Pipeline#prepare}, the hot path every message goes through: whatever the
 * body, it returns (never throws), an INVALID always says why in one line, a valid TxMA event is
 * keyed exactly as the original Lambda keyed it with the body stored untouched, and a required
 * field of the wrong JSON type is never accepted.
 */
class PreparePropertiesTest {

  private static final Map<String, Pipeline> PIPELINES = new ConcurrentHashMap<>();

  /** A plain writer: no feature of the core's mapper leaks into how bodies are produced. */
  private static final ObjectMapper WRITER = new ObjectMapper();

  /** Marks a field to be removed instead of replaced. */
  private static final Object REMOVE = new Object();

  private static PreparedEvent prepare(String pipeline, String body) {
    return PIPELINES
        .computeIfAbsent(pipeline, Pipelines::builtIn)
        .prepare(QueueMessage.of("msg-1", body), Instant.now());
  }

  /** Prepares, failing the try (not the JVM) on anything thrown, Errors included. */
  private static PreparedEvent prepareQuietly(Case body) {
    AtomicReference<PreparedEvent> result = new AtomicReference<>();
    Throwable thrown = catchThrowable(() -> result.set(prepare(body.pipeline(), body.body())));
    assertThat(thrown).as("prepare threw for %s", body).isNull();
    return result.get();
  }

  // ---------------------------------------------------------------------------------------------
  // (1) and (2): any body at all
  // ---------------------------------------------------------------------------------------------

  @Property(tries = 500)
  @Label("prepare never throws, whatever the body")
  void prepareNeverThrows(@ForAll("anyBodies") Case body) {
    // GIVEN any body, for any built-in pipeline
    // WHEN it is prepared
    // THEN it returns a result (Valid or Invalid) and throws nothing, not even an Error
    assertThat(prepareQuietly(body)).isNotNull();
  }

  @Example
  @Label("a number beyond BigDecimal's exponent range is an INVALID body, not an exception")
  void exponentOverflowIsAnInvalidBody() {
    // GIVEN numbers Jackson reads as BigDecimal (USE_BIG_DECIMAL_FOR_FLOATS) but cannot hold;
    // jqwik found the first one
    for (String body : List.of("1e9999999990", "{\"n\": 1e9999999990}", "[-2E-2147483649]")) {
      for (String pipeline : Pipelines.BUILT_IN) {
        // WHEN prepared THEN INVALID, with the reason on one line
        PreparedEvent prepared = prepareQuietly(new Case(pipeline, body));
        assertThat(prepared)
            .as("%s for %s", body, pipeline)
            .isInstanceOf(PreparedEvent.Invalid.class);
        assertThat(((PreparedEvent.Invalid) prepared).reason())
            .startsWith("body is not JSON: ")
            .doesNotContain("\n");
      }
    }
  }

  @Property(tries = 300)
  @Label("prepare's output stays proportional to its input")
  void preparedItemValuesStayProportionalToTheBody(@ForAll("anyBodies") Case body) {
    // GIVEN any body: "never throws" is only worth something if prepare cannot be made to build
    // a value vastly larger than the message (1e999999999 is 11 bytes of JSON)
    // WHEN it is prepared
    PreparedEvent prepared = prepareQuietly(body);

    // THEN no attribute value of a valid item, at any depth, is longer than the body plus the
    // constant parts of the key templates
    if (prepared instanceof PreparedEvent.Valid valid) {
      int limit = body.body().length() + 256;
      valid
          .item()
          .forEach(
              (name, value) ->
                  assertThat(longestText(value))
                      .as("length of attribute %s for %s", name, body)
                      .isLessThanOrEqualTo(limit));
    }
  }

  @Property(tries = 500)
  @Label("every INVALID has a non-blank, one-line reason")
  void everyInvalidHasAOneLineReason(@ForAll("anyBodies") Case body) {
    // GIVEN any body, for any built-in pipeline
    // WHEN it is prepared
    PreparedEvent prepared = prepareQuietly(body);

    // THEN an INVALID says why, on one line (the reason goes into log lines and DLQ attributes)
    if (prepared instanceof PreparedEvent.Invalid invalid) {
      assertThat(invalid.reason())
          .as("reason for %s", body)
          .isNotBlank()
          .doesNotContain("\n")
          .doesNotContain("\r");
    }
  }

  @Example
  @Label("a number beyond a double's range never slips past the schema's bounds")
  void numbersBeyondADoubleAreInvalid() {
    // GIVEN a TxMA event whose event_timestamp_ms (schema: minimum 0) is -1e999999999, which the
    // validator compared as an infinity and let through; and one 1e-400 deep in its extensions
    String base = "{\"event_name\":\"E\",\"timestamp\":1,\"user\":{\"session_id\":\"s\"},";
    PreparedEvent below = prepare("txma", base + "\"event_timestamp_ms\":-1e999999999}");
    PreparedEvent tiny = prepare("txma", base + "\"extensions\":{\"a/b\":[0, 1e-400]}}");
    PreparedEvent ordinary = prepare("txma", base + "\"extensions\":{\"n\":1.5e300, \"z\":0e999}}");

    // THEN each is INVALID, naming where; ordinary exponents stay valid
    assertThat(((PreparedEvent.Invalid) below).reason())
        .isEqualTo(
            "the number at /event_timestamp_ms is beyond what a schema can check (±1.8e308)");
    assertThat(((PreparedEvent.Invalid) tiny).reason())
        .isEqualTo("the number at /extensions/a~1b/1 is beyond what a schema can check (±1.8e308)");
    assertThat(ordinary).isInstanceOf(PreparedEvent.Valid.class);
  }

  @Example
  @Label("every edge body, for every pipeline: no throw, one-line reasons, bounded items")
  void edgeBodiesForEveryPipeline() {
    // GIVEN each hand-picked edge body, for each built-in pipeline
    SoftAssertions softly = new SoftAssertions();
    for (String pipeline : Pipelines.BUILT_IN) {
      for (String text : EDGE_BODIES) {
        Case body = new Case(pipeline, text);
        // WHEN it is prepared
        AtomicReference<PreparedEvent> result = new AtomicReference<>();
        Throwable thrown = catchThrowable(() -> result.set(prepare(pipeline, text)));
        // THEN the same holds as for the generated bodies
        softly.assertThat(thrown).as("prepare threw for %s", body).isNull();
        if (result.get() instanceof PreparedEvent.Invalid invalid) {
          softly
              .assertThat(invalid.reason())
              .as("reason for %s", body)
              .isNotBlank()
              .doesNotContain("\n")
              .doesNotContain("\r");
        } else if (result.get() instanceof PreparedEvent.Valid valid) {
          valid
              .item()
              .forEach(
                  (name, value) ->
                      softly
                          .assertThat(longestText(value))
                          .as("length of attribute %s for %s", name, body)
                          .isLessThanOrEqualTo(text.length() + 256));
        }
      }
    }
    softly.assertAll();
  }

  // ---------------------------------------------------------------------------------------------
  // (3) and (4): TxMA events
  // ---------------------------------------------------------------------------------------------

  @Property(tries = 300)
  @Label("a valid TxMA event is keyed by session, name and timestamp, and stored as received")
  void validTxmaEventIsKeyedAndStoredAsReceived(@ForAll("validTxmaEvents") TxmaEvent event) {
    // GIVEN a valid TxMA event, written compact, pretty or ASCII-escaped
    String body = event.body();

    // WHEN it is prepared
    PreparedEvent prepared = prepare("txma", body);

    // THEN it is Valid, keyed exactly as the original Lambda keyed it, with the body untouched
    assertThat(prepared)
        .as("prepared %s", abbreviate(body))
        .isInstanceOf(PreparedEvent.Valid.class);
    PreparedEvent.Valid valid = (PreparedEvent.Valid) prepared;
    assertThat(valid.item().get("pk").s()).isEqualTo("SESSION#" + event.sessionId());
    assertThat(valid.item().get("sk").s())
        .isEqualTo("TXMA#EVENT_NAME#" + event.eventName() + "#TIMESTAMP#" + event.timestamp());
    assertThat(valid.item().get("event").s()).isEqualTo(body);
    assertThat(valid.eventText()).isEqualTo(body);
    assertThat(valid.item()).containsOnlyKeys("pk", "sk", "event", "timeToLiveInSeconds");
  }

  @Property(tries = 300)
  @Label("whatever timestamp and session id the TxMA schema accepts makes a key, as the original")
  void everyTimestampAndSessionTheSchemaAcceptsMakesAKey(
      @ForAll("validTxmaEvents") TxmaEvent event,
      @ForAll("acceptedTimestamps") Object timestamp,
      @ForAll("acceptedSessionIds") Object sessionId) {
    // GIVEN a valid TxMA event whose timestamp is an integer, a whole number written with a
    // fraction or a non-empty string, and whose session id is a string or an integer
    Map<String, Object> tree = event.tree();
    setAt(tree, List.of("timestamp"), timestamp);
    setAt(tree, List.of("user", "session_id"), sessionId);
    String body = write(tree, Format.COMPACT);

    // WHEN it is prepared
    PreparedEvent prepared = prepare("txma", body);

    // THEN it is Valid, keyed with both as text (a whole decimal as its integer)
    assertThat(prepared)
        .as("prepared %s", abbreviate(body))
        .isInstanceOf(PreparedEvent.Valid.class);
    PreparedEvent.Valid valid = (PreparedEvent.Valid) prepared;
    assertThat(valid.item().get("pk").s()).isEqualTo("SESSION#" + keyText(sessionId));
    assertThat(valid.item().get("sk").s())
        .isEqualTo("TXMA#EVENT_NAME#" + event.eventName() + "#TIMESTAMP#" + keyText(timestamp));
  }

  private static String keyText(Object value) {
    return value instanceof BigDecimal decimal
        ? decimal.toBigIntegerExact().toString()
        : value.toString();
  }

  @Provide
  Arbitrary<Object> acceptedTimestamps() {
    return Arbitraries.oneOf(
        Arbitraries.longs().greaterOrEqual(0).map(Object.class::cast),
        Arbitraries.longs()
            .between(0, 4_000_000_000L)
            .map(n -> (Object) new BigDecimal(BigInteger.valueOf(n * 10), 1)),
        UnicodeText.of(1, 40, false).map(Object.class::cast),
        Arbitraries.of("mockTimestamp", "1736294400", "2025-01-08T00:00:00.000Z")
            .map(Object.class::cast));
  }

  @Provide
  Arbitrary<Object> acceptedSessionIds() {
    return Arbitraries.oneOf(
        UnicodeText.of(1, 100, false).map(Object.class::cast),
        Arbitraries.longs().map(Object.class::cast));
  }

  @Property(tries = 300)
  @Label("a required TxMA field of the wrong JSON type is always INVALID")
  void requiredFieldOfTheWrongTypeIsInvalid(
      @ForAll("validTxmaEvents") TxmaEvent event, @ForAll("wrongTypes") WrongType wrong) {
    // GIVEN a valid TxMA event with one required field given a value of the wrong JSON type
    Map<String, Object> tree = event.tree();
    setAt(tree, wrong.path(), wrong.value());
    String body = write(tree, Format.COMPACT);

    // WHEN it is prepared
    PreparedEvent prepared = prepare("txma", body);

    // THEN it is INVALID, with a reason
    assertThat(prepared)
        .as("prepared %s (%s)", abbreviate(body), wrong)
        .isInstanceOf(PreparedEvent.Invalid.class);
    assertThat(((PreparedEvent.Invalid) prepared).reason()).isNotBlank();
  }

  @Property(tries = 200)
  @Label("a TxMA key field holding an unpaired surrogate is INVALID, never keyed as '?'")
  void keyFieldWithAnUnpairedSurrogateIsInvalid(
      @ForAll("validTxmaEvents") TxmaEvent event,
      @ForAll("unpairedSurrogates") char surrogate,
      @ForAll boolean inSessionId,
      @ForAll boolean escaped) {
    // GIVEN a valid TxMA event whose session id or event name holds an unpaired surrogate, sent
    // raw or as a JSON escape ("\ud800" is 6 ASCII characters: the body itself is valid UTF-8)
    Map<String, Object> tree = event.tree();
    List<String> path = inSessionId ? List.of("user", "session_id") : List.of("event_name");
    String text = inSessionId ? event.sessionId() : event.eventName();
    int at = text.offsetByCodePoints(0, text.codePointCount(0, text.length()) / 2);
    setAt(tree, path, text.substring(0, at) + surrogate + text.substring(at));
    String body = write(tree, escaped ? Format.ASCII_ESCAPED : Format.COMPACT);

    // WHEN it is prepared
    PreparedEvent prepared = prepare("txma", body);

    // THEN it is INVALID: DynamoDB would key it under '?' in place of the surrogate, where every
    // other such session lands too
    assertThat(prepared)
        .as("prepared %s", abbreviate(body))
        .isInstanceOf(PreparedEvent.Invalid.class);
  }

  // ---------------------------------------------------------------------------------------------
  // Generators
  // ---------------------------------------------------------------------------------------------

  /** A body and the pipeline it is given to. */
  record Case(String pipeline, String body) {
    @Override
    public String toString() {
      return pipeline + " body " + abbreviate(body);
    }
  }

  @Provide
  Arbitrary<Case> anyBodies() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, anyPipeline(anyText().injectNull(0.01))),
        Tuple.of(2, anyPipeline(Arbitraries.of(EDGE_BODIES))),
        Tuple.of(1, anyPipeline(deepNesting())),
        Tuple.of(1, anyPipeline(longBodies())),
        Tuple.of(3, anyPipeline(jsonFragments())),
        Tuple.of(1, anyPipeline(duplicateKeys())),
        Tuple.of(8, mutatedEvents()));
  }

  private static Arbitrary<Case> anyPipeline(Arbitrary<String> bodies) {
    return Combinators.combine(Arbitraries.of(Pipelines.BUILT_IN), bodies).as(Case::new);
  }

  /** Strings of any UTF-16 code units (lone surrogates included) and of JSON's own characters. */
  private static Arbitrary<String> anyText() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withCharRange('\u0000', '\uffff').ofMaxLength(200),
        Arbitraries.strings().all().ofMaxLength(200),
        Arbitraries.strings()
            .withChars("{}[]\":,0123456789.eE+-truefalsn \\/\n\t#")
            .ofMaxLength(200),
        UnicodeText.of(0, 200, true));
  }

  /** A ledger event with its event_type and payload left open (%s, %s). */
  private static final String LEDGER_ENVELOPE =
      "{\"tenant_id\":\"t-1\",\"event_id\":\"e-1\",\"event_type\":\"%s\","
          + "\"created_at\":\"2025-11-23T12:00:00Z\",\"payload\":%s}";

  private static final List<String> EDGE_BODIES =
      List.of(
          "",
          " ",
          "\t\r\n",
          "\u00a0",
          "null",
          "true",
          "0",
          "\"\"",
          "\"event\"",
          "{}",
          "[]",
          "{} {}",
          "{}x",
          "\ufeff{}",
          "\ud800",
          "\udc00{}",
          "{\"a\":\"\ud83d\"}",
          "{\"a\":1,\"a\":2}",
          "{\"a\\rb\":1,\"a\\rb\":2}",
          "{\"a\\nb\":1,\"a\\nb\":2}",
          "{\"a\":NaN}",
          "{\"a\":Infinity}",
          "{'a':1}",
          "{\"a\":1,}",
          "[1,]",
          "{\"a\":01}",
          "1e999999999",
          "{\"a\":" + "9".repeat(1001) + "}",
          "{\"event_name\":\"x\",\"timestamp\":"
              + "9".repeat(999)
              + ",\"user\":{\"session_id\":\"s\"}}",
          "{\"event_name\":\"x\",\"timestamp\":1e999999999,\"user\":{\"session_id\":\"s\"}}",
          "{\"event_name\":\"x\",\"timestamp\":1E-999999999,\"user\":{\"session_id\":\"s\"}}",
          "{\"event_name\":\"x\",\"timestamp\":1.0,\"user\":{\"session_id\":\"s\"}}",
          "{\"event_name\":\"x\",\"timestamp\":-0,\"user\":{\"session_id\":\"s\"}}",
          "{\"event_name\":\"x\",\"timestamp\":1,\"user\":{\"session_id\":\"\\ud800\"}}",
          "{\"Type\":\"Notification\",\"Message\":\"\",\"TopicArn\":\"t\"}",
          "{\"Type\":\"Notification\",\"Message\":\"null\",\"TopicArn\":\"t\"}",
          "{\"Type\":\"Notification\",\"Message\":\"{\\\"a\\\":\",\"TopicArn\":\"t\"}",
          "{\"Type\":\"Notification\",\"Message\":\"["
              + "[".repeat(2000)
              + "\",\"TopicArn\":\"t\"}",
          "{\"detail-type\":\"t\",\"source\":\"s\",\"detail\":{}}",
          "{\"detail-type\":\"t\",\"source\":\"s\",\"detail\":[]}",
          "{\"detail-type\":\"t\",\"source\":\"s\",\"detail\":{\"event_type\":\"a\\nb\"}}",
          LEDGER_ENVELOPE.formatted("a\\nb", "{}"),
          LEDGER_ENVELOPE.formatted("a\\rb", "{}"),
          LEDGER_ENVELOPE.formatted(
              "transaction.authorizers",
              "{\"transaction_id\":\"x\",\"authorizer\":\"a\",\"decision\":\"APPROVED\","
                  + "\"amount\":1E+100000}"),
          LEDGER_ENVELOPE.formatted(
              "transaction.authorizers",
              "{\"transaction_id\":\"x\",\"authorizer\":\"a\",\"decision\":\"APPROVED\","
                  + "\"amount\":1E-100000}"));

  /** "[[[[..." and friends, far beyond Jackson's nesting limit of 1000, closed or not. */
  private static Arbitrary<String> deepNesting() {
    Arbitrary<String> openers = Arbitraries.of("[", "{\"a\":", "{\"extensions\":", "[{\"x\":[");
    Arbitrary<Integer> depths =
        Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.integers().between(1, 2_000)),
            Tuple.of(1, Arbitraries.integers().between(990, 1_010)),
            Tuple.of(1, Arbitraries.integers().between(2_000, 50_000)));
    Arbitrary<String> raw =
        Combinators.combine(openers, depths, Arbitraries.of(true, false))
            .as(
                (opener, depth, closed) -> {
                  StringBuilder text = new StringBuilder(opener.repeat(depth));
                  if (closed) {
                    text.append('1');
                    String closer = closer(opener);
                    text.append(closer.repeat(depth));
                  }
                  return text.toString();
                });
    // Deep, but inside a valid TxMA event's extensions (Valid when under the limit)
    Arbitrary<String> insideEvent =
        depths.map(
            depth ->
                "{\"event_name\":\"E\",\"timestamp\":1,\"user\":{\"session_id\":\"s\"},"
                    + "\"extensions\":{\"deep\":"
                    + "[".repeat(depth)
                    + "]".repeat(depth)
                    + "}}");
    return Arbitraries.oneOf(raw, insideEvent);
  }

  private static String closer(String opener) {
    StringBuilder closer = new StringBuilder();
    for (int i = opener.length() - 1; i >= 0; i--) {
      char c = opener.charAt(i);
      if (c == '[') {
        closer.append(']');
      } else if (c == '{') {
        closer.append('}');
      }
    }
    return closer.toString();
  }

  /** Bodies around the 256 KiB limit, in 1- to 4-byte characters. */
  private static Arbitrary<String> longBodies() {
    Arbitrary<String> fills = Arbitraries.of("a", "\u00e9", "\u20ac", "\ud83d\ude00", "\\n");
    Arbitrary<Integer> bytes = Arbitraries.integers().between(250_000, 270_000);
    return Combinators.combine(fills, bytes, Arbitraries.integers().between(0, 2))
        .as(
            (fill, size, shape) -> {
              int utf8 =
                  fill.equals("\\n")
                      ? 2
                      : fill.codePoints().map(PreparePropertiesTest::utf8Length).sum();
              String text = fill.repeat(Math.max(1, size / utf8));
              return switch (shape) {
                case 0 -> text;
                case 1 -> "\"" + text + "\"";
                default ->
                    "{\"event_name\":\"E\",\"timestamp\":1,\"user\":{\"session_id\":\"s\"},"
                        + "\"extensions\":{\"long\":\""
                        + text
                        + "\"}}";
              };
            });
  }

  private static int utf8Length(int codePoint) {
    return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
  }

  /** Token soup: almost-JSON, with the field names the pipelines look for. */
  private static Arbitrary<String> jsonFragments() {
    Arbitrary<String> tokens =
        Arbitraries.of(
            "{",
            "}",
            "[",
            "]",
            ":",
            ",",
            "\"event_name\"",
            "\"timestamp\"",
            "\"user\"",
            "\"session_id\"",
            "\"event_type\"",
            "\"tenant_id\"",
            "\"payload\"",
            "\"metadata\"",
            "\"message_id\"",
            "\"detail\"",
            "\"detail-type\"",
            "\"source\"",
            "\"Type\"",
            "\"Notification\"",
            "\"Message\"",
            "\"TopicArn\"",
            "\"x\"",
            "\"\"",
            "\"#\"",
            "\"\\ud800\"",
            "\"\\u0000\"",
            "\"a\nb\"",
            "\"\\n\"",
            "0",
            "-0",
            "1",
            "-1",
            "1.5",
            "1e999999999",
            "1E-999999999",
            "9".repeat(1001),
            "9".repeat(999),
            "true",
            "false",
            "null",
            "NaN",
            "Infinity",
            "'x'",
            "/* c */",
            "\\",
            "\u0000",
            "\ufeff",
            " ",
            "\n");
    return tokens
        .list()
        .ofMaxSize(40)
        .flatMap(list -> Arbitraries.of("", " ").map(separator -> String.join(separator, list)));
  }

  /**
   * A valid event of one of the pipelines, with one field replaced by any JSON value (or removed),
   * sent raw or in an SNS or EventBridge envelope.
   */
  private static Arbitrary<Case> mutatedEvents() {
    Arbitrary<Object> values =
        Arbitraries.frequencyOf(
            Tuple.of(4, nastyStrings()),
            Tuple.of(3, hostileNumbers()),
            Tuple.of(4, jsonValues()),
            Tuple.of(1, Arbitraries.just(REMOVE)));
    return Arbitraries.of(Sample.values())
        .flatMap(
            sample ->
                Combinators.combine(
                        Arbitraries.of(sample.paths).injectNull(0.1),
                        values,
                        Arbitraries.of(Envelope.values()))
                    .as(
                        (path, value, envelope) -> {
                          Map<String, Object> tree = sample.tree.get();
                          if (path != null) {
                            setAt(tree, List.of(path.split("/")), value);
                          }
                          return new Case(sample.pipeline, envelope.wrap(tree));
                        }));
  }

  /** An object with one key twice: the parser's message quotes the key. */
  private static Arbitrary<String> duplicateKeys() {
    return nastyStrings()
        .map(
            key -> {
              String quoted = write(key, Format.COMPACT);
              return "{" + quoted + ":1," + quoted + ":2}";
            });
  }

  /** Text with line breaks, key delimiters, whitespace and the INVALID# prefix. */
  private static Arbitrary<Object> nastyStrings() {
    return Arbitraries.frequencyOf(
            Tuple.of(2, UnicodeText.of(0, 30, true)),
            Tuple.of(3, Arbitraries.strings().withChars("\n\r\t\u2028\u0085#. ab").ofMaxLength(10)),
            Tuple.of(
                1,
                Arbitraries.of(
                    "",
                    " ",
                    "\n",
                    "a\nb",
                    "\r\n",
                    "#",
                    "a#b",
                    "INVALID#x",
                    "\u0000",
                    "user.created\n")))
        .map(Object.class::cast);
  }

  /** Any JSON value, numbers far outside what DynamoDB holds and control characters included. */
  private static Arbitrary<Object> jsonValues() {
    return jsonValues(hostileNumbers());
  }

  /**
   * Any JSON value with these numbers. Valid events hold whole numbers here: beyond a double's
   * range a schema cannot check a number, and prepare refuses it (numbersBeyondADoubleAreInvalid).
   */
  private static Arbitrary<Object> jsonValues(Arbitrary<Object> numbers) {
    Arbitrary<Object> leaves =
        Arbitraries.frequencyOf(
            Tuple.of(4, UnicodeText.of(0, 30, true).map(Object.class::cast)),
            Tuple.of(
                2,
                Arbitraries.strings()
                    .withChars("\n\r\t\u2028#. ab")
                    .ofMaxLength(10)
                    .map(Object.class::cast)),
            Tuple.of(2, Arbitraries.longs().map(Object.class::cast)),
            Tuple.of(2, numbers),
            Tuple.of(1, Arbitraries.of(Boolean.TRUE, Boolean.FALSE).map(Object.class::cast)),
            Tuple.of(1, Arbitraries.just(null)));
    return Arbitraries.recursive(
        () -> leaves,
        inner ->
            Arbitraries.oneOf(
                inner,
                inner.list().ofMaxSize(4).map(Object.class::cast),
                Arbitraries.maps(UnicodeText.of(0, 10, true), inner)
                    .ofMaxSize(4)
                    .map(m -> (Object) new LinkedHashMap<>(m))),
        0,
        3);
  }

  /** 1E+n and 1E-n up to n = 10^7, 1000-digit integers, fractions: JSON Jackson accepts. */
  private static Arbitrary<Object> hostileNumbers() {
    Arbitrary<Integer> exponents = Arbitraries.integers().between(0, 10_000_000);
    return Arbitraries.oneOf(
        exponents.map(e -> (Object) new BigDecimal(BigInteger.ONE, -e)),
        exponents.map(e -> (Object) new BigDecimal(BigInteger.ONE, e)),
        Arbitraries.integers()
            .between(1, 999)
            .map(digits -> (Object) new BigInteger("9".repeat(digits))),
        Arbitraries.doubles().map(d -> (Object) BigDecimal.valueOf(d)));
  }

  @Provide
  Arbitrary<Character> unpairedSurrogates() {
    return Arbitraries.chars().range('\ud800', '\udfff');
  }

  @Provide
  Arbitrary<TxmaEvent> validTxmaEvents() {
    // Within the schema bounds that keep keys inside DynamoDB limits (session_id 256, event_name
    // 128).
    Arbitrary<String> sessionIds = UnicodeText.of(1, 256, false);
    Arbitrary<String> eventNames = UnicodeText.of(1, 100, false);
    Arbitrary<Long> timestamps =
        Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.longs().greaterOrEqual(0)),
            Tuple.of(1, Arbitraries.longs().between(1_700_000_000L, 1_800_000_000L)),
            Tuple.of(1, Arbitraries.of(0L, Long.MAX_VALUE)));
    Arbitrary<Map<String, Object>> extensions =
        Arbitraries.maps(
                UnicodeText.of(0, 20, true),
                jsonValues(Arbitraries.longs().map(Object.class::cast)))
            .ofMaxSize(5)
            .map(m -> (Map<String, Object>) new LinkedHashMap<>(m))
            .injectNull(0.3);
    Arbitrary<String> optionalText = UnicodeText.of(0, 40, true).injectNull(0.5);
    Arbitrary<Long> optionalMillis = Arbitraries.longs().greaterOrEqual(0).injectNull(0.5);
    return Combinators.combine(
            sessionIds,
            eventNames,
            timestamps,
            extensions,
            optionalText,
            optionalMillis,
            Arbitraries.of(Format.values()))
        .as(TxmaEvent::new);
  }

  @Provide
  Arbitrary<WrongType> wrongTypes() {
    Arbitrary<Object> numbers =
        Arbitraries.oneOf(
            Arbitraries.longs().map(Object.class::cast),
            Arbitraries.doubles().map(d -> (Object) BigDecimal.valueOf(d)));
    Arbitrary<Object> fractions =
        Arbitraries.longs()
            .between(-1_000_000, 1_000_000)
            .map(n -> (Object) new BigDecimal(BigInteger.valueOf(n * 10 + 5), 1));
    Arbitrary<Object> strings =
        Arbitraries.oneOf(
            UnicodeText.of(0, 20, true).map(Object.class::cast),
            Arbitraries.longs().greaterOrEqual(0).map(n -> (Object) Long.toString(n)));
    Arbitrary<Object> booleans =
        Arbitraries.of(Boolean.TRUE, Boolean.FALSE).map(Object.class::cast);
    Arbitrary<Object> nulls = Arbitraries.just(null);
    Arbitrary<Object> arrays =
        UnicodeText.of(1, 5, false).list().ofMaxSize(3).map(Object.class::cast);
    Arbitrary<Object> objects =
        Arbitraries.maps(UnicodeText.of(1, 5, false), UnicodeText.of(1, 5, false))
            .ofMaxSize(2)
            .map(Object.class::cast);
    Arbitrary<Object> notAString = Arbitraries.oneOf(numbers, nulls, booleans, arrays, objects);
    // A session id is a string or an integer (as the original keys it); a timestamp a
    // non-negative integer or a string (the original's tests send strings)
    Arbitrary<Object> notAKeyPart = Arbitraries.oneOf(fractions, booleans, arrays, objects);
    Arbitrary<Object> notAnObject = Arbitraries.oneOf(strings, numbers, booleans, arrays);
    return Arbitraries.oneOf(
        notAString.map(v -> new WrongType(List.of("event_name"), v)),
        notAKeyPart.map(v -> new WrongType(List.of("user", "session_id"), v)),
        Arbitraries.oneOf(notAKeyPart, nulls).map(v -> new WrongType(List.of("timestamp"), v)),
        notAnObject.map(v -> new WrongType(List.of("user"), v)));
  }

  // ---------------------------------------------------------------------------------------------
  // Model
  // ---------------------------------------------------------------------------------------------

  enum Format {
    COMPACT,
    PRETTY,
    ASCII_ESCAPED
  }

  /** A valid TxMA event, and the body it is sent as. */
  record TxmaEvent(
      String sessionId,
      String eventName,
      long timestamp,
      Map<String, Object> extensions,
      String componentId,
      Long eventTimestampMs,
      Format format) {

    Map<String, Object> tree() {
      Map<String, Object> user = new LinkedHashMap<>();
      user.put("user_id", "urn:fdc:gov.uk:2022:abc");
      user.put("session_id", sessionId);
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("event_name", eventName);
      if (componentId != null) {
        event.put("component_id", componentId);
      }
      event.put("timestamp", timestamp);
      if (eventTimestampMs != null) {
        event.put("event_timestamp_ms", eventTimestampMs);
      }
      event.put("user", user);
      if (extensions != null) {
        event.put("extensions", new LinkedHashMap<>(extensions));
      }
      return event;
    }

    String body() {
      return write(tree(), format);
    }
  }

  /** A required field (a path into the event) and a value of the wrong type (or REMOVE). */
  record WrongType(List<String> path, Object value) {
    @Override
    public String toString() {
      return String.join("/", path) + " = " + (value == null ? "null" : value);
    }
  }

  /** Valid events of each pipeline, with the paths a mutation may replace or remove. */
  enum Sample {
    TXMA(
        "txma",
        () ->
            tree(
                "event_name",
                "DCMAW_ASYNC_CRI_START",
                "component_id",
                "https://review-b.account.gov.uk",
                "timestamp",
                1763900000L,
                "event_timestamp_ms",
                1763900000123L,
                "user",
                tree("user_id", "urn:fdc:gov.uk:2022:abc", "session_id", "sess-7f3a"),
                "extensions",
                tree("redirect_uri", "https://example.gov.uk/callback")),
        "event_name",
        "timestamp",
        "user/session_id",
        "user",
        "extensions/new",
        "new"),
    LEDGER_TRANSACTION(
        "ledger",
        () ->
            tree(
                "tenant_id", "tenant-1",
                "event_id", "evt-1",
                "event_type", "transaction.authorizers",
                "created_at", "2025-11-23T12:00:00Z",
                "payload",
                    tree(
                        "transaction_id", "tx-1",
                        "authorizer", "risk",
                        "decision", "APPROVED",
                        "amount", new BigDecimal("12.50"))),
        "event_type",
        "tenant_id",
        "created_at",
        "payload",
        "payload/amount",
        "payload/new"),
    LEDGER_USER(
        "ledger",
        () ->
            tree(
                "tenant_id", "tenant-1",
                "event_id", "evt-2",
                "event_type", "user.created",
                "created_at", "2025-11-23T12:00:00.123+01:00",
                "payload", tree("id", "u-1", "email", "a@example.com", "name", "A")),
        "event_type",
        "event_id",
        "payload/email",
        "payload/name",
        "payload/new"),
    MESSAGES(
        "messages",
        () ->
            tree(
                "metadata",
                    tree(
                        "message_time", "2025-11-23T12:00:00Z",
                        "company_id", "company-1",
                        "message_id", "msg-1"),
                "data", tree("x", 1L)),
        "metadata/message_id",
        "metadata/company_id",
        "metadata/message_time",
        "data/x",
        "new");

    final String pipeline;
    final Supplier<Map<String, Object>> tree;
    final List<String> paths;

    Sample(String pipeline, Supplier<Map<String, Object>> tree, String... paths) {
      this.pipeline = pipeline;
      this.tree = tree;
      this.paths = List.of(paths);
    }
  }

  enum Envelope {
    RAW,
    SNS,
    EVENTBRIDGE;

    String wrap(Map<String, Object> event) {
      return switch (this) {
        case RAW -> write(event, Format.COMPACT);
        case SNS ->
            write(
                tree(
                    "Type", "Notification",
                    "MessageId", "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
                    "TopicArn", "arn:aws:sns:eu-west-2:123456789012:events",
                    "Message", write(event, Format.COMPACT)),
                Format.COMPACT);
        case EVENTBRIDGE ->
            write(
                tree(
                    "version", "0",
                    "id", "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
                    "detail-type", "event",
                    "source", "evtctl.test",
                    "detail", event),
                Format.COMPACT);
      };
    }
  }

  private static Map<String, Object> tree(Object... keysAndValues) {
    Map<String, Object> tree = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      tree.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return tree;
  }

  /** Sets (or, for REMOVE, removes) the value at a path, creating objects on the way. */
  @SuppressWarnings("unchecked")
  private static void setAt(Map<String, Object> tree, List<String> path, Object value) {
    Map<String, Object> at = tree;
    for (String step : path.subList(0, path.size() - 1)) {
      Object next = at.get(step);
      if (!(next instanceof Map)) {
        next = new LinkedHashMap<String, Object>();
        at.put(step, next);
      }
      at = (Map<String, Object>) next;
    }
    String last = path.get(path.size() - 1);
    if (value == REMOVE) {
      at.remove(last);
    } else {
      at.put(last, value);
    }
  }

  private static String write(Object tree, Format format) {
    ObjectWriter writer =
        switch (format) {
          case COMPACT -> WRITER.writer();
          case PRETTY -> WRITER.writerWithDefaultPrettyPrinter();
          case ASCII_ESCAPED -> WRITER.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);
        };
    try {
      return writer.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The longest S or N text in a value, at any depth. */
  private static int longestText(AttributeValue value) {
    if (value.s() != null) {
      return value.s().length();
    }
    if (value.n() != null) {
      return value.n().length();
    }
    int longest = 0;
    if (value.hasM()) {
      for (Map.Entry<String, AttributeValue> entry : value.m().entrySet()) {
        longest =
            Math.max(longest, Math.max(entry.getKey().length(), longestText(entry.getValue())));
      }
    }
    if (value.hasL()) {
      for (AttributeValue element : value.l()) {
        longest = Math.max(longest, longestText(element));
      }
    }
    return longest;
  }

  private static String abbreviate(String body) {
    if (body == null) {
      return "null";
    }
    String shown =
        body.length() > 300 ? body.substring(0, 300) + "... (" + body.length() + " chars)" : body;
    return shown.replace("\n", "\\n").replace("\r", "\\r");
  }
}
