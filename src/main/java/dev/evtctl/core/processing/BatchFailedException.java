package dev.evtctl.core.processing;

/** The batch as a whole could not be processed; none of its messages may be acknowledged. */
public class BatchFailedException extends RuntimeException {

  public BatchFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
