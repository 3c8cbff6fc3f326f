package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evtctl.core.pipeline.Json;
import dev.evtctl.core.queue.MessageFilter;
import dev.evtctl.testing.CliRun;
import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.PipelineTables;
import dev.evtctl.testing.QueueContents;
import dev.evtctl.testing.QueueDepth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** export, import and replay through Evtctl.run, on the embedded backends. */
@ExtendWith(EmbeddedAws.class)
class ExportImportReplayTest {

  private String endpoint;
  private SqsClient sqs;
  private DynamoDbClient dynamoDb;

  @BeforeEach
  void setUp(EmbeddedAws.Backends backends) {
    endpoint = backends.edge();
    sqs = backends.sqs();
    dynamoDb = backends.dynamoDb();
  }

  private CliRun evtctl(String... args) {
    List<String> all = new ArrayList<>(List.of("--endpoint-url", endpoint));
    all.addAll(List.of(args));
    CliRun run = CliRun.of(all.toArray(String[]::new));
    return run;
  }

  private CliRun ok(String... args) {
    CliRun run = evtctl(args);
    assertThat(run.exitCode()).as(String.join(" ", args) + "\n" + run.err()).isZero();
    return run;
  }

  private static String name(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A stack of the pipeline with seeded events drained into its table; returns its name. */
  private String stackWithEvents(String pipeline, int count, String... seedOptions) {
    String stack = name(pipeline);
    ok("stack", "create", "-p", pipeline, "-n", stack);
    List<String> seed =
        new ArrayList<>(
            List.of(
                "seed", "-p", pipeline, "-q", stack, "--count", "" + count, "--random-seed", "5"));
    seed.addAll(List.of(seedOptions));
    ok(seed.toArray(String[]::new));
    evtctl("drain", "-p", pipeline, "-q", stack, "--idle-timeout", "2");
    assertThat(QueueDepth.of(sqs, stack)).isZero();
    return stack;
  }

  private List<Map<String, AttributeValue>> scan(String table, String... keys) {
    return PipelineTables.scan(dynamoDb, table, keys);
  }

  @Test
  void aTableExportedAndImportedGivesBackTheSameItems(@TempDir Path dir) throws Exception {
    // GIVEN a table with events and INVALID records (numbers, strings, booleans)
    String stack = stackWithEvents("txma", 30, "--sessions", "3", "--invalid-ratio", "0.2");
    List<Map<String, AttributeValue>> original = scan(stack + "-events", "pk", "sk");
    assertThat(original).hasSizeGreaterThan(20);
    Path file = dir.resolve("table.ndjson");

    // WHEN exported, and imported into an empty table of another stack
    ok("export", "--table", stack + "-events", "--file", file.toString());
    String copy = name("copy");
    ok("stack", "create", "-p", "txma", "-n", copy);
    CliRun imported =
        ok("import", "--file", file.toString(), "--table", copy + "-events", "-o", "json");

    // THEN the export is private to the user (it holds event bodies), and the copy holds exactly
    // the same items
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(Files.readAllLines(file)).hasSize(original.size());
    assertThat(Json.MAPPER.readTree(imported.out()).get(0).get("imported").asInt())
        .isEqualTo(original.size());
    assertThat(scan(copy + "-events", "pk", "sk")).isEqualTo(original);
  }

  @Test
  void exportOfOneSessionHasOnlyThatSessionsEvents(@TempDir Path dir) throws Exception {
    String stack = stackWithEvents("txma", 20, "--sessions", "2");
    String session = scan(stack + "-events", "pk", "sk").get(0).get("pk").s().substring(8);
    Path file = dir.resolve("session.ndjson");

    ok("export", "--table", stack + "-events", "--session", session, "--file", file.toString());

    List<String> lines = Files.readAllLines(file);
    long inTable =
        scan(stack + "-events", "pk").stream()
            .filter(item -> item.get("pk").s().equals("SESSION#" + session))
            .count();
    assertThat(lines).hasSize((int) inTable);
    for (String line : lines) {
      assertThat(Json.MAPPER.readTree(line).at("/Item/pk/S").asText())
          .isEqualTo("SESSION#" + session);
    }
  }

  @Test
  void exportOfOneCompanyHasOnlyThatCompanysMessages(@TempDir Path dir) throws Exception {
    String stack = stackWithEvents("messages", 12, "--sessions", "3");
    List<Map<String, AttributeValue>> items = scan(stack + "-events", "message_id");
    String company = items.get(0).get("company_id").s();
    Path file = dir.resolve("company.ndjson");

    ok(
        "export",
        "-p",
        "messages",
        "--table",
        stack + "-events",
        "--company",
        company,
        "--file",
        file.toString());

    List<String> exported = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      assertThat(Json.MAPPER.readTree(line).at("/Item/company_id/S").asText()).isEqualTo(company);
      exported.add(Json.MAPPER.readTree(line).at("/Item/message_id/S").asText());
    }
    assertThat(exported)
        .containsExactlyInAnyOrderElementsOf(
            items.stream()
                .filter(item -> item.get("company_id").s().equals(company))
                .map(item -> item.get("message_id").s())
                .toList());
    assertThat(exported).hasSizeLessThan(items.size());
  }

