package dev.evtctl.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evtctl.core.pipeline.Json;
import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.queue.DeadLetterQueues;
import dev.evtctl.core.stack.SeedGenerator;
import dev.evtctl.core.stack.StackNames;
import dev.evtctl.local.LocalBackends;
import dev.evtctl.local.PortInUseException;
import dev.evtctl.serve.EvtctlServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The whole tool at work, in one process with nothing installed: a guided tour that runs the very
 * commands a user would type, against SQS and DynamoDB started inside it, and checks each step.
 */
@Command(
    name = "demo",
    footerHeading = "%nExamples:%n",
    footer = {
      "  The whole tool at work, on backends of its own:",
      "    evtctl demo",
      "  Then look at what it left in a browser, until Ctrl-C:",
      "    evtctl demo --console"
    },
    mixinStandardHelpOptions = true,
    description = {
      "A guided tour in one process, with nothing installed and no AWS account: SQS and DynamoDB start inside it; a stack per pipeline is created and seeded (valid events, duplicates, invalid ones, and one event whose writes fail until it reaches the DLQ); the queues are drained; a session's and a tenant's events are shown; the DLQ is looked at, the cause fixed, the event redriven and drained; a CI assertion runs. Ends with a report and the commands to do each step by hand against 'evtctl local start'. The backends take the local stack's port when it is free, and the log lines and the redrive's audit trail are kept where the local stack keeps them, so 'logs --local' and 'trace --local' show them after the demo. With --console, the demo's queues and tables stay up after the report, with evtctl's console over them, until Ctrl-C (exit 130). Exits 0 only if every step did what it said (3 otherwise)."
    })
final class DemoCommand implements Callable<Integer> {

  /** Lines of a command's output shown; the rest are counted. */
  private static final int SHOWN_LINES = 16;

  /** Marks the one event whose writes fail until the cause is fixed. */
  private static final String STUCK = "demo-stuck-transaction";

  private static final long SEED = 7;

  /** A step's output is indented this much under its title. */
  private static final int STEP_INDENT = 4;

  @Spec CommandSpec spec;

  @Mixin ConsoleOptions console;

  private record Step(String title, boolean ok, String detail) {}

  private final List<Step> steps = new ArrayList<>();
  private PrintWriter out;
  private Ansi ansi;

  /** The port of the demo's backends: that of the local stack when free, so --local finds it. */
  private int port;

  /** The table's throttling of the stuck event's writes: on until the demo fixes it. */
  private final Outage outage = new Outage();

  /** The log lines of the step at hand, shown under it. */
  private StepLog stepLog;

  @Override
  public Integer call() throws IOException {
    String token = console.checkedToken(spec);
    out = spec.commandLine().getOut();
    ansi = Evtctl.outputOptions(spec).color() ? Ansi.ON : Ansi.OFF;
    say(
        "@|bold evtctl demo|@: SQS (ElasticMQ) and DynamoDB (DynamoDB Local) start in this process.");
    try (LocalBackends local = startBackends()) {
      port = local.endpoint().getPort();
      Path work = Files.createTempDirectory("evtctl-demo");
      SqsClient sqs =
          new dev.evtctl.aws.AwsClients(
                  dev.evtctl.aws.ClientSettings.emulator(local.endpoint(), Map.of()),
                  software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder()
                      .build())
              .sqs();
      String session;
      try (StepLog stepLog = StepLog.capture()) {
        this.stepLog = stepLog;
        session = runTour(work, sqs);
      } finally {
        deleteRecursively(work);
      }
      int exit = report(session);
      return console.enabled ? keepUpWithConsole(local, token, exit) : exit;
    }
  }

  /**
   * The demo's queues and tables stay up, with the console over them, until Ctrl-C (exit 130), or
   * until the thread running the demo is interrupted (the report's exit code).
   */
  private int keepUpWithConsole(LocalBackends local, String token, int exit) {
    EvtctlServer server =
        console.start(
            spec,
            local.endpoint(),
            token,
            StackNames.fromQueue("demo-txma").eventsTable(),
            "demo-messages",
            StackNames.fromQueue("demo-messages").eventsTable());
    say("");
    say("@|bold Console|@: " + server.consoleUrl());
    say("  the demo's queues and tables, up until Ctrl-C.");
    int stopped = ServeCommand.waitForInterrupt(server, out);
    return stopped == ExitCode.OK ? exit : stopped;
  }

