package dev.evtctl.core.processing;

import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.pipeline.PreparedEvent;
import dev.evtctl.core.pipeline.QueueMessage;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * One message to one outcome: prepare, write with dedupe, and for INVALID events run the invalid
 * policy. Thread-safe; a {@link BatchProcessor} calls it from many threads.
 */
public final class MessageProcessor {

  /** The message attribute that carries why an event was sent to the DLQ. */
  public static final String INVALID_REASON_ATTRIBUTE = "evtctl-invalid-reason";

  // SQS: at most 10 message attributes per message.
  private static final int MAX_MESSAGE_ATTRIBUTES = 10;

  private final ProcessorSettings settings;
  private final Pipeline pipeline;
  private final EventStore store;
  private final SqsClient sqs;
  private final Clock clock;

  public MessageProcessor(
      ProcessorSettings settings, DynamoDbClient dynamoDb, SqsClient sqs, Clock clock) {
    this.settings = settings;
    this.pipeline = settings.pipeline();
    this.store =
        new EventStore(dynamoDb, pipeline, settings.eventsTable(), settings.idempotencyTable());
    this.sqs = sqs;
    this.clock = clock;
  }

  /**
   * The outcome of one message.
   *
   * @throws BackendConfigurationException when the backend refuses the pipeline itself
   */
  public MessageResult process(QueueMessage message) {
    return process(prepare(message));
  }

  /** A message checked and its item built, at a moment, before anything is written. */
  public record Prepared(QueueMessage message, PreparedEvent event, Instant now) {

    /**
     * What messages of one batch contend for: the key of the event's item, or the message itself
     * when its event is not valid (an invalid record is keyed by its message).
     */
    public Object contended(Pipeline pipeline) {
      return event instanceof PreparedEvent.Valid valid
          ? pipeline.keyOf(valid.item())
          : message.messageId();
    }
  }

  public Prepared prepare(QueueMessage message) {
    Instant now = clock.instant();
    return new Prepared(message, pipeline.prepare(message, now), now);
  }

  /**
   * The path {@link #process} takes, short of any client call: the message parsed, validated and
   * keyed, and its event's conditional writes built. For priming before a SnapStart snapshot, which
   * must open no connection.
   *
   * @return the writes that would persist the event; none when it is invalid
   */
  public List<TransactWriteItem> prime(QueueMessage message) {
    Prepared prepared = prepare(message);
    return prepared.event() instanceof PreparedEvent.Valid valid
        ? store.firstWrites(valid, prepared.now())
        : List.of();
  }

  /**
   * The outcome of one prepared message.
   *
   * @throws BackendConfigurationException when the backend refuses the pipeline itself
   */
  public MessageResult process(Prepared prepared) {
    if (prepared.event() instanceof PreparedEvent.Invalid invalid) {
      return applyInvalidPolicy(prepared.message(), invalid, prepared.now());
    }
    return write(prepared.message(), (PreparedEvent.Valid) prepared.event(), prepared.now());
  }

