package dev.evtctl.cli;

import dev.evtctl.local.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code --file -}: standard input, as validate and export take it. Commands that read their file
 * more than once (import checks every line before it writes any) read a copy: standard input goes
 * to a file private to the user (0600; it may hold event bodies), deleted when the JVM ends.
 */
final class InputFiles {

  private InputFiles() {}

  static boolean isStandardInput(Path file) {
    return file.toString().equals("-");
  }

  /** The file to read: {@code file} itself, or for {@code -} a copy of standard input. */
  static Path readable(Path file) throws IOException {
    if (!isStandardInput(file)) {
      return file;
    }
    Path dir = PrivateFiles.directory(Files.createTempDirectory("evtctl-stdin"));
    Path copy = PrivateFiles.create(dir.resolve("stdin"));
    Files.copy(System.in, copy, StandardCopyOption.REPLACE_EXISTING);
    copy.toFile().deleteOnExit();
    dir.toFile().deleteOnExit();
    return copy;
  }
}
