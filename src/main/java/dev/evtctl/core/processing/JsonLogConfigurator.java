package dev.evtctl.core.processing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.logstash.logback.composite.loggingevent.mdc.BooleanMdcEntryWriter;
import net.logstash.logback.composite.loggingevent.mdc.LongMdcEntryWriter;
import net.logstash.logback.composite.loggingevent.mdc.MdcEntryWriter;
import net.logstash.logback.composite.loggingevent.mdc.RegexFilteringMdcEntryWriter;
import net.logstash.logback.encoder.LogstashEncoder;

/**
 * Logging set up in code (found by logback through META-INF/services), not from XML: the structured
 * lines of DESIGN.md, one JSON object per line ({@code timestamp}, {@code level}, {@code message},
 * {@code code}, the MDC entries and the key-value pairs of each line) on stderr, so results on
 * stdout stay pipeable; Lambda sends stderr to CloudWatch Logs. Skipping logback's XML parsing also
 * shortens CLI start-up. The level of the evtctl lines comes from {@code POWERTOOLS_LOG_LEVEL},
 * else {@code AWS_LAMBDA_LOG_LEVEL} (Lambda's advanced logging controls), else {@code
 * EVTCTL_LOG_LEVEL}, else INFO.
 */
public final class JsonLogConfigurator extends ContextAwareBase implements Configurator {

  /** The first of these that is set gives the level, as Powertools' logger reads them. */
  static final List<String> LEVEL_VARIABLES =
      List.of("POWERTOOLS_LOG_LEVEL", "AWS_LAMBDA_LOG_LEVEL", "EVTCTL_LOG_LEVEL");

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
    context.getLogger("evtctl").setLevel(level(System.getenv()));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * The level of the evtctl lines for this environment. Lambda's FATAL is logback's ERROR; a value
   * logback does not know gives INFO.
   */
  static Level level(Map<String, String> env) {
    for (String variable : LEVEL_VARIABLES) {
      String value = env.get(variable);
      if (value != null && !value.isBlank()) {
        String name = value.trim();
        return Level.toLevel(name.equalsIgnoreCase("FATAL") ? "ERROR" : name, Level.INFO);
      }
    }
    return Level.INFO;
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
    // MDC values are strings; the Lambda's Powertools keys cold_start and function_memory_size
    // are a JSON boolean and number in Powertools' lines, so they are written as such here.
    encoder.addMdcEntryWriter(typed("cold_start", new BooleanMdcEntryWriter()));
    encoder.addMdcEntryWriter(typed("function_memory_size", new LongMdcEntryWriter()));
    encoder.start();
    return encoder;
  }

  private static MdcEntryWriter typed(String key, MdcEntryWriter writer) {
    RegexFilteringMdcEntryWriter only = new RegexFilteringMdcEntryWriter();
    only.setIncludeMdcKeyPattern(Pattern.quote(key));
    only.addMdcEntryWriter(writer);
    return only;
  }
}
