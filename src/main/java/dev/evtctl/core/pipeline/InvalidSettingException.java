package dev.evtctl.core.pipeline;

/**
 * A setting, option, filter or expectation has a value that cannot be used (a rate of 0, an unknown
 * pipeline name, a dead-letter policy without a queue). The message says which and why; a setting
 * the processor checks is named too ({@link #setting}), so that each door can name it as its user
 * gave it (a flag, an environment variable).
 */
public class InvalidSettingException extends RuntimeException {

  private final String setting;
  private final String problem;

  public InvalidSettingException(String message) {
    super(message);
    this.setting = null;
    this.problem = message;
  }

  public InvalidSettingException(String message, Throwable cause) {
    super(message, cause);
    this.setting = null;
    this.problem = message;
  }

  /**
   * @param setting the setting, as the core names it ("events table")
   * @param problem what is wrong with it ("is not set"); the message is both
   */
  public static InvalidSettingException of(String setting, String problem) {
    return new InvalidSettingException(setting, problem);
  }

  private InvalidSettingException(String setting, String problem) {
    super(setting + " " + problem);
    this.setting = setting;
    this.problem = problem;
  }

  /** The setting the processor checked, or null. */
  public String setting() {
    return setting;
  }

  /** What is wrong, without the setting's name. */
  public String problem() {
    return problem;
  }
}