  /**
   * On the local stack's port when nothing holds it: the log lines and the redrive's audit trail go
   * where that stack keeps them, so that {@code logs --local} and {@code trace --local} show them
   * after the demo; on any free port otherwise.
   */
  private LocalBackends startBackends() {
    String variable = Evtctl.environment(spec).get("EVTCTL_LOCAL_PORT");
    int preferred =
        variable != null && variable.strip().matches("\\d{1,5}")
            ? Integer.parseInt(variable.strip())
            : LocalBackends.DEFAULT_PORT;
    try {
      return LocalBackends.start(preferred, null);
    } catch (PortInUseException e) {
      return LocalBackends.start(0, null);
    }
  }

  /** The stuck event's file is the demo's own: it does not outlive it. */
  private static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /**
   * One row of the tour: a command a user would type (its title, arguments and expected exit code),
   * or a check of what the commands did (its title and verdict); {@code before} runs first (the
   * staged outage going on or off).
   */
  private record TourStep(
      String title, int expectedExit, List<String> argv, Supplier<Verdict> check, Runnable before) {

    /**
     * A command, as typed: words split at spaces, each {@code %s} filled with the next value (a
     * value may hold spaces: a temporary folder's path).
     */
    static TourStep run(String title, int expectedExit, String command, Object... values) {
      List<String> argv = new ArrayList<>();
      int next = 0;
      for (String word : command.split(" ")) {
        int holes = word.split("%s", -1).length - 1;
        argv.add(
            holes == 0
                ? word
                : String.format(word, Arrays.copyOfRange(values, next, next + holes)));
        next += holes;
      }
      return new TourStep(title, expectedExit, List.copyOf(argv), null, () -> {});
    }

    static TourStep check(String title, Supplier<Verdict> check) {
      return new TourStep(title, 0, List.of(), check, () -> {});
    }

    TourStep preceded(Runnable before) {
      return new TourStep(title, expectedExit, argv, check, before);
    }
  }

  /** Whether a check held, and what was seen. */
  private record Verdict(boolean ok, String detail) {}

  /**
   * The tour, step by step: the rows of {@link #tour}, run in order; returns the traced session.
   */
  private String runTour(Path work, SqsClient sqs) throws IOException {
    Path stuck = work.resolve("stuck.ndjson");
    String stuckSession = stuckEvent(stuck);
    for (TourStep step : tour(stuck, stuckSession, sqs)) {
      step.before().run();
      if (step.check() == null) {
        step(step.title(), step.expectedExit(), step.argv().toArray(String[]::new));
      } else {
        Verdict verdict = step.check().get();
        check(step.title(), verdict.ok(), verdict.detail());
      }
    }
    return stuckSession;
  }

