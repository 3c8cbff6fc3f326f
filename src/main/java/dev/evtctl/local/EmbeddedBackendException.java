package dev.evtctl.local;

/** An embedded backend (ElasticMQ, DynamoDB Local) could not start or stop. */
public class EmbeddedBackendException extends RuntimeException {

  public EmbeddedBackendException(String message, Throwable cause) {
    super(message, cause);
  }
}
