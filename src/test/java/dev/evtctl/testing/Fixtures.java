package dev.evtctl.testing;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Real SQS event JSON from src/test/resources/events/, read as the Lambda runtime reads it. */
public final class Fixtures {

  private Fixtures() {}

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
