package dev.evtctl.core.trace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.evtctl.core.pipeline.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The log lines of a file that {@code drain --log-file} (or anything writing the same JSON lines)
 * wrote. A line that is not a JSON object is skipped: trace reads ids, and such a line has none.
 */
public final class LogFileLines implements TraceLogs {

  private final Path file;

  public LogFileLines(Path file) {
    this.file = file;
  }

  @Override
  public List<JsonNode> linesAbout(Set<String> ids) {
    List<JsonNode> lines = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String text = reader.readLine(); text != null; text = reader.readLine()) {
        JsonNode line = parse(text);
        if (line != null && TraceLogs.isAbout(line, ids)) {
          lines.add(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the log file " + file + ": " + e.getMessage(), e);
    }
    return lines;
  }

  @Override
  public String source() {
    return file.toString();
  }

  private static JsonNode parse(String text) {
    if (text.isBlank() || text.charAt(0) != '{') {
      return null;
    }
    try {
      JsonNode node = Json.readTree(text);
      return node.isObject() ? node : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
