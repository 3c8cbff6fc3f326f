/**
 * The operator tools' engines on DynamoDB: looking stored events up by a pipeline's read layout,
 * replaying them, INVALID records, DynamoDB JSON, writing imported items in batches, and the checks
 * DynamoDB would make of an item's key and size. Not in the Lambda jar.
 */
package dev.evtctl.core.table;
