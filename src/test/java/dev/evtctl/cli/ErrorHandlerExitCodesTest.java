package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evtctl.core.pipeline.InvalidSettingException;
import dev.evtctl.core.pipeline.PipelineDefinitionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/** The exit code of each kind of failure (DESIGN.md, "CLI contract"). */
class ErrorHandlerExitCodesTest {

  private final ErrorHandler handler = new ErrorHandler();

  @Test
  void aBadDefinitionAndABadSettingAreBothUsageOrConfigurationErrors() {
    assertThat(handler.getExitCode(new PipelineDefinitionException("template '{' unclosed")))
        .isEqualTo(ExitCode.USAGE);
    assertThat(handler.getExitCode(new InvalidSettingException("a rate must be more than 0")))
        .isEqualTo(ExitCode.USAGE);
    assertThat(handler.getExitCode(InvalidSettingException.of("concurrency", "must be at least 1")))
        .isEqualTo(ExitCode.USAGE);
  }

  @Test
  void aBackendFailureIsABackendError() {
    assertThat(handler.getExitCode(QueueDoesNotExistException.builder().message("gone").build()))
        .isEqualTo(ExitCode.BACKEND);
  }
}
