package dev.evtctl.cli;

import org.fusesource.jansi.Ansi;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** -o, colour and verbosity: accepted before or after the command. */
public final class OutputOptions {

  /** The environment evtctl reads (COLUMNS, NO_COLOR): the process's, or a test's. */
  private final java.util.Map<String, String> environment;

  public OutputOptions() {
    this(System.getenv());
  }

  OutputOptions(java.util.Map<String, String> environment) {
    this.environment = environment;
  }

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      scope = ScopeType.INHERIT,
      defaultValue = "table",
      description = "Result format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  OutputFormat format = OutputFormat.table;

  @Option(
      names = "--no-color",
      scope = ScopeType.INHERIT,
      description = "No colour (also when NO_COLOR is set or stdout is not a terminal).")
  boolean noColor;

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "More detail on stderr.")
  boolean verbose;

  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Stack traces for errors, and event bodies in logs (they carry personal data).")
  boolean debug;

  public OutputFormat format() {
    return format;
  }

  public boolean debug() {
    return debug;
  }

  public boolean verbose() {
    return verbose || debug;
  }

  public boolean color() {
    return !noColor && environment.get("NO_COLOR") == null && System.console() != null;
  }

  /**
   * How wide a table may be: {@code COLUMNS} when set, else the terminal's width, else (a pipe, a
   * file) no limit, so that nothing a script reads is cut or wrapped.
   */
  int tableWidth() {
    String columns = environment.get("COLUMNS");
    if (columns != null && columns.matches("\\d{1,5}") && Integer.parseInt(columns) > 0) {
      return Integer.parseInt(columns);
    }
    if (System.console() != null) {
      int width = org.fusesource.jansi.AnsiConsole.out().getTerminalWidth();
      if (width > 0) {
        return width;
      }
    }
    return Output.UNLIMITED;
  }

  /** An expectation report line, green when met and red when not, where colour is on. */
  String paint(String line) {
    if (!color()) {
      return line;
    }
    Ansi ansi = Ansi.ansi();
    return (line.startsWith("NOT MET")
            ? ansi.fgRed()
            : line.startsWith("met") ? ansi.fgGreen() : ansi.fgYellow())
        .a(line)
        .reset()
        .toString();
  }
}
