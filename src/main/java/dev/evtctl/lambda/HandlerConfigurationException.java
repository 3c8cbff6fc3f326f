package dev.evtctl.lambda;

import dev.evtctl.core.processing.EventLog;
import dev.evtctl.core.processing.LogCode;
import org.slf4j.event.Level;

/** An environment variable the handler needs is missing or wrong. */
final class HandlerConfigurationException extends RuntimeException {

  private final String variable;

  HandlerConfigurationException(String variable, String problem) {
    super("environment variable " + variable + " " + problem);
    this.variable = variable;
  }

  void log() {
    EventLog.at(Level.ERROR, LogCode.ENVIRONMENT_VARIABLE_MISSING, null)
        .addKeyValue("variable", variable)
        .log(getMessage() + "; the batch fails and no message is acknowledged");
  }
}
