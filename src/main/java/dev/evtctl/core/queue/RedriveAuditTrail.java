package dev.evtctl.core.queue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evtctl.core.stack.StackNames;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The audit trail of a redrive: one JSON line per step, written through before the next step, so
 * that after a crash the file says which messages were sent and not yet deleted.
 *
 * <p>A {@code sending} line goes before each send, so that after a crash the trail names every
 * message that may be in both queues, even one whose send was never answered.
 *
 * <pre>
 * {"time":...,"action":"started","from":DLQ,"to":Q}
 * {"time":...,"action":"sending","message_id":OLD,"from":DLQ,"to":Q}
 * {"time":...,"action":"sent","message_id":OLD,"new_message_id":NEW,"group_id":G,"from":DLQ,"to":Q}
 * {"time":...,"action":"deleted","message_id":OLD,"from":DLQ}
 * {"time":...,"action":"send_failed"|"delete_failed","message_id":OLD,"reason":...,"from":DLQ,"to":Q}
 * </pre>
 */
public final class RedriveAuditTrail implements Redrive.Listener, AutoCloseable {

  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  private final BufferedWriter writer;
  private final String from;
  private final String to;

  private RedriveAuditTrail(BufferedWriter writer, String from, String to) {
    this.writer = writer;
    this.from = from;
    this.to = to;
  }

  /** The name of a trail's file: the source queue's name and the UTC time it started. */
  public static String fileName(String fromUrl, Instant started) {
    return StackNames.queueName(fromUrl)
        + "-"
        + FILE_TIME.format(started.atOffset(ZoneOffset.UTC))
        + ".ndjson";
  }

  /** A trail that writes nothing (a dry run moves nothing). */
  public static RedriveAuditTrail none(String from, String to) {
    return new RedriveAuditTrail(null, from, to);
  }

  /**
   * A trail written to {@code writer}. Its first line is written at once: a trail that cannot be
   * written throws here, before anything moves.
   */
  public static RedriveAuditTrail start(BufferedWriter writer, String from, String to)
      throws IOException {
    RedriveAuditTrail trail = new RedriveAuditTrail(writer, from, to);
    ObjectNode started = JsonNodeFactory.instance.objectNode();
    started.put("time", Instant.now().toString());
    started.put("action", "started");
    started.put("from", from);
    started.put("to", to);
    trail.writeOrThrow(started);
    return trail;
  }

  /** About to send: after a crash, this message may be in the target as well as the DLQ. */
  @Override
  public void sending(Message message) {
    ObjectNode line = line("sending", message);
    line.put("to", to);
    write(line);
  }

  @Override
  public void sent(Message message, String newMessageId) {
    ObjectNode line = line("sent", message);
    line.put("new_message_id", newMessageId);
    line.put("group_id", message.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID));
    line.put("to", to);
    write(line);
  }

  @Override
  public void deleted(Message message) {
    write(line("deleted", message));
  }

  @Override
  public void failed(Message message, boolean sent, String reason) {
    ObjectNode line = line(sent ? "delete_failed" : "send_failed", message);
    line.put("reason", reason);
    line.put("to", to);
    write(line);
  }

  private ObjectNode line(String action, Message message) {
    ObjectNode line = JsonNodeFactory.instance.objectNode();
    line.put("time", Instant.now().toString());
    line.put("action", action);
    line.put("message_id", message.messageId());
    line.put("from", from);
    return line;
  }

  /** Writes the line through; a trail that cannot be written stops the redrive (unchecked). */
  private void write(ObjectNode line) {
    try {
      writeOrThrow(line);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "the audit trail cannot be written: "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
          e);
    }
  }

  private synchronized void writeOrThrow(ObjectNode line) throws IOException {
    if (writer == null) {
      return;
    }
    writer.write(line.toString());
    writer.newLine();
    writer.flush();
  }

  @Override
  public void close() throws IOException {
    if (writer != null) {
      writer.close();
    }
  }
}
