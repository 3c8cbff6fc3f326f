package dev.evtctl.testing;

import dev.evtctl.cli.Evtctl;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** One evtctl command line run in-process through {@link Evtctl#run}: exit code, stdout, stderr. */
public record CliRun(int exitCode, String out, String err) {

  public static CliRun of(String... args) {
    return in(System.getenv(), args);
  }

  /** The command line run as if the process had this environment (AWS_ENDPOINT_URL_* and so on). */
  public static CliRun in(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Evtctl.run(new PrintWriter(out), new PrintWriter(err), environment, args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
