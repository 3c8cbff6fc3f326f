package dev.evtctl.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import dev.evtctl.cli.CommandFailedException;
import dev.evtctl.cli.ErrorHandler;
import dev.evtctl.cli.ExitCode;
import dev.evtctl.cli.OutputOptions;
import dev.evtctl.core.processing.JsonLogConfigurator;
import dev.evtctl.local.PrivateFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Where the core's structured log lines go in the CLI. On the terminal only errors, unless -v
 * (info) or --debug (debug, with event bodies); with --log-file and --log-group every line from
 * info up (debug with --debug) goes to the file and to CloudWatch Logs as JSON, one object per
 * line, as in Lambda. Closing detaches what was attached (tests run many commands in one JVM) and
 * ships the lines still waiting for CloudWatch.
 */
public final class CliLogging implements AutoCloseable {

  private final Logger evtctl;
  private final Logger bodies;
  private final Level previousLevel;
  private final Appender<ILoggingEvent> terminal;
  private final List<Appender<ILoggingEvent>> attached = new ArrayList<>();
  private boolean closed;

  private CliLogging(Logger evtctl, Appender<ILoggingEvent> terminal) {
    this.evtctl = evtctl;
    this.bodies = evtctl.getLoggerContext().getLogger("evtctl.bodies");
    this.previousLevel = evtctl.getLevel();
    this.terminal = terminal;
  }

  /** The terminal's level only: errors, info with -v, debug (with event bodies) with --debug. */
  public static CliLogging configure(OutputOptions output) {
    return configure(output, null, null);
  }

  /**
   * @param logFile where to append the lines, or null
   * @param logGroup the opened CloudWatch Logs appender (not yet started), or null
   */
  public static CliLogging configure(
      OutputOptions output, Path logFile, CloudWatchLogsAppender logGroup) {
    return configure(output, logFile, logGroup, false);
  }

  /**
   * @param debugLines the debug lines (EVENT_PERSISTED: ids, no body) go to the file too, bodies
   *     only with --debug: for the local stack's file, which a trace reads for stored events
   */
  public static CliLogging configure(
      OutputOptions output, Path logFile, CloudWatchLogsAppender logGroup, boolean debugLines) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger evtctl = context.getLogger("evtctl");
    Level console = output.debug() ? Level.DEBUG : output.verbose() ? Level.INFO : Level.ERROR;
    if (logFile == null && logGroup == null) {
      CliLogging logging = new CliLogging(evtctl, null);
      evtctl.setLevel(console);
      return logging;
    }
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    Appender<ILoggingEvent> terminal = root.getAppender("JSON");
    CliLogging logging = new CliLogging(evtctl, terminal);
    if (terminal != null) {
      // The terminal keeps its level; the file and CloudWatch get more.
      terminal.addFilter(
          new Filter<>() {
            @Override
            public FilterReply decide(ILoggingEvent event) {
              return event.getLevel().isGreaterOrEqual(console)
                  ? FilterReply.NEUTRAL
                  : FilterReply.DENY;
            }
          });
    }
    if (logFile != null) {
      try {
        // With --debug the lines hold event bodies: the file is private to the user (0600).
        PrivateFiles.create(logFile);
      } catch (java.io.IOException e) {
        throw new CommandFailedException(
            ExitCode.USAGE, "--log-file: cannot write " + logFile + ": " + ErrorHandler.reason(e));
      }
      FileAppender<ILoggingEvent> file = new FileAppender<>();
      file.setContext(context);
      file.setName("FILE");
      file.setFile(logFile.toString());
      file.setAppend(true);
      // Each line reaches the file as it is logged: a kill -9 loses none of a finished batch's.
      file.setImmediateFlush(true);
      file.setEncoder(JsonLogConfigurator.encoder(context));
      file.start();
      logging.attach(file);
    }
    if (logGroup != null) {
      logGroup.setContext(context);
      logGroup.setName("CLOUDWATCH");
      logGroup.setEncoder(JsonLogConfigurator.encoder(context));
      logGroup.start();
      logging.attach(logGroup);
    }
    evtctl.setLevel(output.debug() || debugLines ? Level.DEBUG : Level.INFO);
    if (debugLines && !output.debug()) {
      logging.bodies.setLevel(Level.INFO);
    }
    return logging;
  }

  private void attach(Appender<ILoggingEvent> appender) {
    evtctl.addAppender(appender);
    attached.add(appender);
  }

  /** Detaches and stops what was attached: the file is closed, CloudWatch gets every line. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Appender<ILoggingEvent> appender : attached) {
      evtctl.detachAppender(appender);
      appender.stop();
    }
    if (terminal != null) {
      terminal.clearAllFilters();
    }
    evtctl.setLevel(previousLevel);
    bodies.setLevel(null);
  }
}
