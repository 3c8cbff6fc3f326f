package dev.evtctl.testing;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Real SQS event JSON from src/test/resources/events/, read as the Lambda runtime reads it. */
public final class Fixtures {

  private Fixtures() {}

  /** An SQS event of these records, as the Lambda runtime hands a batch to the handler. */
  public static SQSEvent sqsEvent(List<SQSEvent.SQSMessage> records) {
    SQSEvent event = new SQSEvent();
    event.setRecords(new ArrayList<>(records));
    return event;
  }

  /** One SQS record of a standard queue, received for the first time. */
  public static SQSEvent.SQSMessage record(String messageId, String body) {
    return record(messageId, body, Map.of("ApproximateReceiveCount", "1"));
  }

  /** One SQS record with these system attributes (MessageGroupId for FIFO). */
  public static SQSEvent.SQSMessage record(
      String messageId, String body, Map<String, String> attributes) {
    SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
    message.setMessageId(messageId);
    message.setBody(body);
    message.setAttributes(attributes);
    return message;
  }

  public static SQSEvent sqsEvent(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/events/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture events/" + name);
      }
      return LambdaEventSerializers.serializerFor(SQSEvent.class, Fixtures.class.getClassLoader())
          .fromJson(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
