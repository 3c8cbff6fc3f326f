package dev.evtctl.cli;

import dev.evtctl.aws.AwsClients;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.queue.DeadLetterQueues;
import dev.evtctl.core.queue.MessageFilter;
import dev.evtctl.core.queue.NativeMove;
import dev.evtctl.core.queue.Pacer;
import dev.evtctl.core.queue.PassingFaults;
import dev.evtctl.core.queue.Redrive;
import dev.evtctl.core.queue.RedriveAuditTrail;
import dev.evtctl.core.queue.RedrivePlan;
import dev.evtctl.core.queue.RedriveTargetUnknownException;
import dev.evtctl.core.stack.StackNames;
import dev.evtctl.local.LocalInstance;
import dev.evtctl.local.PrivateFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** Messages moved from a dead-letter queue back to their queue, safely. */
@Command(
    name = "redrive",
    footerHeading = "%nExamples:%n",
    footer = {
      "  What would move, moving nothing:",
      "    evtctl --local dlq redrive --queue audit-dlq --dry-run",
      "",
      "  Move only some events back, with an audit trail:",
      "    evtctl --local dlq redrive --queue audit-dlq --filter '/body/event_name=~DCMAW_ASYNC_CRI_.*' --audit-file redrive.ndjson"
    },
    mixinStandardHelpOptions = true,
    description = {
      "Move messages from a dead-letter queue back to a queue (by default the one whose redrive policy names the DLQ). Each batch is sent first and deleted from the DLQ only once sent, so a crash leaves a message in the DLQ, the target or both, never neither; the pipeline's business-key dedupe absorbs a message that arrives twice. Messages keep their body, message attributes and FIFO group, and get a fresh deduplication id. Every message received stays invisible until the redrive ends; those not moved are then given back untouched. An audit trail (NDJSON) records each message before it is sent (sending), once sent (with the old and new messageId) and once deleted; one that cannot be written stops the redrive before anything moves (exit 2). A --filter regular expression is RE2's: matched in linear time, with no backreferences or lookaround. Moving more than 100 messages asks for --yes.",
      "",
      "Filters (--filter, repeatable, all must hold) use JSON Pointers into the message as dlq peek -o json shows it: /body/..., /attributes/..., /message_attributes/...",
      "  POINTER          present            !POINTER        absent",
      "  POINTER=TEXT     text equals        POINTER!=TEXT   absent or other text",
      "  POINTER=~REGEX   whole text matches the regular expression",
      "e.g. --filter /body/event_name=AUTH_IPV_SUCCESS --filter '!/body/restricted'",
      ""
    })
final class DlqRedriveCommand implements Callable<Integer> {

  /** Above this many messages, a redrive asks before it moves them. */
  static final int CONFIRM_ABOVE = 100;

  @Spec CommandSpec spec;

  @Mixin QueueOption queueOption;

  @Mixin PipelineOptions pipelineOptions;

  @Mixin GiveUpOption giveUpOption;

  @Option(
      names = "--to",
      paramLabel = "Q",
      description = "Target queue (default: the queue whose redrive policy names the DLQ).")
  String to;

  @Option(
      names = "--filter",
      paramLabel = "EXPR",
      description = "Move only messages matching EXPR (see above); repeatable.")
  List<String> filters = new ArrayList<>();

  @Option(
      names = "--max",
      paramLabel = "N",
      defaultValue = "0",
      description = "Move at most N messages (default: all).")
  long max;

