package dev.evtctl.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.evtctl.aws.AwsClients;
import dev.evtctl.aws.ClientSettings;
import dev.evtctl.core.pipeline.QueueMessage;
import dev.evtctl.core.processing.BatchProcessor;
import dev.evtctl.core.processing.BatchResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The Lambda door into the core, behind an SQS event source mapping with {@code
 * ReportBatchItemFailures}. Clients and pipeline are built once, in the constructor; a
 * configuration error is logged ({@code ENVIRONMENT_VARIABLE_MISSING}) and fails every invocation,
 * so no batch is acknowledged that was not processed. Every line of an invocation carries the keys
 * of Powertools' logger ({@link InvocationFields}).
 *
 * <p>SnapStart: the handler is a CRaC resource, registered once built, that primes its path ({@link
 * #prime}) before the snapshot, so restored functions start with the classes loaded and the path
 * run once. On a JVM without CRaC registering does nothing.
 */
public final class SqsEventsHandler
    implements RequestHandler<SQSEvent, SQSBatchResponse>, Resource {

  /** Cold start as Powertools counts it: the first invocation of the process. */
  private static final AtomicBoolean FIRST_INVOCATION_OF_PROCESS = new AtomicBoolean(true);

  private final BatchProcessor processor;
  private final HandlerConfigurationException configurationError;
  private final Map<String, String> environment;
  private final AtomicBoolean coldStart;

  /** The constructor Lambda calls: configuration from the environment. */
  public SqsEventsHandler() {
    this(System.getenv(), null, null);
  }

  /** For tests: the environment given, and clients already pointed somewhere (or null). */
  public SqsEventsHandler(Map<String, String> environment, DynamoDbClient dynamoDb, SqsClient sqs) {
    this(environment, dynamoDb, sqs, FIRST_INVOCATION_OF_PROCESS);
  }

  /** For tests: {@code coldStart} stands for a process of its own (true until its first call). */
  SqsEventsHandler(
      Map<String, String> environment,
      DynamoDbClient dynamoDb,
      SqsClient sqs,
      AtomicBoolean coldStart) {
    this.environment = environment;
    this.coldStart = coldStart;
    BatchProcessor built = null;
    HandlerConfigurationException error = null;
    try {
      HandlerEnvironment settings = HandlerEnvironment.read(environment);
      AwsClients clients =
          new AwsClients(ClientSettings.defaults(), UrlConnectionHttpClient.builder().build());
      built =
          new BatchProcessor(
              settings.processorSettings(),
              dynamoDb != null ? dynamoDb : clients.dynamoDb(),
              sqs != null ? sqs : clients.sqs());
    } catch (HandlerConfigurationException e) {
      error = e;
      e.log();
    }
    this.processor = built;
    this.configurationError = error;
    Core.getGlobalContext().register(this);
  }

  /**
   * Runs the path of a message, short of any call to DynamoDB or SQS, on the pipeline's example:
   * what SnapStart's snapshot then holds warm. No connection is opened, nothing is written, and no
   * invocation is counted (cold_start stays true for the first one). With a configuration error
   * there is nothing to prime: every invocation fails, as without priming.
   *
   * @return the writes built for the example (0: nothing primed past validation)
   */
  public int prime() {
    return processor == null ? 0 : processor.prime();
  }

  /** Before SnapStart's snapshot of the initialised function. */
  @Override
  public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
    prime();
  }

  /**
   * Nothing to refresh: priming made no client call, so the clients open their connections and
   * resolve their credentials at their first call, after the restore.
   */
  @Override
  public void afterRestore(org.crac.Context<? extends Resource> context) {}

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    InvocationFields.put(
        environment.get("POWERTOOLS_SERVICE_NAME"),
        coldStart.getAndSet(false),
        context,
        traceHeader());
    try {
      if (configurationError != null) {
        configurationError.log();
        throw configurationError;
      }
      List<QueueMessage> batch =
          event.getRecords() == null
              ? List.of()
              : event.getRecords().stream().map(SqsEventsHandler::toQueueMessage).toList();
      BatchResult result = processor.process(batch);
      return new SQSBatchResponse(
          result.failedMessageIds().stream().map(SQSBatchResponse.BatchItemFailure::new).toList());
    } finally {
      InvocationFields.remove();
    }
  }

  /** As Powertools reads it: the environment variable, else the Java 17+ runtime's property. */
  private String traceHeader() {
    String header = environment.get(InvocationFields.TRACE_HEADER_VARIABLE);
    return header != null ? header : System.getProperty(InvocationFields.TRACE_HEADER_PROPERTY);
  }

  static QueueMessage toQueueMessage(SQSEvent.SQSMessage record) {
    Map<String, String> system = record.getAttributes() == null ? Map.of() : record.getAttributes();
    return new QueueMessage(
        record.getMessageId(),
        record.getBody(),
        system.get("MessageGroupId"),
        QueueMessage.stringAttributes(
            record.getMessageAttributes(), SQSEvent.MessageAttribute::getStringValue));
  }
}
