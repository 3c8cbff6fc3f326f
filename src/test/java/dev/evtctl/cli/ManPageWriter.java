package dev.evtctl.cli;

import java.io.File;
import java.io.IOException;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Writes the AsciiDoc man pages of the whole command tree: run by the build (exec-maven-plugin,
 * prepare-package) with the output directory as its argument. picocli's own ManPageGenerator main
 * takes a class and builds its model from the annotation, which does not list evtctl's subcommands
 * ({@link Evtctl#commandLine()} adds them).
 */
public final class ManPageWriter {

  private ManPageWriter() {}

  public static void main(String... args) throws IOException {
    System.exit(write(new File(args[0])));
  }

  /** Writes one page per command and subcommand; returns ManPageGenerator's exit code. */
  static int write(File outdir) throws IOException {
    return ManPageGenerator.generateManPage(
        outdir, null, new boolean[0], false, Evtctl.commandLine().getCommandSpec());
  }
}