  @Option(
      names = "--rate",
      paramLabel = "PER_S",
      description = "Move at most this many messages per second.")
  Double rate;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      defaultValue = "8",
      description = "Receivers at once, 1-64 (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--dry-run", description = "Show what would move; move nothing.")
  boolean dryRun;

  @Option(names = "--yes", description = "Move more than 100 messages without asking.")
  boolean yes;

  @Option(
      names = "--native",
      description =
          "Use SQS's own redrive (StartMessageMoveTask) and show its progress; no --filter,"
              + " --max or --dry-run.")
  boolean nativeMove;

  @Option(
      names = "--audit-file",
      paramLabel = "F",
      description = "Audit trail (default: ~/.evtctl/redrive/<dlq>-<time>.ndjson).")
  Path auditFile;

  @Override
  public Integer call() throws IOException, InterruptedException {
    OptionBounds.check("--concurrency", concurrency, 1, OptionBounds.MAX_CONCURRENCY);
    giveUpOption.check();
    OptionBounds.check("--max", max, 0, Long.MAX_VALUE);
    if (rate != null && rate <= 0) {
      throw new CommandFailedException(ExitCode.USAGE, "--rate must be more than 0");
    }
    MessageFilter filter = MessageFilter.parse(filters);
    Pipeline pipeline = pipelineOptions.pipeline();
    PassingFaults faults = new PassingFaults();
    AwsClients aws = Evtctl.awsOptions(spec).throughputClients().reportingTo(faults);
    SqsClient sqs = aws.sqs();
    DeadLetterQueues queues = new DeadLetterQueues(sqs);
    RedrivePlan plan = plan(queues, QueueLookup.url(sqs, queueOption.queue), sqs);
    PrintWriter err = spec.commandLine().getErr();
    if (nativeMove) {
      return nativeMove(queues, plan, err);
    }
    plan = plan.counted(queues);
    String source = plan.source();
    String target = plan.target();
    long toMove = plan.toMove(max);
    if (!dryRun && toMove > CONFIRM_ABOVE && !yes && !confirmed(toMove, source, target, err)) {
      return ExitCode.USAGE;
    }
    if (plan.fifo()) {
      err.println(
          "FIFO: messages keep their MessageGroupId and get a fresh MessageDeduplicationId, so"
              + " SQS's 5-minute deduplication window cannot drop a message redriven twice;"
              + " the pipeline's business-key dedupe absorbs duplicates.");
    }
    Redrive.Settings settings =
        new Redrive.Settings(source, target, filter, max, Pacer.of(rate), dryRun, concurrency);
    List<Map<String, Object>> wouldMove = new ArrayList<>();
    Path audit = dryRun ? null : auditFile != null ? auditFile : defaultAuditFile(source);
    Redrive.Summary summary;
    AtomicReference<Redrive> running = new AtomicReference<>();
    StopOnInterrupt onInterrupt =
        new StopOnInterrupt(
            err, "evtctl dlq redrive", () -> running.get().stop(Duration.ofSeconds(60)), () -> {});
    try (RedriveAuditTrail trail = openAuditTrail(audit, source, target);
        ProgressBar progress = Progress.bar(spec, "redrive", toMove)) {
      Redrive redrive =
          new Redrive(
              giveUpOption.sqs(aws),
              settings,
              trail.then(
                  new Redrive.Listener() {
                    @Override
                    public void wouldMove(Message message) {
                      synchronized (wouldMove) {
                        wouldMove.add(DeadLetterRows.row(message, pipeline, null, Instant.now()));
                      }
                    }

                    @Override
                    public void deleted(Message message) {
                      Progress.step(progress, 1);
                    }
                  }));
      running.set(redrive);
      onInterrupt.add();
      summary = redrive.run();
    } finally {
      onInterrupt.remove();
    }
    Output output = Evtctl.output(spec);
    if (dryRun) {
      output.rows(DeadLetterRows.COLUMNS, wouldMove);
      onInterrupt.summaryPrinted();
      err.printf(
          "dry run: %d of %d message(s) received would move from %s to %s; nothing moved%n",
          summary.picked(), summary.received(), name(source), name(target));
      return ExitCode.OK;
    }
    print(output, summary, faults);
    err.printf("audit trail: %s%n", audit);
    FaultReport.print(err, summary.callFailures(), faults);
    if (summary.visibilityFailures() > 0) {
      err.println(
          "warning: messages not kept invisible may have been visible to other consumers during"
              + " the redrive");
    }
    onInterrupt.summaryPrinted();
    if (summary.failure() != null) {
      throw new CommandFailedException(ExitCode.BACKEND, summary.failure());
    }
    return summary.leftAnythingBehind() ? ExitCode.NOT_MET : ExitCode.OK;
  }

  /** From the DLQ to --to, or to the one queue whose redrive policy names it. */
  private RedrivePlan plan(DeadLetterQueues queues, String source, SqsClient sqs) {
    RedrivePlan plan;
    try {
      plan = RedrivePlan.of(queues, source, to == null ? null : QueueLookup.url(sqs, to));
    } catch (RedriveTargetUnknownException e) {
      throw new CommandFailedException(ExitCode.USAGE, e.getMessage() + ": give --to Q");
    }
    if (plan.targetIsSource()) {
      throw new CommandFailedException(ExitCode.USAGE, "--to names the dead-letter queue itself");
    }
    return plan;
  }

  private int nativeMove(DeadLetterQueues queues, RedrivePlan plan, PrintWriter err)
      throws InterruptedException {
    if (!filters.isEmpty() || max > 0 || dryRun) {
      throw new CommandFailedException(
          ExitCode.USAGE, "--native moves every message: no --filter, --max or --dry-run");
    }
    if (rate != null && (rate < NativeMove.MIN_RATE || rate > NativeMove.MAX_RATE)) {
      throw new CommandFailedException(
          ExitCode.USAGE, "--native --rate is 1 to 500 messages a second (an SQS limit)");
    }
    DeadLetterQueues.MoveProgress progress =
        new NativeMove(queues)
            .run(
                plan.source(),
                plan.targetGiven() ? plan.target() : null,
                rate == null ? null : rate.intValue(),
                step ->
                    err.printf(
                        "move task %s: %d%s moved%n",
                        step.status(),
                        step.moved(),
                        step.toMove() == null ? "" : " of " + step.toMove()));
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("status", progress.status());
    row.put("moved", progress.moved());
    row.put("failure", progress.failureReason());
    Evtctl.output(spec).summary(row);
    return NativeMove.completed(progress) ? ExitCode.OK : ExitCode.BACKEND;
  }

  /**
   * The trail appended to {@code file} (none when null), private to the user (0600) as an export
   * is: it holds message bodies. One that cannot be written is a usage error before anything moves.
   */
  /**
   * Where redrives keep their audit trails by default (this command's, and the console's), made
   * private to the user here, as the trails hold bodies (if it cannot be made, a redrive says that
   * it cannot write its trail).
   */
  static Path auditDirectory(CommandSpec spec) {
    Path directory = LocalInstance.redriveDirectory(Evtctl.environment(spec));
    try {
      return PrivateFiles.directory(directory);
    } catch (IOException e) {
      return directory;
    }
  }

  /** An audit trail's file, appended to and readable by the user only: it holds bodies. */
  static BufferedWriter auditWriter(Path file) throws IOException {
    return PrivateFiles.writer(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  private static RedriveAuditTrail openAuditTrail(Path file, String from, String to) {
    if (file == null) {
      return RedriveAuditTrail.none(from, to);
    }
    try {
      if (file.toAbsolutePath().getParent() != null) {
        PrivateFiles.directory(file.toAbsolutePath().getParent());
      }
      return RedriveAuditTrail.start(auditWriter(file), from, to);
    } catch (IOException e) {
      throw new CommandFailedException(
          ExitCode.USAGE, "--audit-file: cannot write " + file + ": " + ErrorHandler.reason(e));
    }
  }

  private boolean confirmed(long count, String source, String target, PrintWriter err) {
    return Confirmation.confirmed(
        String.format("Move about %d messages from %s to %s?", count, name(source), name(target)),
        "about "
            + count
            + " messages would move (more than "
            + CONFIRM_ABOVE
            + "): give --yes, or --dry-run to see them first",
        "nothing moved",
        err);
  }

  private void print(Output output, Redrive.Summary summary, PassingFaults faults) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("received", summary.received());
    row.put("moved", summary.moved());
    row.put("left_by_filter", summary.received() - summary.picked());
    row.put("send_failures", summary.sendFailures());
    row.put("delete_failures", summary.deleteFailures());
    row.put("retried", faults.total());
    row.put("seconds", Figures.seconds(summary.elapsed()));
    row.put("per_second", Figures.rate(summary.movedPerSecond()));
    output.summary(row);
  }

  private Path defaultAuditFile(String source) {
    return LocalInstance.redriveDirectory(Evtctl.environment(spec))
        .resolve(RedriveAuditTrail.fileName(source, Instant.now()));
  }

  private static String name(String queueUrl) {
    return StackNames.queueName(queueUrl);
  }
}
