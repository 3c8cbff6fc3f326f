package dev.evtctl.core.processing;

/**
 * The backend refused the pipeline itself (table not found, access denied, a key schema that does
 * not match): no message of the batch can succeed, so the whole batch fails and none is
 * acknowledged.
 */
public class BackendConfigurationException extends RuntimeException {

  public BackendConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
