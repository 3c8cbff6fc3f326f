package dev.evtctl.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evtctl.local.PrivateFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
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
final class RedriveAudit implements AutoCloseable {

  private final BufferedWriter writer;
  private final String from;
  private final String to;

  private RedriveAudit(BufferedWriter writer, String from, String to) {
    this.writer = writer;
    this.from = from;
    this.to = to;
  }

  /**
   * A trail appended to {@code file}, or one that writes nothing when file is null. Its first line
   * is written at once: a trail that cannot be written is a usage error before anything moves.
   */
  static RedriveAudit open(Path file, String from, String to) {
    if (file == null) {
      return new RedriveAudit(null, from, to);
    }
    RedriveAudit trail;
    try {
      if (file.toAbsolutePath().getParent() != null) {
        PrivateFiles.directory(file.toAbsolutePath().getParent());
      }
      // The trail holds message bodies: private to the user (0600), as an export is.
      trail =
          new RedriveAudit(
              PrivateFiles.writer(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND),
              from,
              to);
      ObjectNode started = JsonNodeFactory.instance.objectNode();
      started.put("time", Instant.now().toString());
      started.put("action", "started");
      started.put("from", from);
      started.put("to", to);
      trail.writeOrThrow(started);
    } catch (IOException e) {
      throw new CommandFailedException(
          ExitCode.USAGE, "--audit-file: cannot write " + file + ": " + ErrorHandler.reason(e));
    }
    return trail;
  }

  /** About to send: after a crash, this message may be in the target as well as the DLQ. */
  void sending(Message message) {
    ObjectNode line = line("sending", message);
    line.put("to", to);
    write(line);
  }

  void sent(Message message, String newMessageId) {
    ObjectNode line = line("sent", message);
    line.put("new_message_id", newMessageId);
    line.put("group_id", message.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID));
    line.put("to", to);
    write(line);
  }

  void deleted(Message message) {
    write(line("deleted", message));
  }

  void failed(Message message, boolean sent, String reason) {
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
          "the audit trail cannot be written: " + ErrorHandler.reason(e), e);
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
