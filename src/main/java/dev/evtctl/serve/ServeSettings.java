package dev.evtctl.serve;

/**
 * What serve answers from.
 *
 * @param bind the address to listen on (loopback unless the user says otherwise)
 * @param port the port, 0 for any free one
 * @param eventsTable the txma events table the Events API queries, or null when none was named
 * @param messagesQueue the messages pipeline's buffer queue (name or URL) for POST /messages, or
 *     null
 * @param messagesTable the messages pipeline's table for GET /messages, or null
 * @param token the console's token: every state-changing request from a browser carries it
 * @param auditDirectory where the console's redrives write their audit trails (and where its trace
 *     reads them), or null for none
 * @param auditWriter how a trail's file there is opened, private to the user (it holds bodies)
 * @param traceLogs the log lines the console's trace searches, or null for none
 */
public record ServeSettings(
    String bind,
    int port,
    String eventsTable,
    String messagesQueue,
    String messagesTable,
    String token,
    java.nio.file.Path auditDirectory,
    AuditWriter auditWriter,
    dev.evtctl.core.trace.TraceLogs traceLogs) {

  /** Opens a new file for appending, readable by the user only. */
  @FunctionalInterface
  public interface AuditWriter {
    java.io.BufferedWriter open(java.nio.file.Path file) throws java.io.IOException;
  }

  /** Settings without redrive audit trails. */
  public ServeSettings(
      String bind,
      int port,
      String eventsTable,
      String messagesQueue,
      String messagesTable,
      String token) {
    this(bind, port, eventsTable, messagesQueue, messagesTable, token, null, null, null);
  }

  /**
   * The tables serve was started with, by the pipeline whose items they hold (the Events API's txma
   * table, /messages' table): data the console looks up, not a branch on a name.
   */
  public java.util.Map<String, String> tablesByPipeline() {
    java.util.Map<String, String> tables = new java.util.HashMap<>();
    if (eventsTable != null) {
      tables.put("txma", eventsTable);
    }
    if (messagesTable != null) {
      tables.put("messages", messagesTable);
    }
    return tables;
  }
}
