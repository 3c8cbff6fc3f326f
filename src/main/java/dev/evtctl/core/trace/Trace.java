package dev.evtctl.core.trace;

import java.util.List;

/**
 * Everything found about an id.
 *
 * @param id what was traced
 * @param group whether the id named a session, tenant or company (one block per event)
 * @param events one timeline per event; empty when the id is known nowhere
 * @param logsSearched false when no log source was given
 * @param searched what was looked at: the log source, the queues, the table, the audit files
 * @param notes what could not be looked at, and why (a table or queue that does not exist)
 */
public record Trace(
    String id,
    boolean group,
    List<EventTrace> events,
    boolean logsSearched,
    List<String> searched,
    List<String> notes) {

  public boolean found() {
    return !events.isEmpty();
  }
}
