package dev.evtctl.cli;

import dev.evtctl.core.queue.DeadLetterQueues;
import dev.evtctl.core.stack.StackNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Every queue with a dead-letter queue, and how full that is. */
@Command(
    name = "list",
    footerHeading = "%nExamples:%n",
    footer = {"  Every queue with a DLQ, and what is in it:", "    evtctl --local dlq list"},
    mixinStandardHelpOptions = true,
    description = {
      "List every queue that has a dead-letter queue (from the queues' redrive policies and ListDeadLetterSourceQueues): its DLQ, max receive count, the DLQ's approximate depth and in-flight count, and the age of its oldest message. SQS keeps no oldest-message attribute: the age is that of the oldest of up to 10 messages peeked (received and given back at once, which adds one to their receive count)."
    })
final class DlqListCommand implements Callable<Integer> {

  private static final List<String> COLUMNS =
      List.of("queue", "dlq", "max_receive_count", "messages", "in_flight", "oldest_age");

  @Spec CommandSpec spec;

  @Option(
      names = "--prefix",
      paramLabel = "P",
      description = "Only queues whose name starts with P.")
  String prefix;

  @Override
  public Integer call() {
    DeadLetterQueues queues = new DeadLetterQueues(Evtctl.awsOptions(spec).clients().sqs());
    Map<String, DeadLetterQueues.Depth> depths = new LinkedHashMap<>();
    List<Map<String, Object>> rows = new ArrayList<>();
    Instant now = Instant.now();
    for (DeadLetterQueues.Pair pair : queues.list(prefix)) {
      DeadLetterQueues.Depth depth =
          depths.computeIfAbsent(pair.deadLetter(), dlq -> queues.depth(dlq, true));
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("queue", StackNames.queueName(pair.source()));
      row.put("dlq", StackNames.queueName(pair.deadLetter()));
      row.put("max_receive_count", pair.maxReceiveCount());
      row.put("messages", depth.visible());
      row.put("in_flight", depth.inFlight());
      row.put(
          "oldest_age",
          depth.oldestSent() == null ? null : Duration.between(depth.oldestSent(), now));
      rows.add(row);
    }
    Evtctl.output(spec).rows(COLUMNS, rows);
    return ExitCode.OK;
  }
}
