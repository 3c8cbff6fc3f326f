package dev.evtctl.core.queue;

import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.processing.EventLog;
import dev.evtctl.core.processing.LogCode;
import dev.evtctl.core.stack.StackNames;
import java.util.List;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The MESSAGE_SENT line of every message seed, import or replay sent: the first step of an event's
 * trace. It carries the messageId SQS gave, the queue and the event's log ids, never the body.
 */
public final class SendLog {

  private SendLog() {}

  /**
   * @param sender the command that sent them (seed, import, replay)
   * @param bodies the bodies sent, by position
   * @param result what {@link BatchSender#sendAll} made of them
   */
  public static void sent(
      Pipeline pipeline,
      String sender,
      String queueUrl,
      List<String> bodies,
      BatchSender.Result result) {
    if (!EventLog.enabled(Level.INFO)) {
      return;
    }
    String queue = StackNames.queueName(queueUrl);
    result
        .sent()
        .forEach(
            (position, messageId) -> {
              LoggingEventBuilder line =
                  EventLog.at(Level.INFO, LogCode.MESSAGE_SENT, pipeline.name())
                      .addKeyValue("messageId", messageId)
                      .addKeyValue("queue", queue)
                      .addKeyValue("sender", sender);
              pipeline.logIds(bodies.get(Integer.parseInt(position))).forEach(line::addKeyValue);
              line.log("message sent");
            });
  }
}