  /**
   * The outcomes of up to ten messages of a standard queue, in order: their valid events written
   * together where they can be ({@link WriteMode#TRANSACTION}), every other message as {@link
   * #process} does it. The outcomes are the same as {@link #process} gives each message.
   *
   * @throws BackendConfigurationException when the backend refuses the pipeline itself
   */
  public List<MessageResult> processTogether(List<QueueMessage> messages) {
    Instant now = clock.instant();
    List<PreparedEvent> prepared = new ArrayList<>(messages.size());
    List<PreparedEvent.Valid> valid = new ArrayList<>();
    for (QueueMessage message : messages) {
      PreparedEvent event = pipeline.prepare(message, now);
      prepared.add(event);
      if (event instanceof PreparedEvent.Valid ready) {
        valid.add(ready);
      }
    }
    Set<PreparedEvent.Valid> written = store.writeTogether(valid, now);
    List<MessageResult> results = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      QueueMessage message = messages.get(i);
      PreparedEvent event = prepared.get(i);
      if (event instanceof PreparedEvent.Invalid invalid) {
        results.add(applyInvalidPolicy(message, invalid, now));
      } else if (written.contains(event)) {
        results.add(persisted(message, (PreparedEvent.Valid) event));
      } else {
        results.add(write(message, (PreparedEvent.Valid) event, now));
      }
    }
    return results;
  }

  private MessageResult write(QueueMessage message, PreparedEvent.Valid event, Instant now) {
    EventStore.Written written;
    try {
      written = store.write(event, now);
    } catch (SdkException e) {
      switch (BackendErrors.classify(e)) {
        case CONFIGURATION:
          throw configurationFailure(e);
        case REJECTED:
          return applyInvalidPolicy(
              message,
              new PreparedEvent.Invalid(
                  "DynamoDB rejected the item: " + BackendErrors.describe(e),
                  event.event(),
                  event.eventText(),
                  event.logIds()),
              now);
        default:
          String reason =
              "writing to " + settings.eventsTable() + " failed: " + BackendErrors.describe(e);
          log(Level.ERROR, LogCode.ERROR_WRITING_EVENT_TO_EVENTS_TABLE, message, event.logIds())
              .addKeyValue("reason", reason)
              .log("Error writing event to events table; the message goes back to the queue");
          return new MessageResult(message.messageId(), Outcome.RETRY, reason);
      }
    }
    switch (written.outcome()) {
      case PERSISTED:
        return persisted(message, event);
      case DUPLICATE:
        log(Level.INFO, LogCode.DUPLICATE_EVENT, message, event.logIds())
            .log("Event already stored with the same content; message acknowledged");
        return MessageResult.duplicate(message.messageId());
      default:
        return applyInvalidPolicy(
            message,
            new PreparedEvent.Invalid(
                written.reason(), event.event(), event.eventText(), event.logIds()),
            now);
    }
  }

  private MessageResult persisted(QueueMessage message, PreparedEvent.Valid event) {
    LoggingEventBuilder line = log(Level.DEBUG, LogCode.EVENT_PERSISTED, message, event.logIds());
    if (EventLog.bodiesEnabled()) {
      line = line.addKeyValue("body", message.body());
    }
    line.log("Event persisted");
    return MessageResult.persisted(message.messageId());
  }

  private MessageResult applyInvalidPolicy(
      QueueMessage message, PreparedEvent.Invalid invalid, Instant now) {
    LoggingEventBuilder line =
        log(Level.WARN, LogCode.INVALID_EVENT, message, invalid.logIds())
            .addKeyValue("reason", invalid.reason())
            .addKeyValue("invalidPolicy", settings.invalidPolicy().label());
    if (EventLog.bodiesEnabled()) {
      line = line.addKeyValue("body", message.body());
    }
    line.log("Invalid event");
    try {
      switch (settings.invalidPolicy()) {
        case RECORD:
          store.recordInvalid(message, invalid, now);
          log(Level.DEBUG, LogCode.INVALID_EVENT_RECORDED, message, invalid.logIds())
              .log("Invalid event recorded in the events table");
          break;
        case DLQ:
          sendToDeadLetterQueue(message, invalid.reason());
          log(Level.INFO, LogCode.INVALID_EVENT_SENT_TO_DLQ, message, invalid.logIds())
              .log("Invalid event sent to the dead-letter queue");
          break;
        default:
          break;
      }
    } catch (SdkException e) {
      if (BackendErrors.classify(e) == BackendErrors.Failure.CONFIGURATION) {
        throw configurationFailure(e);
      }
      // The invalid event could not be kept as the policy says: never acknowledge it unkept.
      String reason =
          "invalid ("
              + invalid.reason()
              + ") and the "
              + settings.invalidPolicy().label()
              + " policy failed: "
              + BackendErrors.describe(e);
      log(Level.ERROR, LogCode.FAILED_TO_PROCESS_MESSAGES, message, invalid.logIds())
          .addKeyValue("reason", reason)
          .log("Invalid policy failed; the message goes back to the queue");
      return new MessageResult(message.messageId(), Outcome.RETRY, reason);
    }
    return new MessageResult(message.messageId(), Outcome.INVALID, invalid.reason());
  }

  private void sendToDeadLetterQueue(QueueMessage message, String reason) {
    Map<String, MessageAttributeValue> attributes = new HashMap<>();
    message
        .attributes()
        .forEach(
            (name, value) ->
                attributes.put(
                    name,
                    MessageAttributeValue.builder().dataType("String").stringValue(value).build()));
    if (attributes.size() < MAX_MESSAGE_ATTRIBUTES) {
      attributes.put(
          INVALID_REASON_ATTRIBUTE,
          MessageAttributeValue.builder().dataType("String").stringValue(reason).build());
    }
    SendMessageRequest.Builder request =
        SendMessageRequest.builder()
            .queueUrl(settings.dlqUrl())
            .messageBody(
                message.body() == null || message.body().isEmpty()
                    ? "(empty body)"
                    : message.body())
            .messageAttributes(attributes);
    if (message.messageGroupId() != null) {
      request.messageGroupId(message.messageGroupId()).messageDeduplicationId(message.messageId());
    }
    sqs.sendMessage(request.build());
  }

  private BackendConfigurationException configurationFailure(SdkException e) {
    return new BackendConfigurationException(
        "pipeline "
            + pipeline.name()
            + " cannot write to its tables ("
            + settings.eventsTable()
            + "): "
            + BackendErrors.describe(e),
        e);
  }

  private LoggingEventBuilder log(
      Level level, LogCode code, QueueMessage message, Map<String, String> ids) {
    return EventLog.withIds(
        EventLog.at(level, code, pipeline.name()).addKeyValue("messageId", message.messageId()),
        ids);
  }
}
