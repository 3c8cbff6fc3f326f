package dev.evtctl.cli;

import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.pipeline.Pipelines;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --pipeline and --pipeline-file, for the commands that process events. */
final class PipelineOptions {

  @Option(
      names = {"-p", "--pipeline"},
      paramLabel = "P",
      defaultValue = "${env:EVTCTL_PIPELINE:-txma}",
      completionCandidates = Candidates.Pipelines.class,
      description = "Built-in pipeline: txma, ledger, messages (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(
      names = "--pipeline-file",
      paramLabel = "FILE",
      description = "A pipeline definition of your own (JSON), instead of --pipeline.")
  Path file;

  Pipeline pipeline() {
    return file != null ? Pipelines.fromFile(file) : Pipelines.builtIn(name);
  }
}
