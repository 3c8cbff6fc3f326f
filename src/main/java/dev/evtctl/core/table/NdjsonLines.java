package dev.evtctl.core.table;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The lines of an NDJSON file, each decoded as UTF-8 on its own and strictly, so that one bad byte
 * makes one bad line, named by its number, instead of failing the whole read. Lines end with LF
 * (CRLF too); a UTF-8 byte order mark at the start is skipped, as editors on Windows write one;
 * blank lines are skipped.
 */
public final class NdjsonLines {

  /**
   * Longer than any line import takes: a 400 KB item or a 1 MiB message stays under it even with
   * every character written as a \\u escape (6 bytes). A longer line is not held in memory.
   */
  static final int MAX_LINE_BYTES = 8 * 1024 * 1024;

  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  /**
   * One line.
   *
   * @param number the line number, from 1
   * @param text the line without its line end, or null when it has a problem
   * @param problem why the line could not be read (not UTF-8, too long), or null
   */
  public record Line(int number, String text, String problem) {}

  public interface Handler {
    void accept(Line line) throws IOException;
  }

  private NdjsonLines() {}

  /** Hands each line that is not blank to the handler, in order. */
  public static void forEach(Path file, Handler handler) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder(); // reports malformed input
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      byte[] buffer = new byte[64 * 1024];
      int number = 1;
      boolean tooLong = false;
      boolean start = true;
      for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
        int from = 0;
        if (start && read > 0) {
          start = false;
          from = startsWithBom(buffer, read) ? BOM.length : 0;
        }
        for (int i = from; i < read; i++) {
          if (buffer[i] == '\n') {
            tooLong |= append(line, buffer, from, i, tooLong);
            emit(handler, utf8, number++, line, tooLong);
            line.reset();
            tooLong = false;
            from = i + 1;
          }
        }
        tooLong |= append(line, buffer, from, read, tooLong);
      }
      if (line.size() > 0 || tooLong) {
        emit(handler, utf8, number, line, tooLong);
      }
    }
  }

  private static boolean startsWithBom(byte[] buffer, int read) {
    return read >= BOM.length && buffer[0] == BOM[0] && buffer[1] == BOM[1] && buffer[2] == BOM[2];
  }

  /** Adds bytes to the line unless it is already too long; whether it is now. */
  private static boolean append(
      ByteArrayOutputStream line, byte[] buffer, int from, int to, boolean tooLong) {
    if (tooLong || line.size() + (to - from) > MAX_LINE_BYTES) {
      line.reset();
      return true;
    }
    line.write(buffer, from, to - from);
    return false;
  }

  private static void emit(
      Handler handler,
      CharsetDecoder utf8,
      int number,
      ByteArrayOutputStream bytes,
      boolean tooLong)
      throws IOException {
    if (tooLong) {
      handler.accept(
          new Line(number, null, "line is over " + MAX_LINE_BYTES / (1024 * 1024) + " MiB"));
      return;
    }
    String text;
    try {
      text = utf8.decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      handler.accept(new Line(number, null, "not UTF-8"));
      return;
    }
    if (text.endsWith("\r")) {
      text = text.substring(0, text.length() - 1);
    }
    if (!text.isBlank()) {
      handler.accept(new Line(number, text, null));
    }
  }
}
