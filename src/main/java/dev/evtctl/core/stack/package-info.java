/**
 * A pipeline's stack: the names of its queues and tables, the table layouts to create, and the test
 * events seed generates. Not in the Lambda jar.
 */
package dev.evtctl.core.stack;
