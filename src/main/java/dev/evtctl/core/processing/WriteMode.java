package dev.evtctl.core.processing;

import dev.evtctl.core.pipeline.InvalidSettingException;
import java.util.Locale;

/**
 * How the valid events of a batch are written. Both give every message the same outcome and leave
 * the same items (WriteModeTest); they differ in requests and cost.
 */
public enum WriteMode {
  /** One conditional write per event: one request each, 1 WCU per item on DynamoDB. */
  ITEM,
  /**
   * The conditional writes of up to ten events of a standard queue in one TransactWriteItems
   * request; an event whose condition fails, or whose key is already in the request, then goes
   * through the {@link #ITEM} path. Fewer requests, but a transactional write costs 2 WCU per item
   * on DynamoDB. FIFO queues keep {@link #ITEM}.
   */
  TRANSACTION;

  public static WriteMode parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException(
          "write mode '" + value + "' is not one of item, transaction");
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
