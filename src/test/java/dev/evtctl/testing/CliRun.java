package dev.evtctl.testing;

import dev.evtctl.cli.Evtctl;
import java.io.PrintWriter;
import java.io.StringWriter;

/** One evtctl command line run in-process through {@link Evtctl#run}: exit code, stdout, stderr. */
public record CliRun(int exitCode, String out, String err) {

  public static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Evtctl.run(new PrintWriter(out), new PrintWriter(err), args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
