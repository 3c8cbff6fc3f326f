package dev.evtctl.core.queue;

import java.util.ArrayList;
import java.util.List;

/**
 * SQS's batch limit, named once, and the one way a list of messages or entries is cut to it. The
 * size limit of a message and of a SendMessageBatch (1 MiB) is {@link MessageLimits#MAX_BYTES}.
 */
public final class SqsBatches {

  /**
   * SQS: at most 10 entries in a SendMessageBatch, DeleteMessageBatch or
   * ChangeMessageVisibilityBatch, and at most 10 messages a ReceiveMessage (MaxNumberOfMessages,
   * 1-10) (Amazon SQS API Reference, the actions' request parameters).
   */
  public static final int MAX_ENTRIES = 10;

  private SqsBatches() {}

  /** The list in order, cut into views of at most {@link #MAX_ENTRIES}; none for an empty list. */
  public static <T> List<List<T>> chunks(List<T> items) {
    List<List<T>> chunks = new ArrayList<>((items.size() + MAX_ENTRIES - 1) / MAX_ENTRIES);
    for (int from = 0; from < items.size(); from += MAX_ENTRIES) {
      chunks.add(items.subList(from, Math.min(from + MAX_ENTRIES, items.size())));
    }
    return chunks;
  }
}
