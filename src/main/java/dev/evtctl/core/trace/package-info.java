/**
 * The engine of {@code evtctl trace}: everything evtctl can find about one message, event, session
 * or tenant, put in one timeline per event: the log lines about it ({@link TraceLogs}), the queue
 * and dead-letter queue (peeked, given back at once), the redrive audit trails, and the events
 * table. Not in the Lambda jar.
 */
package dev.evtctl.core.trace;