  private List<TourStep> tour(Path stuck, String stuckSession, SqsClient sqs) {
    String session =
        new SeedGenerator(Pipelines.builtIn("txma"), SEED, 2, 0.1, 0.1, Instant.now())
            .groups()
            .get(0);
    String seed = Long.toString(SEED);
    List<TourStep> tour = new ArrayList<>();
    for (String pipeline : List.of("txma", "ledger", "messages")) {
      tour.add(
          TourStep.run(
              "create the " + pipeline + " stack: queue, DLQ, table(s)",
              0,
              "stack create -p %s -n demo-%s --max-receive-count 2",
              pipeline,
              pipeline));
    }
    tour.addAll(
        List.of(
            TourStep.run(
                "seed 24 TxMA events over 2 sessions, some invalid, some duplicated",
                0,
                "seed -q demo-txma --count 24 --sessions 2"
                    + " --invalid-ratio 0.1 --duplicate-ratio 0.1 --random-seed %s",
                seed),
            TourStep.run(
                "seed one TxMA event more: the table will throttle its writes (a staged outage)",
                0,
                "seed -q demo-txma --file %s",
                stuck.toString()),
            TourStep.run(
                "seed 16 ledger events over 2 tenants",
                0,
                "seed -p ledger -q demo-ledger --count 16 --tenants 2"
                    + " --invalid-ratio 0.1 --duplicate-ratio 0.1 --random-seed %s",
                seed),
            TourStep.run(
                "seed 8 company messages",
                0,
                "seed -p messages -q demo-messages --count 8 --random-seed %s",
                seed),
            TourStep.run(
                    "drain TxMA (exit 3: invalid events were recorded; the throttled one goes to"
                        + " the DLQ)",
                    3,
                    "drain -q demo-txma --idle-timeout 5")
                .preceded(() -> outage.on = true),
            TourStep.check(
                "the throttled event is in the DLQ after 2 tries (max receive count 2)",
                () -> {
                  long inDlq = depth(sqs, "demo-txma-dlq");
                  return new Verdict(inDlq == 1, inDlq + " message(s) in demo-txma-dlq");
                }),
            TourStep.run(
                "drain the ledger queue (exit 3: its invalid events are recorded as INVALID)",
                3,
                "drain -p ledger -q demo-ledger --idle-timeout 1"),
            TourStep.run(
                "drain the messages queue",
                0,
                "drain -p messages -q demo-messages --idle-timeout 1"),
            TourStep.run(
                "what landed for one session",
                0,
                "events --session %s -t demo-txma-events --limit 5",
                session),
            TourStep.run(
                "what landed for one tenant",
                0,
                "events -p ledger --tenant tenant-001 -t demo-ledger-events --limit 5"),
            TourStep.run(
                "which queues have a DLQ, and what is in it", 0, "dlq list --prefix demo-"),
            TourStep.run("look into the DLQ without consuming it", 0, "dlq peek -q demo-txma-dlq"),
            TourStep.run(
                    "redrive the DLQ to its queue (send, then delete; an audit trail)",
                    0,
                    "dlq redrive -q demo-txma-dlq")
                .preceded(
                    () -> {
                      outage.on = false;
                      say("");
                      say("@|bold ▸ the cause is fixed (the table takes writes again)|@");
                    }),
            TourStep.run("drain again: the event lands", 0, "drain -q demo-txma --idle-timeout 1"),
            TourStep.check(
                "the DLQ is empty",
                () ->
                    new Verdict(
                        depth(sqs, "demo-txma-dlq") == 0 && depth(sqs, "demo-txma") == 0,
                        "demo-txma and demo-txma-dlq hold nothing")),
            TourStep.run(
                "a CI assertion: the redriven event is there, exactly once",
                0,
                "events --session %s -t demo-txma-events"
                    + " --expect AUTH_IPV_AUTHORISATION_REQUESTED=1 --timeout 10s",
                stuckSession),
            TourStep.run(
                "what happened to it: one timeline (log lines, audit trail, queues, table)",
                0,
                "trace %s -q demo-txma",
                stuckSession)));
    return tour;
  }

  /**
   * Writes the one event whose writes the outage fails; returns its session, a new one each run
   * (the local stack's log keeps every run's lines: a trace after the demo shows this run's).
   */
  private static String stuckEvent(Path file) throws IOException {
    SeedGenerator generator =
        new SeedGenerator(Pipelines.builtIn("txma"), SEED + 1, 1, 0, 0, Instant.now());
    ObjectNode event = (ObjectNode) Json.readTree(generator.next().body());
    event.put("event_name", "AUTH_IPV_AUTHORISATION_REQUESTED");
    ObjectNode user = (ObjectNode) event.get("user");
    user.put("transaction_id", STUCK);
    user.put("session_id", UUID.randomUUID().toString());
    Files.writeString(file, event + "\n");
    return event.get("user").get("session_id").asText();
  }

  /**
   * What a step's command sees of the environment: the demo's port for --local, the home where the
   * local stack keeps its files, and the width left for its tables; not the user's AWS settings.
   */
  private Map<String, String> innerEnvironment() {
    Map<String, String> environment = new HashMap<>();
    environment.put("EVTCTL_LOCAL_PORT", Integer.toString(port));
    String home = Evtctl.environment(spec).get("EVTCTL_HOME");
    if (home != null) {
      environment.put("EVTCTL_HOME", home);
    }
    int width = Evtctl.outputOptions(spec).tableWidth();
    if (width != Output.UNLIMITED) {
      environment.put("COLUMNS", Integer.toString(Math.max(width - STEP_INDENT, 40)));
    }
    return environment;
  }

  private void step(String title, int expectedExit, String... args) {
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    List<String> line = new ArrayList<>(List.of("--local", "--no-color"));
    line.addAll(List.of(args));
    say("");
    say("@|bold ▸ " + title + "|@");
    say("  $ evtctl --local " + String.join(" ", args));
    int exit =
        Evtctl.run(
            new PrintWriter(stdout),
            new PrintWriter(stderr),
            innerEnvironment(),
            List.of(outage),
            line.toArray(String[]::new));
    show(stdout.toString() + stderr + stepLog.summary());
    check(
        title,
        exit == expectedExit,
        "exit " + exit + (exit == expectedExit ? "" : ", expected " + expectedExit));
  }

  private void check(String title, boolean ok, String detail) {
    steps.add(new Step(title, ok, detail));
    if (!ok) {
      say("  @|red,bold ✗ " + detail + "|@");
    }
  }

