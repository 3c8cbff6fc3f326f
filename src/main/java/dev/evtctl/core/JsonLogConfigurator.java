package dev.evtctl.core;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import net.logstash.logback.encoder.LogstashEncoder;

/**
 * Logging set up in code (found by logback through META-INF/services), not from XML: the structured
 * lines of DESIGN.md, one JSON object per line ({@code timestamp}, {@code level}, {@code message},
 * {@code code} and the key-value pairs of each line) on stderr, so results on stdout stay pipeable;
 * Lambda sends stderr to CloudWatch Logs. Skipping logback's XML parsing also shortens CLI
 * start-up. {@code EVTCTL_LOG_LEVEL} sets the level of the evtctl lines.
 */
public final class JsonLogConfigurator extends ContextAwareBase implements Configurator {

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    LogstashEncoder encoder = encoder(context);
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("JSON");
    console.setTarget("System.err");
    console.setEncoder(encoder);
    console.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(console);
    String level = System.getenv("EVTCTL_LOG_LEVEL");
    context.getLogger("evtctl").setLevel(Level.toLevel(level, Level.INFO));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** The JSON line layout, shared with the CLI's --log-file. */
  public static LogstashEncoder encoder(LoggerContext context) {
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(context);
    encoder.setFindAndRegisterJacksonModules(false);
    encoder.getFieldNames().setTimestamp("timestamp");
    encoder.getFieldNames().setVersion("[ignore]");
    encoder.getFieldNames().setLevelValue("[ignore]");
    encoder.getFieldNames().setLogger("[ignore]");
    encoder.getFieldNames().setThread("[ignore]");
    encoder.start();
    return encoder;
  }
}
