package dev.evtctl.cli;

import dev.evtctl.core.pipeline.Json;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.queue.BatchSender;
import dev.evtctl.core.queue.Pacer;
import dev.evtctl.core.queue.SendLog;
import dev.evtctl.core.stack.SeedGenerator;
import dev.evtctl.core.stack.StackNames;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** Test events onto a queue: generated for a built-in pipeline, or from an NDJSON file. */
@Command(
    name = "seed",
    footerHeading = "%nExamples:%n",
    footer = {
      "  20 generated events for 2 sessions, some invalid, some repeated:",
      "    evtctl --local seed --queue audit --count 20 --sessions 2 --invalid-ratio 0.1 --duplicate-ratio 0.1 --random-seed 42",
      "",
      "  The events of a file, one per line:",
      "    evtctl --local seed --queue audit --file samples/txma.ndjson"
    },
    mixinStandardHelpOptions = true,
    description = {
      "Send test events to a queue: realistic events of the pipeline's schemas, or the lines of an NDJSON --file. FIFO queues get MessageGroupId = session, tenant or company. Prints one row per session/tenant/company with what was sent to it."
    })
final class SeedCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin PipelineOptions pipelineOptions;

  @Mixin QueueOption queueOption;

  @Option(
      names = "--count",
      paramLabel = "N",
      defaultValue = "10",
      description = "Events to send (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(
      names = "--rate",
      paramLabel = "PER_S",
      description = "Send at most this many messages per second.")
  Double rate;

  @Option(
      names = {"--sessions", "--tenants"},
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Sessions (txma), tenants (ledger) or companies (messages) (default: ${DEFAULT-VALUE}).")
  int groups;

  @Option(
      names = "--invalid-ratio",
      paramLabel = "F",
      defaultValue = "0",
      description = "Share of invalid events, 0 to 1 (default: ${DEFAULT-VALUE}).")
  double invalidRatio;

  @Option(
      names = "--duplicate-ratio",
      paramLabel = "F",
      defaultValue = "0",
      description = "Share of exact duplicates, 0 to 1 (default: ${DEFAULT-VALUE}).")
  double duplicateRatio;

  @Option(
      names = "--random-seed",
      paramLabel = "S",
      description = "Same seed, same events (default: random).")
  Long randomSeed;

  @Mixin LogDestinationOptions logDestination;

  @Option(
      names = "--file",
      paramLabel = "F.ndjson",
      description = "Send these bodies instead, one per line (- for standard input).")
  Path file;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (count < 0) {
      throw new CommandFailedException(ExitCode.USAGE, "--count must be 0 or more");
    }
    if (rate != null && rate <= 0) {
      throw new CommandFailedException(ExitCode.USAGE, "--rate must be more than 0");
    }
    logDestination.check(Evtctl.awsOptions(spec));
    var aws = Evtctl.awsOptions(spec).throughputClients();
    SqsClient sqs = aws.sqs();
    String queueUrl = QueueLookup.url(sqs, queueOption.queue);
    boolean fifo = StackNames.queueName(queueUrl).endsWith(".fifo");
    Pipeline pipeline = pipelineOptions.pipeline();
    List<SeedGenerator.SeedMessage> messages =
        file != null ? fromFile(pipeline) : generated(pipeline);
    boolean fairQueues = pipeline.fairQueues();
    Map<String, Map<String, Object>> byGroup = new LinkedHashMap<>();
    long started = System.nanoTime();
    List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
    for (SeedGenerator.SeedMessage message : messages) {
      SendMessageBatchRequestEntry.Builder entry =
          SendMessageBatchRequestEntry.builder().messageBody(message.body());
      if (fifo) {
        // A fresh deduplication id: duplicates are sent on purpose, for the pipeline's
        // business-key dedupe to absorb (SQS would drop them within its 5-minute window).
        entry.messageGroupId(message.group()).messageDeduplicationId(UUID.randomUUID().toString());
      } else if (fairQueues) {
        // SQS fair queues: on a standard queue the group names the tenant, for fair delivery.
        entry.messageGroupId(message.group());
      }
      entries.add(entry.build());
    }
    BatchSender.Result result;
    try (LogDestinationOptions.Destination log = logDestination.open(spec, aws, "seed")) {
      result = new BatchSender(sqs).sendAll(queueUrl, entries, Pacer.of(rate));
      SendLog.sent(
          pipeline,
          "seed",
          queueUrl,
          messages.stream().map(SeedGenerator.SeedMessage::body).toList(),
          result);
    }
    int sent = 0;
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      SeedGenerator.SeedMessage message = messages.get(i);
      String error = result.failed().get(Integer.toString(i));
      if (error != null) {
        failures.add(error);
        continue;
      }
      sent++;
      Map<String, Object> row =
          byGroup.computeIfAbsent(
              message.group(),
              group -> {
                Map<String, Object> fresh = new LinkedHashMap<>();
                fresh.put("group", group);
                fresh.put("valid", 0);
                fresh.put("invalid", 0);
                fresh.put("duplicate", 0);
                return fresh;
              });
      String kind = message.kind().name().toLowerCase(java.util.Locale.ROOT);
      row.put(kind, (Integer) row.get(kind) + 1);
    }
    double seconds = Math.max((System.nanoTime() - started) / 1e9, 1e-9);
    Evtctl.output(spec)
        .rows(List.of("group", "valid", "invalid", "duplicate"), new ArrayList<>(byGroup.values()));
    spec.commandLine()
        .getErr()
        .printf(
            "sent %d message(s) to %s in %.2f s (%.0f/s)%n",
            sent, StackNames.queueName(queueUrl), seconds, sent / seconds);
    if (!failures.isEmpty()) {
      throw new CommandFailedException(
          ExitCode.BACKEND,
          failures.size() + " message(s) could not be sent; first: " + failures.get(0));
    }
    return ExitCode.OK;
  }

  private List<SeedGenerator.SeedMessage> generated(Pipeline pipeline) {
    SeedGenerator generator =
        new SeedGenerator(
            pipeline,
            randomSeed == null ? System.nanoTime() : randomSeed,
            groups,
            invalidRatio,
            duplicateRatio,
            Instant.now());
    List<SeedGenerator.SeedMessage> messages = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      messages.add(generator.next());
    }
    return messages;
  }

  /** Each non-blank line a body; its group the pipeline's message group (session, tenant...). */
  private List<SeedGenerator.SeedMessage> fromFile(Pipeline pipeline) throws IOException {
    List<SeedGenerator.SeedMessage> messages = new ArrayList<>();
    try (BufferedReader reader =
        Files.newBufferedReader(InputFiles.readable(file), StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        String group = "evtctl-seed";
        try {
          group = pipeline.groupOf(Json.readTree(line)).orElse(group);
        } catch (IOException e) {
          // not JSON: sent as it is, for the pipeline to report INVALID
        }
        messages.add(new SeedGenerator.SeedMessage(line, group, SeedGenerator.Kind.VALID));
      }
    } catch (NoSuchFileException e) {
      throw new CommandFailedException(ExitCode.USAGE, "no such file: " + file);
    }
    return messages;
  }
}
