package dev.evtctl.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Model.CommandSpec;

/** The live progress bar on stderr, on a terminal only (pipes and CI logs get the summary). */
final class Progress {

  private Progress() {}

  /** A bar counting messages up to {@code max} (0 or less: unknown), or null off a terminal. */
  static ProgressBar bar(CommandSpec spec, String task, long max) {
    if (System.console() == null) {
      return null;
    }
    return new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(max > 0 ? max : -1)
        .setStyle(
            Evtctl.outputOptions(spec).color()
                ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK
                : ProgressBarStyle.ASCII)
        .setUnit(" msg", 1)
        .showSpeed()
        .build();
  }

  static void step(ProgressBar bar, long count) {
    if (bar != null) {
      bar.stepBy(count);
    }
  }
}
