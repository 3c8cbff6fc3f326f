package dev.evtctl.core.logs;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** Where log lines are read from: a file, a CloudWatch Logs group. */
public interface LogSource {

  /** Every line the filter matches, oldest first (a file in its own order). */
  List<LogLine> find(LogFilter filter);

  /**
   * The lines the filter matches that come after {@code find}, handed over as they arrive, batch by
   * batch, until the thread is interrupted.
   *
   * @param after the lines already seen (what {@code find} returned): none of them again
   * @param every how long to wait between two looks
   * @throws InterruptedException when the thread is interrupted: the end of a follow
   */
  void follow(LogFilter filter, List<LogLine> after, Duration every, Consumer<List<LogLine>> batch)
      throws InterruptedException;

  /** What the source is, for messages: "file F", "log group G". */
  String describe();
}
