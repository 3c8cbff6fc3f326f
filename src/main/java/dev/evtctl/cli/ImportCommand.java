package dev.evtctl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.evtctl.core.pipeline.Json;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.queue.BatchSender;
import dev.evtctl.core.queue.MessageLimits;
import dev.evtctl.core.queue.QueueRecord;
import dev.evtctl.core.queue.SendLog;
import dev.evtctl.core.queue.SqsBatches;
import dev.evtctl.core.stack.StackNames;
import dev.evtctl.core.table.DynamoJson;
import dev.evtctl.core.table.ItemSize;
import dev.evtctl.core.table.NdjsonLines;
import dev.evtctl.core.table.TableKey;
import dev.evtctl.core.table.TableWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** NDJSON (as export writes it) into a table or a queue. */
@Command(
    name = "import",
    footerHeading = "%nExamples:%n",
    footer = {
      "  Exported items into another table:",
      "    evtctl --local import --file audit.ndjson --table copy-events",
      "",
      "  Exported messages onto a queue:",
      "    evtctl --local import --file dlq.ndjson --queue audit"
    },
    mixinStandardHelpOptions = true,
    description = {
      "Put the lines of an NDJSON file into a table ({\"Item\": {...}} in DynamoDB JSON, with BatchWriteItem of 25, unprocessed items retried with exponential backoff and jitter) or onto a queue (messages as export --queue writes them, with SendMessageBatch of 10 and at most 1 MiB a call; FIFO queues get each message's group and a fresh deduplication id).",
      "Every line is checked before anything is written: UTF-8 and JSON; for a table, its key attributes (present, of the key's type, not empty), DynamoDB's limits (400 KB an item, numbers of 38 digits within its range, no empty sets) and no key twice in the file; for a queue, SQS's (a body not empty, only characters SQS takes, 1 MiB a message). Each bad line is reported as FILE:LINE: reason and nothing is imported (exit 3), unless --skip-bad-lines imports the good lines and reports every bad one (exit 3 as well). The counts are what was stored."
    })
final class ImportCommand implements Callable<Integer> {

  /** FIFO messages without a group go to a FIFO queue in this one. */
  static final String DEFAULT_GROUP = "evtctl-import";

  @Spec CommandSpec spec;

  static final class Target {
    @Option(
        names = {"-t", "--table"},
        paramLabel = "T",
        description = "Table to put the items into.")
    String table;

    @Option(
        names = {"-q", "--queue"},
        paramLabel = "Q",
        description = "Queue (name or URL) to send the messages to.")
    String queue;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  @Option(
      names = "--file",
      required = true,
      paramLabel = "F.ndjson",
      description = "The file to import, or - for standard input.")
  Path file;

  @Mixin PipelineOptions pipelineOptions;

  @Mixin LogDestinationOptions logDestination;

  @Option(
      names = "--skip-bad-lines",
      description = "Import the good lines even when some are bad (default: import none).")
  boolean skipBadLines;

  /** What is read: the file, or a copy of standard input for {@code -}. */
  private Path readFrom;

  @Override
  public Integer call() throws IOException {
    readFrom = InputFiles.readable(file);
    if (Files.notExists(readFrom)) {
      throw new CommandFailedException(ExitCode.USAGE, "no such file: " + file);
    }
    var aws = Evtctl.awsOptions(spec).throughputClients();
    if (target.table != null) {
      return importItems(aws.dynamoDb());
    }
    try (LogDestinationOptions.Destination log = logDestination.open(spec, aws, "import")) {
      return importMessages(aws.sqs());
    }
  }

  private int importItems(DynamoDbClient dynamoDb) throws IOException {
    TableKey key = TableKey.of(dynamoDb, target.table);
    Map<List<String>, Integer> lineOfKey = new HashMap<>();
    BitSet bad =
        check(
            (number, text) -> {
              Map<String, AttributeValue> item = item(text);
              String problem = key.problem(item);
              if (problem != null) {
                return problem;
              }
              long bytes = ItemSize.of(item);
              if (bytes > ItemSize.MAX_BYTES) {
                return String.format(
                    Locale.ROOT, "item is %,d bytes; DynamoDB's limit is 400 KB", bytes);
              }
              // A second put on a key replaces the first: the file would count one item too many.
              Integer first = lineOfKey.putIfAbsent(key.identity(item), number);
              return first == null ? null : "same key as line " + first;
            });
    TableWriter writer = new TableWriter(dynamoDb, target.table, key);
    forEachGoodLine(bad, text -> writer.put(item(text)));
    writer.flush();
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("imported", writer.written());
    row.put("bad_lines", bad.cardinality());
    row.put("unprocessed", writer.unprocessed().size());
    report(row, target.table);
    return bad.isEmpty() && writer.unprocessed().isEmpty() ? ExitCode.OK : ExitCode.NOT_MET;
  }