  /** Creates the queue; n messages with a Number attribute "n", FIFO ones in groups of n % 3. */
  private String queueWith(String queue, int count) {
    Map<String, String> attributes =
        queue.endsWith(".fifo") ? Map.of("FifoQueue", "true") : Map.of();
    String url =
        sqs.createQueue(r -> r.queueName(queue).attributesWithStrings(attributes)).queueUrl();
    for (int i = 0; i < count; i++) {
      int n = i;
      sqs.sendMessage(
          r -> {
            r.queueUrl(url)
                .messageBody("{\"n\":" + n + "}")
                .messageAttributes(
                    Map.of(
                        "n",
                        MessageAttributeValue.builder()
                            .dataType("Number")
                            .stringValue("" + n)
                            .build()));
            if (queue.endsWith(".fifo")) {
              r.messageGroupId("g" + n % 3).messageDeduplicationId("d" + n);
            }
          });
    }
    return url;
  }

  private List<Message> drainQueue(String queue) {
    return QueueContents.takeAll(sqs, queue);
  }

  private static int n(Message message) {
    return MessageFilter.body(message.body()).get("n").asInt();
  }

  @Test
  void aQueueExportedKeepsItsMessagesAndImportsWithTheirAttributes(@TempDir Path dir)
      throws Exception {
    // GIVEN a queue with 25 messages, each with a message attribute
    String source = name("export");
    String target = name("import");
    queueWith(source, 25);
    sqs.createQueue(r -> r.queueName(target));
    Path file = dir.resolve("queue.ndjson");

    // WHEN exported, then imported into another queue
    ok("export", "--queue", source, "--file", file.toString());
    assertThat(QueueDepth.of(sqs, source)).isEqualTo(25);
    ok("import", "--file", file.toString(), "--queue", target);

    // THEN the other queue has every message with its attributes; the source still has them
    List<Message> received = drainQueue(target);
    assertThat(received)
        .extracting(ExportImportReplayTest::n)
        .containsExactlyInAnyOrderElementsOf(
            java.util.stream.IntStream.range(0, 25).boxed().toList());
    for (Message message : received) {
      assertThat(message.messageAttributes().get("n").stringValue()).isEqualTo("" + n(message));
      assertThat(message.messageAttributes().get("n").dataType()).isEqualTo("Number");
    }
    assertThat(drainQueue(source)).hasSize(25);
  }

