package dev.evtctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evtctl.core.BatchSender;
import dev.evtctl.core.DynamoJson;
import dev.evtctl.core.Json;
import dev.evtctl.core.QueueRecord;
import dev.evtctl.core.StackNames;
import dev.evtctl.core.TableWriter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** NDJSON (as export writes it) into a table or a queue. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Put the lines of an NDJSON file into a table ({\"Item\": {...}} in DynamoDB JSON, with BatchWriteItem of 25, unprocessed items retried with exponential backoff and jitter) or onto a queue (messages as export --queue writes them, with SendMessageBatch of 10; FIFO queues get each message's group and a fresh deduplication id). Every line is checked before anything is written: a bad line is reported with its number and nothing is imported (exit 3), unless --skip-bad-lines imports the good lines and reports the bad ones (exit 3 as well)."
    })
final class ImportCommand implements Callable<Integer> {

  /** FIFO messages without a group go to a FIFO queue in this one. */
  static final String DEFAULT_GROUP = "evtctl-import";

  /** Bad lines printed before the rest are only counted. */
  private static final int SHOWN_BAD_LINES = 20;

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
      description = "The file to import.")
  Path file;

  @Option(
      names = "--skip-bad-lines",
      description = "Import the good lines even when some are bad (default: import none).")
  boolean skipBadLines;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    Map<Integer, String> bad = check();
    int shown = 0;
    for (Map.Entry<Integer, String> line : bad.entrySet()) {
      if (shown++ < SHOWN_BAD_LINES) {
        err.printf("%s:%d: %s%n", file, line.getKey(), line.getValue());
      }
    }
    if (!bad.isEmpty() && !skipBadLines) {
      throw new CommandFailedException(
          ExitCode.NOT_MET,
          bad.size()
              + " bad line(s) in "
              + file
              + "; nothing imported (--skip-bad-lines imports the good ones)");
    }
    var aws = Evtctl.awsOptions(spec).throughputClients();
    Map<String, Object> row = new LinkedHashMap<>();
    if (target.table != null) {
      TableWriter writer = new TableWriter(aws.dynamoDb(), target.table);
      forEachGoodLine(bad, json -> writer.put(DynamoJson.toItem(json.get("Item"))));
      writer.flush();
      row.put("imported", writer.written());
      row.put("bad_lines", bad.size());
      row.put("unprocessed", writer.unprocessed().size());
      report(row, target.table);
      return bad.isEmpty() && writer.unprocessed().isEmpty() ? ExitCode.OK : ExitCode.NOT_MET;
    }
    SqsClient sqs = aws.sqs();
    String queueUrl = QueueLookup.url(sqs, target.queue);
    boolean fifo = StackNames.queueName(queueUrl).endsWith(".fifo");
    BatchSender sender = new BatchSender(sqs);
    List<SendMessageBatchRequestEntry> chunk = new ArrayList<>();
    long[] counts = new long[2];
    Runnable send =
        () -> {
          BatchSender.Result result = sender.send(queueUrl, chunk);
          counts[0] += result.sent().size();
          counts[1] += result.failed().size();
          result.failed().values().forEach(reason -> err.println("not sent: " + reason));
          chunk.clear();
        };
    forEachGoodLine(
        bad,
        json -> {
          chunk.add(
              QueueRecord.toEntry(json, fifo, DEFAULT_GROUP)
                  .id(Integer.toString(chunk.size()))
                  .build());
          if (chunk.size() == BatchSender.MAX_BATCH) {
            send.run();
          }
        });
    if (!chunk.isEmpty()) {
      send.run();
    }
    row.put("imported", counts[0]);
    row.put("bad_lines", bad.size());
    row.put("not_sent", counts[1]);
    report(row, StackNames.queueName(queueUrl));
    return bad.isEmpty() && counts[1] == 0 ? ExitCode.OK : ExitCode.NOT_MET;
  }

  /** Line number to what is wrong with it, for every bad line. */
  private Map<Integer, String> check() throws IOException {
    Map<Integer, String> bad = new TreeMap<>();
    forEachLine(
        (number, text) -> {
          try {
            JsonNode json = Json.readTree(text);
            if (target.table != null) {
              if (json == null || !json.path("Item").isObject()) {
                throw new IllegalArgumentException(
                    "an item line is {\"Item\": {...}} in DynamoDB JSON (as export --table"
                        + " writes it)");
              }
              DynamoJson.toItem(json.get("Item"));
            } else {
              QueueRecord.toEntry(json, true, DEFAULT_GROUP);
            }
          } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            bad.put(number, "not JSON: " + e.getOriginalMessage());
          } catch (IllegalArgumentException e) {
            bad.put(number, e.getMessage());
          }
        });
    return bad;
  }

  private interface LineHandler {
    void accept(int number, String text) throws IOException;
  }

  private interface JsonHandler {
    void accept(JsonNode json);
  }

  private void forEachGoodLine(Map<Integer, String> bad, JsonHandler handler) throws IOException {
    forEachLine(
        (number, text) -> {
          if (!bad.containsKey(number)) {
            handler.accept(Json.readTree(text));
          }
        });
  }

  private void forEachLine(LineHandler handler) throws IOException {
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int number = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        number++;
        if (!line.isBlank()) {
          handler.accept(number, line);
        }
      }
    } catch (NoSuchFileException e) {
      throw new CommandFailedException(ExitCode.USAGE, "no such file: " + file);
    }
  }

  private void report(Map<String, Object> row, String where) {
    Evtctl.output(spec).rows(List.copyOf(row.keySet()), List.of(row));
    spec.commandLine().getErr().printf("imported %s line(s) into %s%n", row.get("imported"), where);
  }
}