  private int importMessages(SqsClient sqs) throws IOException {
    String queueUrl = QueueLookup.url(sqs, target.queue);
    boolean fifo = StackNames.queueName(queueUrl).endsWith(".fifo");
    BitSet bad = check((number, text) -> MessageLimits.problem(entry(text, fifo).id("0").build()));
    PrintWriter err = spec.commandLine().getErr();
    BatchSender sender = new BatchSender(sqs);
    Pipeline pipeline = pipelineOptions.pipeline();
    List<SendMessageBatchRequestEntry> chunk = new ArrayList<>();
    long[] counts = new long[2];
    Runnable send =
        () -> {
          BatchSender.Result result = sender.send(queueUrl, chunk);
          SendLog.sent(
              pipeline,
              "import",
              queueUrl,
              chunk.stream().map(SendMessageBatchRequestEntry::messageBody).toList(),
              result);
          counts[0] += result.sent().size();
          counts[1] += result.failed().size();
          result.failed().values().forEach(reason -> err.println("not sent: " + reason));
          chunk.clear();
        };
    forEachGoodLine(
        bad,
        text -> {
          chunk.add(entry(text, fifo).id(Integer.toString(chunk.size())).build());
          if (chunk.size() == SqsBatches.MAX_ENTRIES) {
            send.run();
          }
        });
    if (!chunk.isEmpty()) {
      send.run();
    }
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("imported", counts[0]);
    row.put("bad_lines", bad.cardinality());
    row.put("not_sent", counts[1]);
    report(row, StackNames.queueName(queueUrl));
    return bad.isEmpty() && counts[1] == 0 ? ExitCode.OK : ExitCode.NOT_MET;
  }

  private static Map<String, AttributeValue> item(String text) throws JsonProcessingException {
    JsonNode json = Json.readTree(text);
    if (json == null || !json.path("Item").isObject()) {
      throw new IllegalArgumentException(
          "an item line is {\"Item\": {...}} in DynamoDB JSON (as export --table writes it)");
    }
    return DynamoJson.toItem(json.get("Item"));
  }

  private static SendMessageBatchRequestEntry.Builder entry(String text, boolean fifo)
      throws JsonProcessingException {
    return QueueRecord.toEntry(Json.readTree(text), fifo, DEFAULT_GROUP);
  }

  /** What is wrong with a line, or null; may throw for a line that is not JSON or not the shape. */
  private interface LineCheck {
    String problem(int number, String text) throws JsonProcessingException;
  }

  private interface GoodLineHandler {
    void accept(String text) throws JsonProcessingException;
  }

  /**
   * Checks every line, reporting each bad one as {@code file:line: reason} (the reason says what
   * and where, never the line's text: it may hold personal data). Returns the numbers of the bad
   * lines; with any and no --skip-bad-lines, fails before anything is written.
   */
  private BitSet check(LineCheck check) throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    BitSet bad = new BitSet();
    forEachLine(
        line -> {
          String problem = line.problem();
          if (problem == null) {
            try {
              problem = check.problem(line.number(), line.text());
            } catch (JsonProcessingException e) {
              problem = "not JSON: " + Json.problem(e);
            } catch (IllegalArgumentException e) {
              problem = e.getMessage();
            }
          }
          if (problem != null) {
            bad.set(line.number());
            err.printf("%s:%d: %s%n", file, line.number(), problem);
          }
        });
    if (!bad.isEmpty() && !skipBadLines) {
      throw new CommandFailedException(
          ExitCode.NOT_MET,
          bad.cardinality()
              + " bad line(s) in "
              + file
              + "; nothing imported (--skip-bad-lines imports the good ones)");
    }
    return bad;
  }

  private void forEachGoodLine(BitSet bad, GoodLineHandler handler) throws IOException {
    forEachLine(
        line -> {
          if (line.problem() == null && !bad.get(line.number())) {
            handler.accept(line.text());
          }
        });
  }

  private void forEachLine(NdjsonLines.Handler handler) throws IOException {
    try {
      NdjsonLines.forEach(readFrom, handler);
    } catch (NoSuchFileException e) {
      throw new CommandFailedException(ExitCode.USAGE, "no such file: " + file);
    }
  }

  private void report(Map<String, Object> row, String where) {
    Evtctl.output(spec).summary(row);
    spec.commandLine().getErr().printf("imported %s line(s) into %s%n", row.get("imported"), where);
  }
}
