package dev.evtctl.core.logs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A file of log lines, one a line (drain's --log-file, a Lambda's lines saved from CloudWatch):
 * read in its own order. A line that is not JSON is kept as text; a file that does not exist yet
 * holds no lines (a follow waits for it).
 */
public final class FileLogs implements LogSource {

  private final Path file;

  public FileLogs(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  @Override
  public List<LogLine> find(LogFilter filter) {
    List<LogLine> lines = new ArrayList<>();
    readFrom(0, filter, lines, true);
    return lines;
  }

  @Override
  public void follow(
      LogFilter filter, List<LogLine> after, Duration every, Consumer<List<LogLine>> batch)
      throws InterruptedException {
    long offset = size();
    while (true) {
      Thread.sleep(every.toMillis());
      long size = size();
      if (size < offset) {
        // truncated or replaced: read it again from the start
        offset = 0;
      }
      if (size > offset) {
        List<LogLine> lines = new ArrayList<>();
        offset = readFrom(offset, filter, lines, false);
        if (!lines.isEmpty()) {
          batch.accept(lines);
        }
      }
    }
  }

  @Override
  public String describe() {
    return "file " + file;
  }

  private long size() {
    try {
      return Files.size(file);
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Adds the matching whole lines from {@code offset} on; returns the offset after the last whole
   * line (a line still being written is read on the next look, unless {@code last} says this is the
   * last look).
   */
  private long readFrom(long offset, LogFilter filter, List<LogLine> lines, boolean last) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      in.skipNBytes(offset);
      bytes = in.readAllBytes();
    } catch (NoSuchFileException e) {
      return offset;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        add(new String(bytes, start, i - start, StandardCharsets.UTF_8), filter, lines);
        start = i + 1;
      }
    }
    if (last && start < bytes.length) {
      add(new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8), filter, lines);
      start = bytes.length;
    }
    return offset + start;
  }

  private static void add(String text, LogFilter filter, List<LogLine> lines) {
    if (text.endsWith("\r")) {
      text = text.substring(0, text.length() - 1);
    }
    if (text.isBlank()) {
      return;
    }
    LogLine line = LogLine.parse(null, null, null, text);
    if (filter.matches(line)) {
      lines.add(line);
    }
  }
}
