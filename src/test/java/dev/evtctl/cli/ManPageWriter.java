package dev.evtctl.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Writes the AsciiDoc man pages of the whole command tree: run by the build (exec-maven-plugin,
 * prepare-package) with the output directory as its argument. picocli's own ManPageGenerator main
 * takes a class and builds its model from the annotation, which does not list evtctl's subcommands
 * ({@link Evtctl#commandLine()} adds them).
 *
 * <p>Each page is ManPageGenerator's, with ENVIRONMENT and FILES sections ({@link ManPageSections})
 * put before its last section, the EXAMPLES of the command's footer.
 */
public final class ManPageWriter {

  /** Where ManPageGenerator starts the footer section (the command's examples). */
  static final String FOOTER_TAG = "// tag::picocli-generated-man-section-footer[]";

  /** picocli's built-in help command has no footer of its own. */
  static final String[] HELP_EXAMPLES = {
    "  Usage help of a command, as evtctl COMMAND --help prints it:", "    evtctl help drain"
  };

  private ManPageWriter() {}

  public static void main(String... args) throws IOException {
    System.exit(write(new File(args[0])));
  }

  /** Writes one page per command and subcommand; returns 0, or ManPageGenerator's exit code. */
  static int write(File outdir) throws IOException {
    if (!outdir.isDirectory() && !outdir.mkdirs()) {
      System.err.println("Unable to mkdirs for " + outdir.getAbsolutePath());
      return CommandLine.ExitCode.SOFTWARE;
    }
    List<CommandLine> commands = tree(Evtctl.commandLine());
    List<CommandLine> uninterpolated = tree(Evtctl.commandLine());
    for (int i = 0; i < commands.size(); i++) {
      CommandSpec spec = commands.get(i).getCommandSpec();
      if (spec.usageMessage().hidden()) {
        continue;
      }
      CommandSpec raw = uninterpolated.get(i).getCommandSpec();
      raw.interpolateVariables(false);
      if (spec.userObject() instanceof CommandLine.HelpCommand) {
        spec.usageMessage().footerHeading("%nExamples:%n").footer(HELP_EXAMPLES);
      }
      String name = spec.qualifiedName("-");
      StringWriter page = new StringWriter();
      try (PrintWriter writer = new PrintWriter(page)) {
        ManPageGenerator.writeSingleManPage(writer, spec);
      }
      String text = page.toString();
      int footer = text.indexOf(FOOTER_TAG);
      if (footer < 0) {
        System.err.println(name + ": ManPageGenerator wrote no footer section");
        return CommandLine.ExitCode.SOFTWARE;
      }
      text =
          text.substring(0, footer)
              + ManPageSections.render(name, spec, raw)
              + text.substring(footer);
      Files.writeString(new File(outdir, name + ".adoc").toPath(), text, StandardCharsets.UTF_8);
    }
    return CommandLine.ExitCode.OK;
  }

  /** The command and all its subcommands, depth first, in the order --help lists them. */
  static List<CommandLine> tree(CommandLine top) {
    List<CommandLine> all = new ArrayList<>();
    all.add(top);
    for (CommandLine sub : top.getSubcommands().values()) {
      all.addAll(tree(sub));
    }
    return all;
  }
}
