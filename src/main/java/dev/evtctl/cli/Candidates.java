package dev.evtctl.cli;

import dev.evtctl.core.pipeline.SchemaCatalog;
import java.util.Iterator;
import java.util.List;

/**
 * The values shell completion offers where an option takes a name, in the case the docs use:
 * generated into the completion scripts with the rest of the command model.
 */
final class Candidates {

  private Candidates() {}

  /** The built-in pipelines (-p). */
  static final class Pipelines implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return dev.evtctl.core.pipeline.Pipelines.BUILT_IN.iterator();
    }
  }

  /** The statuses the built-in pipelines store (events --status). */
  static final class Statuses implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return List.of("INVALID", "READY", "Processed", "Invalid").iterator();
    }
  }

  /** The write modes (drain --write-mode), lower-case as the docs write them. */
  static final class WriteModes implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return java.util.Arrays.stream(dev.evtctl.core.processing.WriteMode.values())
          .map(mode -> mode.name().toLowerCase(java.util.Locale.ROOT))
          .iterator();
    }
  }

  /** The built-in schemas (schemas show). */
  static final class Schemas implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return SchemaCatalog.BUILT_IN.iterator();
    }
  }
}
