package dev.evtctl.core.pipeline;

/** How a second delivery of the same business key is recognised (DESIGN.md, "Pipelines"). */
public enum DedupeRule {
  /**
   * Conditional put on the key; the same content again is a DUPLICATE, different content on the
   * same key is kept too, under the sort key plus {@code #<first 12 hex of sha256(event)>}.
   */
  CONTENT_SUFFIX("content-suffix"),
  /** An idempotency record written in the same transaction as the event. */
  IDEMPOTENCY_TABLE("idempotency-table"),
  /** Conditional put; same content is a DUPLICATE, different content a conflict (INVALID). */
  CONFLICT("conflict");

  private final String label;

  DedupeRule(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  static DedupeRule parse(String label) {
    for (DedupeRule rule : values()) {
      if (rule.label.equals(label)) {
        return rule;
      }
    }
    throw new PipelineDefinitionException(
        "dedupe rule '" + label + "' is not one of content-suffix, idempotency-table, conflict");
  }
}
