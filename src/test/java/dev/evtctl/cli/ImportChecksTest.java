package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evtctl.core.pipeline.Json;
import dev.evtctl.testing.CliRun;
import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.PipelineTables;
import dev.evtctl.testing.QueueContents;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * import keeps its promise, "every line is checked before anything is written", for what DynamoDB
 * and SQS refuse: each such line is reported as FILE:LINE: reason, without its text, and nothing is
 * written; with --skip-bad-lines every good line is, and the counts are what was stored. On the
 * embedded backends, which refuse what the real services refuse.
 */
@ExtendWith(EmbeddedAws.class)
class ImportChecksTest {

  /** In lines below that must be bad: it must never show in what import prints. */
  private static final String PERSONAL = "alice@example.com";

  private String endpoint;
  private SqsClient sqs;
  private DynamoDbClient dynamoDb;

  @TempDir Path dir;

  @BeforeEach
  void setUp(EmbeddedAws.Backends backends) {
    endpoint = backends.edge();
    sqs = backends.sqs();
    dynamoDb = backends.dynamoDb();
  }

  private CliRun evtctl(String... args) {
    List<String> all = new ArrayList<>(List.of("--endpoint-url", endpoint, "-o", "json"));
    all.addAll(List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  private static String name(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A table keyed as txma's events table: pk and sk, both strings. */
  private String txmaLikeTable() {
    String table = name("import");
    dynamoDb.createTable(
        r ->
            r.tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(key("pk", KeyType.HASH), key("sk", KeyType.RANGE))
                .attributeDefinitions(
                    definition("pk", ScalarAttributeType.S),
                    definition("sk", ScalarAttributeType.S)));
    return table;
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }

  private static AttributeDefinition definition(String name, ScalarAttributeType type) {
    return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
  }

  private static String item(int n) {
    return item("\"pk\":{\"S\":\"SESSION#s\"},\"sk\":{\"S\":\"e" + n + "\"}");
  }

  private static String item(String attributes) {
    return "{\"Item\":{" + attributes + "}}";
  }

  private Path file(List<String> lines) throws Exception {
    Path file = dir.resolve(UUID.randomUUID() + ".ndjson");
    Files.write(file, lines);
    return file;
  }

  /** 100 good item lines, e1 to e100, with these lines (by number, from 1) replaced. */
  private static List<String> items(String... replacements) {
    List<String> lines =
        new ArrayList<>(IntStream.rangeClosed(1, 100).mapToObj(n -> item(n)).toList());
    for (int i = 0; i < replacements.length; i += 2) {
      lines.set(Integer.parseInt(replacements[i]) - 1, replacements[i + 1]);
    }
    return lines;
  }

  private int stored(String table) {
    return PipelineTables.scan(dynamoDb, table).size();
  }

  private static long imported(CliRun run) throws Exception {
    return Json.MAPPER.readTree(run.out()).get(0).get("imported").asLong();
  }

  private static List<String> reported(CliRun run, Path file) {
    return run.err().lines().filter(line -> line.startsWith(file + ":")).toList();
  }

  @Test
  void aLineWithoutTheTablesKeyIsReportedBeforeAnythingIsWritten() throws Exception {
    // GIVEN 100 item lines of which line 76 has no sk, 80 a number pk, 90 an empty sk
    String table = txmaLikeTable();
    Path file =
        file(
            items(
                "76", item("\"pk\":{\"S\":\"" + PERSONAL + "\"}"),
                "80", item("\"pk\":{\"N\":\"7\"},\"sk\":{\"S\":\"e80\"}"),
                "90", item("\"pk\":{\"S\":\"SESSION#s\"},\"sk\":{\"S\":\"\"}")));

    // WHEN imported
    CliRun run = evtctl("import", "--file", file.toString(), "--table", table);

    // THEN each is reported with its line and nothing is written (exit 3, not 1 after 75 items)
    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.NOT_MET);
    assertThat(reported(run, file))
        .containsExactly(
            file + ":76: missing key attribute sk",
            file + ":80: key attribute pk is of type N; the table's key is of type S",
            file + ":90: key attribute sk is empty; DynamoDB refuses empty key values");
    assertThat(run.err()).contains("3 bad line(s) in " + file + "; nothing imported");
    assertThat(run.err()).doesNotContain(PERSONAL);
    assertThat(stored(table)).isZero();
  }

  @Test
  void valuesDynamoDbRefusesAreBadLinesAndSkippingThemImportsEveryGoodLine() throws Exception {
    // GIVEN lines DynamoDB would refuse, among good ones, one of them exactly 400 KB
    String table = txmaLikeTable();
    String key = "\"pk\":{\"S\":\"SESSION#s\"},\"sk\":{\"S\":\"e%d\"}";
    // pk (2 + 9 bytes), sk (2 + 2 or 3), v (1 + the text): exactly DynamoDB's 409,600 at line 3
    String fits = String.format(key, 3) + ",\"v\":{\"S\":\"" + "x".repeat(409_600 - 16) + "\"}";
    String tooBig = String.format(key, 4) + ",\"v\":{\"S\":\"" + "x".repeat(409_600) + "\"}";
    String nested = "{\"S\":\"" + PERSONAL + "\"}";
    for (int level = 0; level < 32; level++) {
      nested = "{\"M\":{\"a\":" + nested + "}}";
    }
    Path file =
        file(
            items(
                "3", item(fits),
                "4", item(tooBig),
                "5", item(String.format(key, 5) + ",\"n\":{\"N\":\"1" + "2".repeat(38) + "\"}"),
                "6", item(String.format(key, 6) + ",\"n\":{\"M\":{\"m\":{\"N\":\"1E126\"}}}"),
                "7", item(String.format(key, 7) + ",\"n\":{\"L\":[{\"N\":\"-1e-131\"}]}"),
                "8", item(String.format(key, 8) + ",\"n\":{\"N\":\"" + PERSONAL + "\"}"),
                "9", item(String.format(key, 9) + ",\"s\":{\"SS\":[]}"),
                "10", item(String.format(key, 10) + ",\"s\":{\"NS\":[\"1\",\"1.0\"]}"),
                "11", item(String.format(key, 11) + ",\"v\":" + nested),
                "12", item(String.format(key, 12) + ",\"v\":{\"S\":\"\\ud800\"}"),
                "13", "{\"Item\": " + PERSONAL + "}",
                "14", item(String.format(key, 14) + ",\"n\":{\"N\":\"1E-130\"}")));

    CliRun none = evtctl("import", "--file", file.toString(), "--table", table);

    assertThat(none.exitCode()).as(none.err()).isEqualTo(ExitCode.NOT_MET);
    List<String> expected =
        List.of(
            file + ":4: item is 409,616 bytes; DynamoDB's limit is 400 KB",
            file + ":5: n: the number has 39 significant digits; DynamoDB keeps at most 38",
            file
                + ":6: n.m: the number is beyond DynamoDB's range (at most"
                + " 9.9999999999999999999999999999999999999E+125)",
            file
                + ":7: n[0]: the number is too small for DynamoDB (other than zero, at least 1E-130)",
            file + ":8: n: not a number",
            file + ":9: s: an empty set, which DynamoDB refuses",
            file + ":10: s: a set holding one element twice, which DynamoDB refuses",
            file + ":11: v" + ".a".repeat(32) + ": nested deeper than DynamoDB's 32 levels",
            file
                + ":12: v: holds an unpaired surrogate escape, which is not Unicode text (DynamoDB"
                + " would store '?')",
            file + ":13: not JSON: an unrecognized token at line 1, column 15");
    assertThat(reported(none, file)).containsExactlyElementsOf(expected);
    assertThat(none.err()).doesNotContain(PERSONAL);
    assertThat(stored(table)).isZero();

    // WHEN skipped: every good line is stored, the 400 KB one too, and every bad one reported
    CliRun some = evtctl("import", "--file", file.toString(), "--table", table, "--skip-bad-lines");

    assertThat(some.exitCode()).as(some.err()).isEqualTo(ExitCode.NOT_MET);
    assertThat(reported(some, file)).containsExactlyElementsOf(expected);
    assertThat(imported(some)).isEqualTo(90);
    assertThat(stored(table)).isEqualTo(90);
  }

  @Test
  void twoLinesWithOneKeyAreABadLineAndTheCountIsWhatIsStored() throws Exception {
    // GIVEN 100 lines of which line 100 has line 3's key
    String table = txmaLikeTable();
    Path file = file(items("100", item(3)));

    CliRun none = evtctl("import", "--file", file.toString(), "--table", table);

    assertThat(none.exitCode()).isEqualTo(ExitCode.NOT_MET);
    assertThat(reported(none, file)).containsExactly(file + ":100: same key as line 3");
    assertThat(stored(table)).isZero();

    CliRun some = evtctl("import", "--file", file.toString(), "--table", table, "--skip-bad-lines");

    assertThat(some.exitCode()).isEqualTo(ExitCode.NOT_MET);
    assertThat(imported(some)).isEqualTo(99);
    assertThat(stored(table)).isEqualTo(99);
  }

  @Test
  void numberKeysAreTheSameKeyWhenTheyAreTheSameNumber() throws Exception {
    // GIVEN a table keyed by a number, and 1 and 1.0 for it on two lines
    String table = name("import-n");
    dynamoDb.createTable(
        r ->
            r.tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(key("n", KeyType.HASH))
                .attributeDefinitions(definition("n", ScalarAttributeType.N)));
    Path file =
        file(
            List.of(
                item("\"n\":{\"N\":\"1\"}"),
                item("\"n\":{\"N\":\"2\"}"),
                item("\"n\":{\"N\":\"1.0\"}")));

    CliRun run = evtctl("import", "--file", file.toString(), "--table", table);

    assertThat(reported(run, file)).containsExactly(file + ":3: same key as line 1");
    assertThat(stored(table)).isZero();
  }

  @Test
  void aByteThatIsNotUtf8IsOneBadLineAndAByteOrderMarkIsSkipped() throws Exception {
    // GIVEN a file that starts with a UTF-8 BOM, has CRLF line ends, and one byte 0xFF on line 2
    String table = txmaLikeTable();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    bytes.write((item(1) + "\r\n").getBytes(StandardCharsets.UTF_8));
    String line2 = item("\"pk\":{\"S\":\"SESSION#s\"},\"sk\":{\"S\":\"e2-X\"}");
    byte[] bad = line2.getBytes(StandardCharsets.UTF_8);
    bad[line2.indexOf('X')] = (byte) 0xFF;
    bytes.write(bad);
    bytes.write("\r\n".getBytes(StandardCharsets.UTF_8));
    bytes.write((item(3) + "\r\n").getBytes(StandardCharsets.UTF_8));
    Path file = dir.resolve("bom.ndjson");
    Files.write(file, bytes.toByteArray());

    // WHEN imported: only line 2 is bad, as "not UTF-8" (it was "Input length = 1", exit 1)
    CliRun none = evtctl("import", "--file", file.toString(), "--table", table);

    assertThat(none.exitCode()).as(none.err()).isEqualTo(ExitCode.NOT_MET);
    assertThat(reported(none, file)).containsExactly(file + ":2: not UTF-8");
    assertThat(stored(table)).isZero();

    // THEN skipping it imports lines 1 and 3
    CliRun some = evtctl("import", "--file", file.toString(), "--table", table, "--skip-bad-lines");

    assertThat(imported(some)).isEqualTo(2);
    assertThat(PipelineTables.scan(dynamoDb, table, "sk"))
        .extracting(i -> i.get("sk").s())
        .containsExactly("e1", "e3");
  }

  private static String message(String body) {
    return "{\"MessageId\":\"m\",\"Body\":"
        + Json.MAPPER.getNodeFactory().textNode(body)
        + ",\"Attributes\":{},\"MessageAttributes\":{}}";
  }

  @Test
  void messagesSqsRefusesAreBadLinesAndSkippingThemSendsEveryGoodLine() throws Exception {
    // GIVEN 70 queue lines of which 61 has a body over 1 MiB, 62 an empty one, 63 a control
    // character, 64 an unpaired surrogate, 65 a message attribute over the limit with its body
    String queue = name("import");
    sqs.createQueue(r -> r.queueName(queue));
    List<String> lines =
        new ArrayList<>(
            IntStream.rangeClosed(1, 70).mapToObj(n -> message("{\"n\":" + n + "}")).toList());
    lines.set(60, message(PERSONAL + "x".repeat(1_048_576)));
    lines.set(61, message(""));
    lines.set(62, message(PERSONAL + "\u0001"));
    lines.set(63, "{\"Body\":\"" + PERSONAL + "\\udc00\"}");
    lines.set(
        64,
        "{\"Body\":\"{}\",\"MessageAttributes\":{\"a\":{\"DataType\":\"String\",\"StringValue\":\""
            + "y".repeat(1_048_576 - 2 - 1 - 6 + 1)
            + "\"}}}");
    Path file = file(lines);

    CliRun none = evtctl("import", "--file", file.toString(), "--queue", queue);

    // THEN each is reported, none sent (it sent 60, then exit 4)
    assertThat(none.exitCode()).as(none.err()).isEqualTo(ExitCode.NOT_MET);
    List<String> expected =
        List.of(
            file
                + ":61: message is 1,048,593 bytes (body and message attributes); SQS's limit is"
                + " 1 MiB (1,048,576 bytes)",
            file + ":62: body is empty; SQS refuses empty messages",
            file + ":63: body holds U+0001 at character 17, a character SQS refuses",
            file + ":64: body holds U+DC00 at character 17, a character SQS refuses",
            file
                + ":65: message is 1,048,577 bytes (body and message attributes); SQS's limit is"
                + " 1 MiB (1,048,576 bytes)");
    assertThat(reported(none, file)).containsExactlyElementsOf(expected);
    assertThat(none.err()).doesNotContain(PERSONAL);
    assertThat(QueueContents.takeAll(sqs, queue)).isEmpty();

    CliRun some = evtctl("import", "--file", file.toString(), "--queue", queue, "--skip-bad-lines");

    assertThat(some.exitCode()).as(some.err()).isEqualTo(ExitCode.NOT_MET);
    assertThat(reported(some, file)).containsExactlyElementsOf(expected);
    assertThat(imported(some)).isEqualTo(65);
    assertThat(QueueContents.takeAll(sqs, queue)).hasSize(65);
  }

  @Test
  void messagesThatTogetherExceedOneMibAreSentInSeveralCalls() throws Exception {
    // GIVEN 10 messages of 600,000 bytes: each within SQS's limit, any two over a batch's
    String queue = name("import");
    sqs.createQueue(r -> r.queueName(queue));
    Path file =
        file(IntStream.range(0, 10).mapToObj(n -> message(n + "x".repeat(599_999))).toList());

    CliRun run = evtctl("import", "--file", file.toString(), "--queue", queue);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(imported(run)).isEqualTo(10);
    assertThat(QueueContents.takeAll(sqs, queue))
        .extracting(Message::body)
        .extracting(body -> body.charAt(0))
        .containsExactlyInAnyOrder('0', '1', '2', '3', '4', '5', '6', '7', '8', '9');
  }
}
