package dev.evtctl.core.trace;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evtctl.core.logs.LogFilter;
import dev.evtctl.core.logs.LogLine;
import dev.evtctl.core.logs.LogSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The log lines of any source {@code logs} reads (a file, a CloudWatch Logs group, the local
 * stack's file), read once and kept: trace asks again as it learns new messageIds, and a second
 * read of a log group would cost another walk over every page. A line that is not a JSON object is
 * left out: trace reads ids, and such a line has none.
 */
public final class SourceLines implements TraceLogs {

  private final LogSource source;
  private List<JsonNode> lines;

  public SourceLines(LogSource source) {
    this.source = source;
  }

  @Override
  public List<JsonNode> linesAbout(Set<String> ids) {
    if (lines == null) {
      lines = new ArrayList<>();
      for (LogLine line : source.find(LogFilter.ALL)) {
        if (line.json() != null && line.json().isObject()) {
          lines.add(line.json());
        }
      }
    }
    return lines.stream().filter(line -> TraceLogs.isAbout(line, ids)).toList();
  }

  @Override
  public String source() {
    return source.describe();
  }
}