  @Test
  void aFifoQueueImportKeepsGroupsAndOrder(@TempDir Path dir) throws Exception {
    // GIVEN a FIFO queue with 9 messages in 3 groups
    String source = name("export") + ".fifo";
    String target = name("import") + ".fifo";
    queueWith(source, 9);
    queueWith(target, 0);
    Path file = dir.resolve("queue.ndjson");

    // WHEN exported and imported into another FIFO queue
    ok("export", "--queue", source, "--file", file.toString());
    ok("import", "--file", file.toString(), "--queue", target);

    // THEN each message is in its group, in order
    List<Message> received = drainQueue(target);
    assertThat(received).hasSize(9);
    for (String group : List.of("g0", "g1", "g2")) {
      List<Integer> order =
          received.stream()
              .filter(
                  m ->
                      m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID).equals(group))
              .map(ExportImportReplayTest::n)
              .toList();
      assertThat(order).hasSize(3).isSorted().allMatch(n -> ("g" + n % 3).equals(group));
    }
  }

  @Test
  void aFifoExportThatCannotReadEveryGroupSaysSoAndExitsThree(@TempDir Path dir) {
    // GIVEN a FIFO queue with 24 messages in 3 groups: SQS hides a group's rest while in flight
    String source = name("export") + ".fifo";
    queueWith(source, 24);

    CliRun export = evtctl("export", "--queue", source, "--file", dir.resolve("f").toString());

    assertThat(export.exitCode()).isEqualTo(ExitCode.NOT_MET);
    assertThat(export.err()).contains("held about 24 message(s) when the export began");
    assertThat(QueueDepth.of(sqs, source)).isEqualTo(24);
  }

  @Test
  void anImportFileWithBadLinesImportsNothingUnlessAskedToSkipThem(@TempDir Path dir)
      throws Exception {
    String table = name("bad");
    ok("stack", "create", "-p", "messages", "-n", table);
    Path file = dir.resolve("items.ndjson");
    Files.write(
        file,
        List.of(
            "{\"Item\":{\"message_id\":{\"S\":\"a\"}}}",
            "{\"Item\":{\"message_id\":{\"S\":\"b\"}",
            "",
            "{\"Item\":{\"message_id\":{\"N\":\"x\"}}}",
            "{\"Item\":{\"message_id\":{\"S\":\"c\"}}}"));

    CliRun none = evtctl("import", "--file", file.toString(), "--table", table + "-events");

    assertThat(none.exitCode()).isEqualTo(ExitCode.NOT_MET);
    assertThat(none.err())
        .contains(file + ":2: not JSON")
        .contains(file + ":4: message_id: not a number")
        .contains("evtctl: 2 bad line(s) in " + file + "; nothing imported");
    assertThat(scan(table + "-events", "message_id")).isEmpty();

    CliRun some =
        evtctl(
            "import", "--file", file.toString(), "--table", table + "-events", "--skip-bad-lines");

    assertThat(some.exitCode()).isEqualTo(ExitCode.NOT_MET);
    assertThat(scan(table + "-events", "message_id"))
        .extracting(item -> item.get("message_id").s())
        .containsExactly("a", "c");
  }

  @Test
  void replayedTxmaEventsLandInAnotherStackAsTheyWereReceived() {
    // GIVEN a session's events stored by one stack
    String stack = stackWithEvents("txma", 16, "--sessions", "2");
    List<Map<String, AttributeValue>> stored = scan(stack + "-events", "pk", "sk");
    String pk = stored.get(0).get("pk").s();
    List<String> bodies =
        stored.stream()
            .filter(i -> i.get("pk").s().equals(pk))
            .map(i -> i.get("event").s())
            .toList();

    // WHEN replayed onto another stack's queue and drained there
    String other = name("replay");
    ok("stack", "create", "-p", "txma", "-n", other);
    ok("replay", "--session", pk.substring(8), "-t", stack + "-events", "--to-queue", other);
    evtctl("drain", "-q", other, "--idle-timeout", "2");

    // THEN the other table has that session's events, byte for byte
    assertThat(scan(other + "-events", "pk", "sk"))
        .extracting(item -> item.get("event").s())
        .containsExactlyInAnyOrderElementsOf(bodies);
  }

  @Test
  void replayedLedgerEventsAreStoredAgainTheSame() {
    // GIVEN a tenant's events stored by a ledger stack
    String stack = stackWithEvents("ledger", 12, "--tenants", "2");
    List<Map<String, AttributeValue>> stored = scan(stack + "-events", "tenant_id", "sk");
    String tenant = stored.get(0).get("tenant_id").s();

    // WHEN replayed into another ledger stack
    String other = name("replay");
    ok("stack", "create", "-p", "ledger", "-n", other);
    ok("replay", "-p", "ledger", "--tenant", tenant, "-t", stack + "-events", "--to-queue", other);
    evtctl("drain", "-p", "ledger", "-q", other, "--idle-timeout", "2");

    // THEN the same events are stored, part for part (only the TTL, from the time, differs)
    List<Map<String, AttributeValue>> expected =
        stored.stream()
            .filter(i -> i.get("tenant_id").s().equals(tenant))
            .map(ExportImportReplayTest::withoutTtl)
            .toList();
    assertThat(scan(other + "-events", "tenant_id", "sk"))
        .extracting(ExportImportReplayTest::withoutTtl)
        .isEqualTo(expected);
  }

  private static Map<String, AttributeValue> withoutTtl(Map<String, AttributeValue> item) {
    Map<String, AttributeValue> copy = new java.util.HashMap<>(item);
    copy.remove("ttl");
    return copy;
  }

  @Test
  void exportOfAMissingQueueOrTableIsOneLineAndExitFour(@TempDir Path dir) {
    CliRun queue =
        evtctl("export", "--queue", "no-such-queue", "--file", dir.resolve("q").toString());
    assertThat(queue.exitCode()).isEqualTo(ExitCode.BACKEND);
    assertThat(queue.err()).startsWith("evtctl: queue no-such-queue does not exist");

    CliRun table =
        evtctl("import", "--file", dir.resolve("none.ndjson").toString(), "--table", "t");
    assertThat(table.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(table.err()).isEqualTo("evtctl: no such file: " + dir.resolve("none.ndjson") + "\n");
  }
}
