package dev.evtctl.cli;

import dev.evtctl.core.pipeline.Json;
import dev.evtctl.core.queue.DeadLetterQueues;
import dev.evtctl.core.queue.HeldMessages;
import dev.evtctl.core.queue.QueueRecord;
import dev.evtctl.core.queue.SqsBatches;
import dev.evtctl.core.stack.StackNames;
import dev.evtctl.core.table.DynamoJson;
import dev.evtctl.core.table.EventQuery;
import dev.evtctl.local.PrivateFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.sqs.model.Message;

/** A queue (without consuming it) or a table, to NDJSON. */
@Command(
    name = "export",
    footerHeading = "%nExamples:%n",
    footer = {
      "  Every item of a table, in DynamoDB's export format:",
      "    evtctl --local export --table audit-events --file audit.ndjson",
      "",
      "  Every message of a queue, each given back untouched:",
      "    evtctl --local export --queue audit-dlq --file dlq.ndjson"
    },
    mixinStandardHelpOptions = true,
    description = {
      "Write a queue's messages or a table's items to NDJSON, one per line. --queue: every message, received and held invisible until all are read, then given back untouched (each receive count goes up by one); lines as aws sqs receive-message prints messages (MessageId, Body, Attributes, MessageAttributes). SQS gives no more of a FIFO group's messages while some are in flight, so a FIFO export stops at the first ten or so of each group: fewer lines than messages is reported, and exits 3. --table: every item, or one session's (txma), tenant's (ledger) or company's (messages); lines as DynamoDB's export to S3 writes them ({\"Item\": {...}} in DynamoDB JSON), so nothing is lost. evtctl import reads both back."
    })
final class ExportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  static final class Source {
    @Option(
        names = {"-q", "--queue"},
        required = true,
        paramLabel = "Q",
        description = "Queue name or URL.")
    String queue;

    @ArgGroup(exclusive = false)
    TableSource table;
  }

  /** --table, and optionally whose events of it (the selector every command shares). */
  static final class TableSource extends SubjectOptions {
    @Option(
        names = {"-t", "--table"},
        required = true,
        paramLabel = "T",
        description = "Table name.")
    String table;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Mixin PipelineOptions pipelineOptions;

  @Option(
      names = "--file",
      required = true,
      paramLabel = "F.ndjson",
      description = "Where to write, or - for stdout.")
  String file;

  @Override
  public Integer call() throws IOException {
    var aws = Evtctl.awsOptions(spec).clients();
    PrintWriter err = spec.commandLine().getErr();
    long written;
    boolean complete = true;
    try (BufferedWriter out = open()) {
      Consumer<String> line =
          text -> {
            try {
              out.write(text);
              out.newLine();
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          };
      if (source.queue != null) {
        String queueUrl = QueueLookup.url(aws.sqs(), source.queue);
        String name = StackNames.queueName(queueUrl);
        long waiting = new DeadLetterQueues(aws.sqs()).depth(queueUrl, false).visible();
        written = exportQueue(new HeldMessages(aws.sqs(), queueUrl), line);
        err.printf(
            "exported %d message(s) of %s to %s; each given back untouched%n", written, name, file);
        if (written < waiting) {
          complete = false;
          err.printf(
              "%s held about %d message(s) when the export began: %d could not be read%s%n",
              name,
              waiting,
              waiting - written,
              name.endsWith(".fifo")
                  ? " (FIFO: SQS returns no more of a group's messages while some are in flight)"
                  : " (in flight to another consumer?)");
        }
      } else {
        written = exportTable(aws.dynamoDb(), line);
        err.printf("exported %d item(s) of %s to %s%n", written, source.table.table, file);
      }
    }
    return complete ? ExitCode.OK : ExitCode.NOT_MET;
  }

  private static long exportQueue(HeldMessages held, Consumer<String> line) {
    long count = 0;
    try (held) {
      for (List<Message> batch = held.receive(SqsBatches.MAX_ENTRIES);
          !batch.isEmpty();
          batch = held.receive(SqsBatches.MAX_ENTRIES)) {
        for (Message message : batch) {
          line.accept(QueueRecord.toJson(message).toString());
          count++;
        }
      }
    }
    return count;
  }

  private long exportTable(
      software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamoDb, Consumer<String> line) {
    TableSource table = source.table;
    Iterable<Map<String, AttributeValue>> items;
    if (table.id() != null) {
      items =
          new EventQuery(dynamoDb, pipelineOptions.pipeline(), table.table)
              .items(table.selector(null, null, null, null, 0));
    } else {
      items = dynamoDb.scanPaginator(ScanRequest.builder().tableName(table.table).build()).items();
    }
    long count = 0;
    for (Map<String, AttributeValue> item : items) {
      var record = Json.MAPPER.createObjectNode();
      record.set("Item", DynamoJson.toJson(item));
      line.accept(record.toString());
      count++;
    }
    return count;
  }

  private BufferedWriter open() throws IOException {
    if (file.equals("-")) {
      return new BufferedWriter(spec.commandLine().getOut()) {
        @Override
        public void close() throws IOException {
          flush();
        }
      };
    }
    // An export holds event bodies: private to the user (0600), as awscli's credentials.
    return PrivateFiles.writer(Path.of(file));
  }
}
