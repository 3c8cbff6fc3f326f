package dev.evtctl.testing;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import java.util.List;

/** The message ids a handler returned for retry, in the order it returned them. */
public final class BatchFailures {

  private BatchFailures() {}

  public static List<String> of(SQSBatchResponse response) {
    return response.getBatchItemFailures().stream()
        .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .toList();
  }
}
