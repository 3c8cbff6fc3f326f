/**
 * The structured log lines drain and the Lambda write, read back: a filter over their keys (which
 * is also a CloudWatch Logs JSON filter pattern), and the sources that find lines (a file of JSON
 * lines, a CloudWatch Logs group). Not in the Lambda jar.
 */
package dev.evtctl.core.logs;
