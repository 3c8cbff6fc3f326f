package dev.evtctl.testing;

import dev.evtctl.cli.Evtctl;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * evtctl run in a JVM of its own, on the test class path: for what only a process shows (kill -9,
 * exit codes, a detached child). Its stdout and stderr go to files, so a full pipe never stalls it.
 */
public final class EvtctlProcess {

  private EvtctlProcess() {}

  /**
   * @param output where {@code out.txt} and {@code err.txt} are written
   * @param environment added to this process's environment (EVTCTL_HOME, ...)
   */
  public static Process start(Path output, Map<String, String> environment, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Evtctl.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(output.resolve("out.txt").toFile())
            .redirectError(output.resolve("err.txt").toFile());
    builder.environment().putAll(environment);
    return builder.start();
  }
}
