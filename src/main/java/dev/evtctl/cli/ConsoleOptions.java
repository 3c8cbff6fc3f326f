package dev.evtctl.cli;

import dev.evtctl.aws.AwsClients;
import dev.evtctl.aws.ClientSettings;
import dev.evtctl.core.logs.FileLogs;
import dev.evtctl.core.trace.SourceLines;
import dev.evtctl.local.FreePort;
import dev.evtctl.local.LocalInstance;
import dev.evtctl.serve.EvtctlServer;
import dev.evtctl.serve.PortTakenException;
import dev.evtctl.serve.ServeSettings;
import java.net.URI;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --console} and {@code --console-port} of the commands that run backends of their own
 * ({@code local start}, {@code demo}): evtctl serve beside them, on loopback, with its token.
 */
final class ConsoleOptions {

  @Option(
      names = "--console",
      description =
          "Also run evtctl serve over these backends, on 127.0.0.1: its URL, with the console's"
              + " token (EVTCTL_CONSOLE_TOKEN, else a new one), is printed.")
  boolean enabled;

  @Option(
      names = "--console-port",
      paramLabel = "PORT",
      defaultValue = "4567",
      description = "Port of --console, on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  int port;

  /**
   * Checks the options before anything starts: the port's range, the token (a bad one is a usage
   * error) and that the port is free (exit 4). Returns the token, or null without --console.
   */
  String checkedToken(CommandSpec spec) {
    OptionBounds.check("--console-port", port, 1, 65535);
    if (!enabled) {
      return null;
    }
    String token = ServeCommand.consoleToken(spec);
    if (!FreePort.isFree("127.0.0.1", port)) {
      throw portTaken(new PortTakenException("127.0.0.1", port));
    }
    return token;
  }

  /** The console over the backends at {@code endpoint}, on the tables and queue given (or null). */
  EvtctlServer start(
      CommandSpec spec,
      URI endpoint,
      String token,
      String eventsTable,
      String messagesQueue,
      String messagesTable) {
    try {
      return EvtctlServer.start(
          new ServeSettings(
              "127.0.0.1",
              port,
              eventsTable,
              messagesQueue,
              messagesTable,
              token,
              DlqRedriveCommand.auditDirectory(spec),
              DlqRedriveCommand::auditWriter,
              // the log lines of what ran on these backends: drain's, the demo's
              new SourceLines(
                  new FileLogs(
                      LocalInstance.logLinesFile(
                          LocalInstance.home(Evtctl.environment(spec)), endpoint.getPort())))),
          new AwsClients(
              ClientSettings.emulator(endpoint, Map.of()),
              AwsOptions.throughputHttpClient().build()));
    } catch (PortTakenException e) {
      throw portTaken(e);
    }
  }

  private static CommandFailedException portTaken(PortTakenException e) {
    return new CommandFailedException(ExitCode.BACKEND, e.getMessage() + ": give --console-port");
  }
}
