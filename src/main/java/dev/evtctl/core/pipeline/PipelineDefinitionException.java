package dev.evtctl.core.pipeline;

/**
 * A pipeline definition cannot be used: not JSON, not valid against the definition's schema, or a
 * template, pointer, value expression, schema or read layout in it that is wrong.
 */
public class PipelineDefinitionException extends RuntimeException {

  public PipelineDefinitionException(String message) {
    super(message);
  }

  public PipelineDefinitionException(String message, Throwable cause) {
    super(message, cause);
  }
}
