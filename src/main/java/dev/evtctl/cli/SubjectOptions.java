package dev.evtctl.cli;

import dev.evtctl.core.table.EventQuery;
import java.time.Instant;
import picocli.CommandLine.Option;

/**
 * Whose events: a session (txma), a tenant (ledger) or a company (messages). The options of an
 * {@code @ArgGroup}, declared once: {@code replay} takes exactly one of them, {@code events} any of
 * them beside --status ({@link EventsCommand.Which}), {@code export} any of them beside --table
 * ({@link ExportCommand.TableSource}).
 */
class SubjectOptions {

  @Option(names = "--session", paramLabel = "S", description = "Session id (txma).")
  String session;

  @Option(
      names = "--tenant",
      paramLabel = "T",
      description = "Tenant or client id (ledger, clients).")
  String tenant;

  @Option(names = "--company", paramLabel = "C", description = "Company id (messages).")
  String company;

  /** The events of this subject, narrowed by the rest (each null or 0 for none). */
  EventQuery.Selector selector(
      String status, String eventName, Instant since, Instant until, int limit) {
    return new EventQuery.Selector(
        session, tenant, company, status, eventName, since, until, limit);
  }

  /** The subject's id: the FIFO message group of events that carry none of their own. */
  String id() {
    return session != null ? session : tenant != null ? tenant : company;
  }
}
