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
 * <pre>
 * {"time":...,"action":"sent","messageId":OLD,"newMessageId":NEW,"groupId":G,"from":DLQ,"to":Q}
 * {"time":...,"action":"deleted","messageId":OLD,"from":DLQ}
 * {"time":...,"action":"send_failed"|"delete_failed","messageId":OLD,"reason":...,"from":DLQ,"to":Q}
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

  /** A trail appended to {@code file}, or one that writes nothing when file is null. */
  static RedriveAudit open(Path file, String from, String to) throws IOException {
    if (file == null) {
      return new RedriveAudit(null, from, to);
    }
    if (file.toAbsolutePath().getParent() != null) {
      PrivateFiles.directory(file.toAbsolutePath().getParent());
    }
    // The trail holds message bodies: private to the user (0600), as an export is.
    return new RedriveAudit(
        PrivateFiles.writer(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND), from, to);
  }

  void sent(Message message, String newMessageId) {
    ObjectNode line = line("sent", message);
    line.put("newMessageId", newMessageId);
    line.put("groupId", message.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID));
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
    line.put("messageId", message.messageId());
    line.put("from", from);
    return line;
  }

  private synchronized void write(ObjectNode line) {
    if (writer == null) {
      return;
    }
    try {
      writer.write(line.toString());
      writer.newLine();
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    if (writer != null) {
      writer.close();
    }
  }
}
