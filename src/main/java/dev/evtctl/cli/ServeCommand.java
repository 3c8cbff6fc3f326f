package dev.evtctl.cli;

import dev.evtctl.core.logs.FileLogs;
import dev.evtctl.core.stack.StackNames;
import dev.evtctl.core.trace.SourceLines;
import dev.evtctl.core.trace.TraceLogs;
import dev.evtctl.serve.EvtctlServer;
import dev.evtctl.serve.PortTakenException;
import dev.evtctl.serve.ServeSettings;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The HTTP door: the GOV.UK Events API, seed 001's /messages and the web console. */
@Command(
    name = "serve",
    footerHeading = "%nExamples:%n",
    footer = {
      "  The Events API over a txma stack's table, on the local stack, for a CI suite:",
      "    evtctl --local serve --queue audit",
      "",
      "  Also seed 001's /messages, over a messages stack, on another port:",
      "    evtctl --local serve --queue audit --messages-queue orders --port 8080"
    },
    mixinStandardHelpOptions = true,
    description = {
      "Serve over HTTP, against the endpoint the global options name (the local stack, LocalStack or AWS), until Ctrl-C (exit 130): the GOV.UK test-resources Events API (GET /events?pkPrefix=P&skPrefix=S, the items of pk = P AND begins_with(sk, S) in the txma table, 404 Not Found when none), seed 001's POST /messages (validated with the messages pipeline, sent to the buffer queue: 202 with the message id, 400 with the reason), GET /messages?company_id=C and GET /messages/ID. Listens on loopback unless --bind says otherwise. Prints the console URL with a token: a browser's state-changing requests need it and the same origin; the Events API needs none. Exit 4 when the port is taken."
    })
final class ServeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "4567",
      description = "Port to listen on (default: ${DEFAULT-VALUE}; 0 for any free one).")
  int port;

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      defaultValue = "127.0.0.1",
      description =
          "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; any other prints a"
              + " warning).")
  String bind;

  @Option(
      names = {"-t", "--table"},
      paramLabel = "T",
      defaultValue = "${env:EVTCTL_TABLE}",
      description =
          "txma events table of the Events API (default: from --queue, N → N-events, or EVTCTL_TABLE).")
  String table;

  @Option(
      names = {"-q", "--queue"},
      paramLabel = "Q",
      description = "The txma stack's queue, whose table (N-events) the Events API reads.")
  String queue;

  @Option(
      names = "--messages-queue",
      paramLabel = "Q",
      description = "The messages stack's buffer queue, where POST /messages sends.")
  String messagesQueue;

  @Option(
      names = "--messages-table",
      paramLabel = "T",
      description = "Table of GET /messages (default: from --messages-queue, N → N-events).")
  String messagesTable;

  /** What the console's trace searches, as trace's own options say. */
  @Mixin TraceLogOptions logSource;

  @Override
  public Integer call() {
    OptionBounds.check("--port", port, 0, 65535);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String eventsTable =
        table != null ? table : queue == null ? null : StackNames.fromQueue(queue).eventsTable();
    String storeTable =
        messagesTable != null
            ? messagesTable
            : messagesQueue == null ? null : StackNames.fromQueue(messagesQueue).eventsTable();
    if (!EvtctlServer.isLoopback(bind)) {
      err.println(
          "evtctl serve: warning: listening on "
              + bind
              + ", not loopback: other machines can reach the Events API and /messages");
      err.flush();
    }
    ServeSettings settings =
        new ServeSettings(
            bind,
            port,
            eventsTable,
            messagesQueue,
            storeTable,
            consoleToken(spec),
            DlqRedriveCommand.auditDirectory(spec),
            DlqRedriveCommand::auditWriter,
            traceLogs());
    EvtctlServer server;
    try {
      server = EvtctlServer.start(settings, Evtctl.awsOptions(spec).throughputClients());
    } catch (PortTakenException e) {
      throw new CommandFailedException(
          ExitCode.BACKEND, e.getMessage() + ": stop what uses it or give --port");
    }
    out.println("evtctl serve: listening on " + server.url());
    out.println(
        "evtctl serve: Events API "
            + server.url().resolve("events")
            + (eventsTable == null
                ? " (no table: give --table or --queue)"
                : " over " + eventsTable));
    if (messagesQueue != null) {
      out.println(
          "evtctl serve: /messages to queue " + messagesQueue + ", read from " + storeTable);
    }
    out.println("evtctl serve: console " + server.consoleUrl());
    out.println("evtctl serve: Ctrl-C to stop");
    out.flush();
    return waitForInterrupt(server, out);
  }

  /**
   * The log lines the console's trace searches: --log-file or --log-group, else with --local the
   * local stack's own (a file that may appear after serve starts).
   */
  private TraceLogs traceLogs() {
    AwsOptions aws = Evtctl.awsOptions(spec);
    return !logSource.given() && aws.isLocal()
        ? new SourceLines(new FileLogs(aws.localLogLines()))
        : logSource.logs(aws);
  }

  /** The console's token: EVTCTL_CONSOLE_TOKEN, else a new one (a bad one is a usage error). */
  static String consoleToken(CommandSpec spec) {
    try {
      return EvtctlServer.token(Evtctl.environment(spec));
    } catch (IllegalArgumentException e) {
      throw new CommandFailedException(ExitCode.USAGE, e.getMessage());
    }
  }

  /**
   * Serves until interrupted: in this thread (a test's, which ends it with 0), or by Ctrl-C or
   * SIGTERM, whose hook stops the server and ends the process with 130 (interrupted, as every
   * long-running command ends).
   */
  static int waitForInterrupt(EvtctlServer server, PrintWriter out) {
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              server.close();
              out.println("evtctl serve: stopped");
              out.flush();
              stopped.countDown();
              Runtime.getRuntime().halt(ExitCode.INTERRUPTED);
            },
            "evtctl-serve-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopped.await(Long.MAX_VALUE, TimeUnit.DAYS);
      return ExitCode.INTERRUPTED;
    } catch (InterruptedException e) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs
      }
      server.close();
      return ExitCode.OK;
    }
  }
}
