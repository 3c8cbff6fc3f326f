/**
 * What a pipeline is and what it makes of one message, before anything is written: the definition
 * (data: {@code src/main/resources/pipelines/}), its templates and value expressions, the envelope
 * it unwraps, the JSON Schemas it validates against, the checks a body must pass, and the prepared
 * event (its item and keys, or why it is invalid). The Lambda runs this part; it uses no other.
 */
package dev.evtctl.core.pipeline;
