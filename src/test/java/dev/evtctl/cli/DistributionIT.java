package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive, target/distributions/evtctl-VERSION.zip (src/assembly/dist.xml), as a user
 * or a package manager unpacks it: bin/evtctl runs lib/evtctl.jar, also through a symlink (how
 * Homebrew and ~/bin links call it), and share/ holds a man page for every command and the shell
 * completions.
 */
class DistributionIT {

  private static String version;
  private static Path home;

  @BeforeAll
  static void unpack(@TempDir Path dir) throws IOException {
    Properties properties = new Properties();
    try (InputStream in =
        DistributionIT.class.getClassLoader().getResourceAsStream("evtctl-version.properties")) {
      properties.load(in);
    }
    version = properties.getProperty("version");
    Path zip = Path.of("target/distributions/evtctl-" + version + ".zip");
    assertThat(zip).exists();
    // The JDK's zip file system reads the Unix permissions the archive stores.
    try (FileSystem archive =
        FileSystems.newFileSystem(
            URI.create("jar:" + zip.toAbsolutePath().toUri()),
            Map.of("enablePosixFileAttributes", "true"))) {
      Path root = archive.getPath("/");
      try (Stream<Path> entries = Files.walk(root)) {
        for (Path entry : entries.toList()) {
          Path target = dir.resolve(root.relativize(entry).toString());
          if (Files.isDirectory(entry)) {
            Files.createDirectories(target);
          } else {
            Files.copy(entry, target);
            Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(entry));
          }
        }
      }
    }
    home = dir.resolve("evtctl-" + version);
  }

  @Test
  void binEvtctlRunsTheJarThroughASymlink(@TempDir Path elsewhere) throws Exception {
    Path launcher = home.resolve("bin/evtctl");
    assertThat(Files.getPosixFilePermissions(launcher))
        .contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
    assertThat(home.resolve("lib/evtctl.jar")).hasSameBinaryContentAs(Path.of("target/evtctl.jar"));
    Path link = Files.createSymbolicLink(elsewhere.resolve("evtctl"), launcher);

    Run versionRun = run(elsewhere, link.toString(), "--version");
    assertThat(versionRun.exit).isZero();
    assertThat(versionRun.out).startsWith("evtctl " + version + "\n");

    Run validate =
        run(
            elsewhere,
            link.toString(),
            "validate",
            "-p",
            "txma",
            Path.of("samples/txma.ndjson").toAbsolutePath().toString());
    assertThat(validate.exit).as(validate.out).isZero();
  }

  @Test
  void shareHoldsAManPageForEveryCommandAndTheCompletions() throws IOException {
    Assumptions.assumeFalse(
        Boolean.getBoolean("evtctl.man.skip"), "built with -Dman.skip=true: no man pages");
    Path man1 = home.resolve("share/man/man1");
    for (String page : ManPagesTest.commandsByPageName().keySet()) {
      Path file = man1.resolve(page + ".1");
      assertThat(file).exists();
      String troff = Files.readString(file, StandardCharsets.UTF_8);
      assertThat(troff)
          .as(page)
          .contains(".TH \"" + page.toUpperCase().replace("-", "\\-") + "\" \"1\"")
          .contains("\"evtctl " + version.replace("-", "\\-") + "\"")
          .contains(".SH \"SYNOPSIS\"")
          .contains(".SH \"OPTIONS\"");
    }
    try (Stream<Path> pages = Files.list(man1)) {
      assertThat(pages).hasSize(ManPagesTest.commandsByPageName().size());
    }
    assertThat(home.resolve("share/bash-completion/completions/evtctl"))
        .hasSameTextualContentAs(Path.of("completions/evtctl.bash"));
    assertThat(home.resolve("share/zsh/site-functions/_evtctl"))
        .hasSameTextualContentAs(Path.of("completions/_evtctl"));
  }

  private record Run(int exit, String out) {}

  private static Run run(Path directory, String... command) throws Exception {
    List<String> line = new ArrayList<>(List.of(command));
    ProcessBuilder builder = new ProcessBuilder(line).directory(directory.toFile());
    builder.redirectErrorStream(true);
    // The java of this JVM, as a user's JAVA_HOME.
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), out);
  }
}
