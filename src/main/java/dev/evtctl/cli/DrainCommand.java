package dev.evtctl.cli;

import dev.evtctl.aws.AwsClients;
import dev.evtctl.aws.ClientSettings;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.processing.BatchProcessor;
import dev.evtctl.core.processing.BatchResult;
import dev.evtctl.core.processing.Outcome;
import dev.evtctl.core.processing.ProcessorSettings;
import dev.evtctl.core.processing.WriteMode;
import dev.evtctl.core.queue.PassingFaults;
import dev.evtctl.core.queue.QueueDrainer;
import dev.evtctl.core.queue.SqsBatches;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A queue drained through the same core as the Lambda function. */
@Command(
    name = "drain",
    footerHeading = "%nExamples:%n",
    footer = {
      "  Process what is on the queue into audit-events, then stop:",
      "    evtctl --local drain --queue audit",
      "",
      "  Keep draining until Ctrl-C, with the log lines in a file:",
      "    evtctl --local drain --queue audit --follow --log-file drain.log"
    },
    mixinStandardHelpOptions = true,
    description = {
      "Drain a queue into its table with the pipeline's core, as the Lambda event source mapping would: acknowledged messages are deleted, RETRY/SKIPPED ones go back with a backoff. Stops after --max-messages, or --idle-timeout seconds of an empty queue, or runs on with --follow. Ctrl-C finishes the batches in hand and loses nothing. Exits 3 when anything was left invalid or unprocessed."
    })
