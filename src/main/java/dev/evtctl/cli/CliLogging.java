package dev.evtctl.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import dev.evtctl.core.JsonLogConfigurator;
import java.nio.file.Path;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * Where the core's structured log lines go in the CLI. On the terminal only errors, unless -v
 * (info) or --debug (debug, with event bodies); with --log-file every line from info up (debug with
 * --debug) goes to the file as JSON, one object per line, as in Lambda.
 */
final class CliLogging {

  private CliLogging() {}

  static void configure(OutputOptions output, Path logFile) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger evtctl = context.getLogger("evtctl");
    Level console = output.debug() ? Level.DEBUG : output.verbose() ? Level.INFO : Level.ERROR;
    if (logFile == null) {
      evtctl.setLevel(console);
      return;
    }
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    Appender<ILoggingEvent> terminal = root.getAppender("JSON");
    if (terminal != null) {
      // The terminal keeps its level; the file gets more.
      terminal.addFilter(
          new ch.qos.logback.core.filter.Filter<>() {
            @Override
            public ch.qos.logback.core.spi.FilterReply decide(ILoggingEvent event) {
              return event.getLevel().isGreaterOrEqual(console)
                  ? ch.qos.logback.core.spi.FilterReply.NEUTRAL
                  : ch.qos.logback.core.spi.FilterReply.DENY;
            }
          });
    }
    LogstashEncoder encoder = JsonLogConfigurator.encoder(context);
    FileAppender<ILoggingEvent> file = new FileAppender<>();
    file.setContext(context);
    file.setName("FILE");
    file.setFile(logFile.toString());
    file.setAppend(true);
    file.setEncoder(encoder);
    file.start();
    evtctl.addAppender(file);
    evtctl.setLevel(output.debug() ? Level.DEBUG : Level.INFO);
  }
}
