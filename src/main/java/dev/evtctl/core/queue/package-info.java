/**
 * The operator tools' engines on SQS: the local drainer and the visibility of the messages it
 * holds, sending in batches at a pace, dead-letter queues and their redrive, message filters, and
 * the records and limits of queue import and export. Not in the Lambda jar.
 */
package dev.evtctl.core.queue;
