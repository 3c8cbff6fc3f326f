package dev.evtctl.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that hold event bodies are the user's alone, and evtctl's home follows $HOME. */
class PrivateFilesTest {

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  @Test
  void homeIsEvtctlHomeThenHomeThenUserHome() {
    assertThat(PrivateFiles.home(Map.of("EVTCTL_HOME", "/srv/evtctl", "HOME", "/home/a")))
        .isEqualTo(Path.of("/srv/evtctl"));
    assertThat(PrivateFiles.home(Map.of("HOME", "/home/a"))).isEqualTo(Path.of("/home/a/.evtctl"));
    assertThat(PrivateFiles.home(Map.of()))
        .isEqualTo(Path.of(System.getProperty("user.home"), ".evtctl"));
  }

  @Test
  void directoriesAre0700AndFiles0600EvenWhenTheFileExisted(@TempDir Path dir) throws IOException {
    Path nested = PrivateFiles.directory(dir.resolve("a/b"));
    assertThat(mode(dir.resolve("a"))).isEqualTo("rwx------");
    assertThat(mode(nested)).isEqualTo("rwx------");

    Path export = nested.resolve("export.ndjson");
    try (Writer out = PrivateFiles.writer(export)) {
      out.write("{\"ip_address\":\"203.0.113.7\"}\n");
    }
    assertThat(mode(export)).isEqualTo("rw-------");

    Path existing = Files.writeString(dir.resolve("old.ndjson"), "old\n");
    Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rw-r--r--"));
    try (Writer out = PrivateFiles.writer(existing)) {
      out.write("new\n");
    }
    assertThat(mode(existing)).isEqualTo("rw-------");
    assertThat(Files.readString(existing)).isEqualTo("new\n");
  }
}
