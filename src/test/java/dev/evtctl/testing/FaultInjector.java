package dev.evtctl.testing;

import java.util.function.Predicate;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * An SDK execution interceptor on a real client that fails the requests a test picks, with the
 * error a real DynamoDB would return: the faults DynamoDB Local cannot produce on demand.
 */
public final class FaultInjector implements ExecutionInterceptor {

  private final Predicate<SdkRequest> matches;
  private final String errorCode;
  private final int statusCode;

  private FaultInjector(Predicate<SdkRequest> matches, String errorCode, int statusCode) {
    this.matches = matches;
    this.errorCode = errorCode;
    this.statusCode = statusCode;
  }

  public static FaultInjector throttling(Predicate<SdkRequest> matches) {
    return new FaultInjector(matches, "ProvisionedThroughputExceededException", 400);
  }

  public static FaultInjector internalServerError(Predicate<SdkRequest> matches) {
    return new FaultInjector(matches, "InternalServerError", 500);
  }

  public static FaultInjector accessDenied(Predicate<SdkRequest> matches) {
    return new FaultInjector(matches, "AccessDeniedException", 400);
  }

  /** PutItem or TransactWriteItems whose item text contains the marker (an id in the body). */
  public static Predicate<SdkRequest> writesContaining(String marker) {
    return request -> {
      if (request instanceof PutItemRequest put) {
        return put.item().toString().contains(marker);
      }
      if (request instanceof TransactWriteItemsRequest transaction) {
        return transaction.transactItems().toString().contains(marker);
      }
      return false;
    };
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    if (matches.test(context.request())) {
      throw DynamoDbException.builder()
          .statusCode(statusCode)
          .awsErrorDetails(
              AwsErrorDetails.builder()
                  .errorCode(errorCode)
                  .errorMessage("injected by FaultInjector")
                  .serviceName("DynamoDb")
                  .build())
          .message(errorCode + ": injected by FaultInjector")
          .build();
    }
  }
}
