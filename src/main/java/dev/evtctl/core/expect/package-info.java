/**
 * What {@code assert} and {@code events --expect} check: an expectations file, the expectations in
 * it, the field matchers they use, and the assertions that wait for them. Usable from a JUnit test
 * of another project. Not in the Lambda jar.
 */
package dev.evtctl.core.expect;
