package dev.evtctl.local;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * Where evtctl keeps what belongs to one user, and how files that hold event bodies are made:
 * directories 0700, files 0600, as awscli does for ~/.aws/credentials. The home is {@code
 * $EVTCTL_HOME}, else {@code $HOME/.evtctl} (as the AWS SDK finds ~/.aws), else Java's user.home.
 * On a file system without POSIX permissions the files are made as they would be otherwise.
 */
public final class PrivateFiles {

  private static final Set<PosixFilePermission> OWNER_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIRECTORY =
      PosixFilePermissions.fromString("rwx------");

  private PrivateFiles() {}

  /** evtctl's home for this user: state files, logs, redrive audit trails. */
  public static Path home() {
    return home(System.getenv());
  }

  static Path home(Map<String, String> env) {
    String evtctl = env.get("EVTCTL_HOME");
    if (evtctl != null && !evtctl.isBlank()) {
      return Path.of(evtctl);
    }
    String home = env.get("HOME");
    return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"))
        .resolve(".evtctl");
  }

  /** Creates the directory (and missing parents) private to the user; an existing one is kept. */
  public static Path directory(Path dir) throws IOException {
    Path absolute = dir.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      return dir;
    }
    Path parent = absolute.getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      directory(parent);
    }
    try {
      if (posix(parent)) {
        Files.createDirectory(absolute, attribute(OWNER_DIRECTORY));
      } else {
        Files.createDirectory(absolute);
      }
    } catch (FileAlreadyExistsException e) {
      // made meanwhile by another process
    }
    return dir;
  }

  /** A new or emptied file only the user can read, for text that may hold event bodies. */
  public static BufferedWriter writer(Path file, StandardOpenOption... options) throws IOException {
    create(file);
    return Files.newBufferedWriter(
        file,
        StandardCharsets.UTF_8,
        options.length == 0
            ? new StandardOpenOption[] {
              StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING
            }
            : options);
  }

  /** Makes the file, 0600, unless it exists; an existing one is narrowed to 0600. */
  public static Path create(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    boolean posix = posix(parent);
    try {
      if (posix) {
        Files.createFile(file, attribute(OWNER_FILE));
      } else {
        Files.createFile(file);
      }
    } catch (FileAlreadyExistsException e) {
      if (posix && Files.isRegularFile(file)) {
        Files.setPosixFilePermissions(file, OWNER_FILE);
      }
    }
    return file;
  }

  private static boolean posix(Path dir) {
    return dir != null
        && Files.exists(dir)
        && dir.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static FileAttribute<Set<PosixFilePermission>> attribute(
      Set<PosixFilePermission> permissions) {
    return PosixFilePermissions.asFileAttribute(permissions);
  }
}