final class DrainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin PipelineOptions pipelineOptions;

  @Mixin TableOptions tableOptions;

  @Mixin QueueOption queueOption;

  @Mixin GiveUpOption giveUpOption;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      defaultValue = "10",
      description = "Messages per receive, 1-10 (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      defaultValue = "4",
      description = "Receivers polling at once, 1-64 (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--write-mode",
      paramLabel = "MODE",
      completionCandidates = Candidates.WriteModes.class,
      defaultValue = "item",
      description =
          "item (default, as the Lambda): one conditional write per event. transaction: the valid"
              + " events of each batch of a standard queue in one TransactWriteItems request; fewer"
              + " requests (docs/performance.md has the figures), but a transactional write costs"
              + " 2 WCU per item on DynamoDB. Same outcomes and items"
              + " either way; FIFO queues are always written per event.")
  WriteMode writeMode;

  @Option(
      names = "--wait-time",
      paramLabel = "S",
      description = "Long-poll seconds, 0-20 (default: 1; 20 with --follow).")
  Integer waitTime;

  @Option(
      names = "--max-messages",
      paramLabel = "N",
      defaultValue = "0",
      description = "Stop after receiving N messages (default: no limit).")
  long maxMessages;

  @Option(
      names = "--idle-timeout",
      paramLabel = "S",
      defaultValue = "3",
      description =
          "Stop after S seconds of an empty queue, 0 or more (default: ${DEFAULT-VALUE}).")
  int idleTimeout;

  @Option(names = "--follow", description = "Keep draining until Ctrl-C.")
  boolean follow;

  @Mixin LogDestinationOptions logDestination;

  @Option(
      names = "--fail-writes",
      paramLabel = "PERCENT",
      converter = PercentConverter.class,
      description =
          "Test aid, for a local stack only (loopback endpoints; refused otherwise): the events"
              + " table answers PERCENT of this run's event writes, e.g. 10%%, with throttling"
              + " (ProvisionedThroughputExceededException; INVALID records are written as usual),"
              + " so those messages go back (RETRY) and, after the queue's max receive count, land"
              + " in its DLQ: something for dlq list, peek and redrive to show. The same messages"
              + " fail on every receive (a hash of each item's key picks them).")
  Integer failWrites;

  @Override
  public Integer call() throws InterruptedException {
    OptionBounds.check("--concurrency", concurrency, 1, OptionBounds.MAX_CONCURRENCY);
    giveUpOption.check();
    OptionBounds.check("--idle-timeout", idleTimeout, 0, Long.MAX_VALUE);
    OptionBounds.check("--max-messages", maxMessages, 0, Long.MAX_VALUE);
    if (waitTime != null) {
      OptionBounds.check("--wait-time", waitTime, 0, 20);
    }
    OutputOptions output = Evtctl.outputOptions(spec);
    AwsOptions awsOptions = Evtctl.awsOptions(spec);
    logDestination.check(awsOptions);
    if (failWrites != null) {
      refuseUnlessLocal(awsOptions);
    }
    Pipeline pipeline = pipelineOptions.pipeline();
    PassingFaults faults = new PassingFaults();
    AwsClients aws = awsOptions.throughputClients().reportingTo(faults);
    try (LogDestinationOptions.Destination logging = logDestination.open(spec, aws, "drain")) {
      return drain(output, pipeline, aws, faults, logging);
    }
  }

  private Integer drain(
      OutputOptions output,
      Pipeline pipeline,
      AwsClients aws,
      PassingFaults faults,
      LogDestinationOptions.Destination logging)
      throws InterruptedException {
    var sqs = aws.sqs();
    String queueUrl = QueueLookup.url(sqs, queueOption.queue);
    TableOptions.Tables tables = tableOptions.resolve(queueOption.queue, pipeline);
    ProcessorSettings settings =
        new ProcessorSettings(
            pipeline,
            tables.events(),
            tables.idempotency(),
            null,
            null,
            concurrency * Math.min(batchSize, SqsBatches.MAX_ENTRIES),
            writeMode);
    QueueDrainer.Settings drain =
        new QueueDrainer.Settings(
            queueUrl,
            batchSize,
            concurrency,
            waitTime != null ? waitTime : follow ? 20 : 1,
            maxMessages,
            follow ? null : Duration.ofSeconds(idleTimeout));
    AtomicReference<QueueDrainer> running = new AtomicReference<>();
    StopOnInterrupt onInterrupt =
        new StopOnInterrupt(
            spec.commandLine().getErr(),
            "evtctl drain",
            () -> {
              QueueDrainer drainer = running.get();
              if (drainer != null) {
                drainer.stop(Duration.ofSeconds(60));
              }
            },
            logging::close);
    StagedThrottling throttling =
        failWrites == null ? null : new StagedThrottling(failWrites, tables.events(), pipeline);
    AwsClients writes = throttling == null ? aws : aws.withInterceptor(throttling);
    QueueDrainer.Summary summary;
    try (BatchProcessor processor = new BatchProcessor(settings, writes.dynamoDb(), sqs);
        ProgressBar progress = Progress.bar(spec, "drain", expected(sqs, queueUrl))) {
      QueueDrainer drainer =
          new QueueDrainer(
              giveUpOption.sqs(aws),
              giveUpOption.sqs(aws.owningHttpClients(AwsOptions.throughputHttpClient())),
              processor,
              drain,
              batch -> advance(progress, batch));
      running.set(drainer);
      onInterrupt.add();
      summary = drainer.run();
    } finally {
      onInterrupt.remove();
    }
    // Every log line is in CloudWatch before the summary says the drain is over.
    logging.flush();
    print(summary, faults);
    if (throttling != null) {
      spec.commandLine()
          .getErr()
          .println(
              "evtctl drain: --fail-writes "
                  + throttling.percent()
                  + "%: "
                  + throttling.refused()
                  + " write(s) refused with staged throttling (a test aid)");
    }
    onInterrupt.summaryPrinted();
    if (summary.failure() != null) {
      throw new CommandFailedException(ExitCode.BACKEND, summary.failure());
    }
    return summary.leftAnythingBehind() ? ExitCode.NOT_MET : ExitCode.OK;
  }

  /**
   * Staged throttling belongs on an emulator: on real AWS it would push real messages into a real
   * DLQ. Both services must be on this machine (loopback), else exit 2 before anything runs.
   */
  private static void refuseUnlessLocal(AwsOptions awsOptions) {
    ClientSettings settings = awsOptions.clientSettings();
    for (String service : List.of("sqs", "dynamodb")) {
      URI endpoint = settings.endpointFor(service);
      if (endpoint == null || !dev.evtctl.aws.ClientSettings.isLoopback(endpoint)) {
        throw new CommandFailedException(
            ExitCode.USAGE,
            "--fail-writes is a test aid for a local stack, and the "
                + service
                + " endpoint is "
                + (endpoint == null ? "AWS itself" : endpoint)
                + ": give --local or a loopback --endpoint-url");
      }
    }
  }

  /**
   * The bar's total: --max-messages, or the queue's depth now (visible and in flight), so the bar
   * shows a percentage; a drain with --follow has no end to show.
   */
  private long expected(software.amazon.awssdk.services.sqs.SqsClient sqs, String queueUrl) {
    if (follow || System.console() == null) {
      return maxMessages;
    }
    var depth = new dev.evtctl.core.queue.DeadLetterQueues(sqs).depth(queueUrl, false);
    long messages = depth.visible() + depth.inFlight();
    return maxMessages > 0 ? Math.min(maxMessages, messages) : messages;
  }

  private static void advance(ProgressBar progress, BatchResult batch) {
    if (progress == null) {
      return;
    }
    Progress.step(progress, batch.results().size());
    Map<Outcome, Integer> counts = batch.counts();
    progress.setExtraMessage(
        counts.get(Outcome.INVALID) + counts.get(Outcome.RETRY) > 0
            ? "(some invalid/retried)"
            : "");
  }

  private void print(QueueDrainer.Summary summary, PassingFaults faults) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("received", summary.received());
    summary
        .outcomes()
        .forEach((outcome, count) -> row.put(outcome.name().toLowerCase(Locale.ROOT), count));
    row.put("delete_failures", summary.deleteFailures());
    row.put("visibility_failures", summary.visibilityFailures());
    row.put("retried", faults.total());
    row.put("seconds", Figures.seconds(summary.elapsed()));
    row.put("busy_seconds", Figures.seconds(summary.busy()));
    row.put("per_second", Figures.rate(summary.perSecond()));
    Evtctl.output(spec).summary(row);
    FaultReport.print(spec.commandLine().getErr(), summary.callFailures(), faults);
  }
}
