/**
 * What happens to a batch of messages: each message processed in its own try/catch, written by the
 * pipeline's write mode and dedupe rule, with an explicit {@link Outcome}, and one structured log
 * line per outcome. The Lambda runs this part over {@code pipeline}; {@code drain} runs the same
 * code.
 */
package dev.evtctl.core.processing;
