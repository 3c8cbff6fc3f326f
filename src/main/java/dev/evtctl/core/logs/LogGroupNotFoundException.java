package dev.evtctl.core.logs;

/** The CloudWatch Logs group to read does not exist (in this account and region). */
public final class LogGroupNotFoundException extends RuntimeException {

  public LogGroupNotFoundException(String group, Throwable cause) {
    super("CloudWatch Logs group " + group + " does not exist", cause);
  }
}
