package dev.evtctl.core.processing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The level of the evtctl lines, as a function of the environment (which a test cannot set). */
class JsonLogConfiguratorTest {

  @Test
  void powertoolsLevelComesFirstThenLambdasThenEvtctls() {
    // GIVEN every level variable set, WHEN the level is read, THEN POWERTOOLS_LOG_LEVEL wins
    assertThat(
            JsonLogConfigurator.level(
                Map.of(
                    "POWERTOOLS_LOG_LEVEL", "debug",
                    "AWS_LAMBDA_LOG_LEVEL", "ERROR",
                    "EVTCTL_LOG_LEVEL", "WARN")))
        .isEqualTo(Level.DEBUG);
    assertThat(
            JsonLogConfigurator.level(
                Map.of("AWS_LAMBDA_LOG_LEVEL", "ERROR", "EVTCTL_LOG_LEVEL", "WARN")))
        .isEqualTo(Level.ERROR);
    assertThat(JsonLogConfigurator.level(Map.of("EVTCTL_LOG_LEVEL", "WARN"))).isEqualTo(Level.WARN);
  }

  @Test
  void withoutAnyLevelVariableTheLevelIsInfo() {
    assertThat(JsonLogConfigurator.level(Map.of())).isEqualTo(Level.INFO);
    assertThat(JsonLogConfigurator.level(Map.of("POWERTOOLS_LOG_LEVEL", " ")))
        .isEqualTo(Level.INFO);
  }

  @Test
  void lambdasFatalIsError() {
    assertThat(JsonLogConfigurator.level(Map.of("AWS_LAMBDA_LOG_LEVEL", "FATAL")))
        .isEqualTo(Level.ERROR);
  }
}