  private void show(String text) {
    List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
    String indent = " ".repeat(STEP_INDENT);
    lines.stream().limit(SHOWN_LINES).forEach(l -> out.println(indent + l.stripTrailing()));
    if (lines.size() > SHOWN_LINES) {
      out.println(indent + "… " + (lines.size() - SHOWN_LINES) + " more line(s)");
    }
  }

  private int report(String session) {
    long failed = steps.stream().filter(s -> !s.ok()).count();
    say("");
    say(
        "@|bold Report|@: "
            + (steps.size() - failed)
            + " of "
            + steps.size()
            + " steps did what they said.");
    for (Step step : steps) {
      say(
          (step.ok() ? "  @|green ✓|@ " : "  @|red ✗|@ ")
              + step.title()
              + (step.ok() ? "" : " (" + step.detail() + ")"));
    }
    say("");
    say("By hand: start the same backends with 'evtctl local start --detach', then run the");
    say("commands above ('evtctl --local ...'). 'drain --fail-writes 20%' stages the same");
    say("throttling for a share of the events: any RETRY takes the same path to the DLQ.");
    String local = port == LocalBackends.DEFAULT_PORT ? "--local" : "--local=" + port;
    say("");
    say("Look again, with nothing running: the log lines and the audit trail are kept where the");
    say("local stack keeps them (the queues and tables went with the demo):");
    say("  evtctl logs " + local + " --session " + session);
    say("  evtctl " + local + " trace " + session + " -q demo-txma");
    if (!console.enabled) {
      say("");
      say(
          "See it in a browser: 'evtctl demo --console' keeps the demo's queues and tables up after");
      say("the report, with evtctl's console over them (the URL is printed).");
    }
    out.flush();
    return failed == 0 ? ExitCode.OK : ExitCode.NOT_MET;
  }

  private void say(String markup) {
    out.println(ansi.string(markup));
    out.flush();
  }

  private static long depth(SqsClient sqs, String queue) {
    String url = sqs.getQueueUrl(r -> r.queueName(queue)).queueUrl();
    DeadLetterQueues.Depth depth = new DeadLetterQueues(sqs).depth(url, false);
    return depth.visible() + depth.inFlight();
  }

  /**
   * Fails the writes of the stuck event (PutItem, or a TransactWriteItems request holding it) with
   * throttling while on, as a real outage would.
   */
  private static final class Outage implements ExecutionInterceptor {
    volatile boolean on;

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      boolean stuck =
          context.request() instanceof PutItemRequest put && put.item().toString().contains(STUCK)
              || context.request() instanceof TransactWriteItemsRequest transaction
                  && transaction.transactItems().toString().contains(STUCK);
      if (on && stuck) {
        throw StagedThrottling.throttled("staged by evtctl demo");
      }
    }
  }

  /**
   * The structured log lines of the demo's commands (the staged throttling's, any error), counted
   * and shown under the step that logged them: on stderr, as JSON, they would land amid the tour.
   */
  private static final class StepLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final Logger root =
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
    private final Appender<ILoggingEvent> terminal = root.getAppender("JSON");
    private final Queue<ILoggingEvent> lines = new ConcurrentLinkedQueue<>();

    /** In the terminal's place until closed. */
    static StepLog capture() {
      StepLog log = new StepLog();
      log.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
      log.setName("DEMO");
      log.start();
      log.root.addAppender(log);
      if (log.terminal != null) {
        log.root.detachAppender(log.terminal);
      }
      return log;
    }

    @Override
    protected void append(ILoggingEvent line) {
      lines.add(line);
    }

    /** The lines logged since the last call, one line of text per level and code, counted. */
    String summary() {
      Map<String, Integer> counts = new TreeMap<>();
      for (ILoggingEvent line = lines.poll(); line != null; line = lines.poll()) {
        String code =
            line.getKeyValuePairs() == null
                ? line.getLoggerName()
                : line.getKeyValuePairs().stream()
                    .filter(pair -> pair.key.equals("code"))
                    .map(pair -> String.valueOf(pair.value))
                    .findFirst()
                    .orElse(line.getLoggerName());
        counts.merge(line.getLevel() + " " + code, 1, Integer::sum);
      }
      StringBuilder text = new StringBuilder();
      counts.forEach(
          (line, count) ->
              text.append("log: ").append(count).append(" × ").append(line).append('\n'));
      return text.toString();
    }

    @Override
    public void close() {
      root.detachAppender(this);
      if (terminal != null) {
        root.addAppender(terminal);
      }
      stop();
    }
  }
}
