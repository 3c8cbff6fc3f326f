package dev.evtctl.core.stack;

import dev.evtctl.core.pipeline.InvalidSettingException;
import java.net.URI;

/**
 * The names of a stack's resources (DESIGN.md, "CLI contract"): queue {@code N} ({@code N.fifo}),
 * dead-letter queue {@code N-dlq} ({@code N-dlq.fifo}), table {@code N-events} and, for pipelines
 * with an idempotency table, {@code N-idempotency}. The deploy template creates the same names.
 */
public record StackNames(String name, boolean fifo) {

  private static final String FIFO_SUFFIX = ".fifo";

  public StackNames {
    if (name == null || name.isBlank()) {
      throw new InvalidSettingException("a stack needs a name");
    }
    if (name.endsWith(FIFO_SUFFIX)) {
      name = name.substring(0, name.length() - FIFO_SUFFIX.length());
      fifo = true;
    }
    // SQS queue names: 1-80 characters, alphanumerics, hyphens and underscores, .fifo included.
    if (!name.matches("[A-Za-z0-9_-]{1,70}")) {
      throw new InvalidSettingException(
          "stack name '" + name + "' must be 1-70 letters, digits, '-' or '_'");
    }
  }

  /** The stack a queue belongs to, from its name or URL ({@code N}, {@code N.fifo}). */
  public static StackNames fromQueue(String queue) {
    String name = queueName(queue);
    if (name.endsWith("-dlq") || name.endsWith("-dlq" + FIFO_SUFFIX)) {
      name = name.replace("-dlq", "");
    }
    return new StackNames(name, name.endsWith(FIFO_SUFFIX));
  }

  /** A queue's name, whether given by name or by URL. */
  public static String queueName(String queue) {
    if (queue.startsWith("http://") || queue.startsWith("https://")) {
      String path = URI.create(queue).getPath();
      return path.substring(path.lastIndexOf('/') + 1);
    }
    return queue;
  }

  public String queue() {
    return fifo ? name + FIFO_SUFFIX : name;
  }

  public String deadLetterQueue() {
    return fifo ? name + "-dlq" + FIFO_SUFFIX : name + "-dlq";
  }

  public String eventsTable() {
    return name + "-events";
  }

  public String idempotencyTable() {
    return name + "-idempotency";
  }
}
