package dev.evtctl.core.pipeline;

/** A pipeline definition or processor setting that cannot work: fix the configuration. */
public class PipelineConfigException extends RuntimeException {

  public PipelineConfigException(String message) {
    super(message);
  }

  public PipelineConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
