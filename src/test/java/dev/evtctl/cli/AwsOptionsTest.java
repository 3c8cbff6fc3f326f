package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evtctl.aws.ClientSettings;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Which endpoint each service gets from the flags and the environment, as awscli decides. */
class AwsOptionsTest {

  private static final String EDGE = "http://127.0.0.1:4566";
  private static final String MOTO = "http://127.0.0.1:5000";

  private static ClientSettings settings(Map<String, String> environment, String... args) {
    AwsOptions options = new AwsOptions(environment);
    new CommandLine(options).parseArgs(args);
    return options.clientSettings();
  }

  @Test
  void cloudWatchLogsGoesToItsOwnVariableOverEveryEndpointForAll() {
    Map<String, String> environment = Map.of("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", MOTO);

    for (ClientSettings settings :
        new ClientSettings[] {
          settings(environment, "--local"),
          settings(environment, "--endpoint-url", EDGE),
          settings(Map.of("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", MOTO, "AWS_ENDPOINT_URL", EDGE))
        }) {
      assertThat(settings.endpointFor("logs")).isEqualTo(URI.create(MOTO));
      assertThat(settings.endpointFor("sqs")).isEqualTo(URI.create(EDGE));
      assertThat(settings.endpointFor("dynamodb")).isEqualTo(URI.create(EDGE));
    }
  }

  @Test
  void withoutItCloudWatchLogsSharesTheEndpointForAllOrLeavesItToTheSdk() {
    assertThat(settings(Map.of(), "--endpoint-url", EDGE).endpointFor("logs"))
        .isEqualTo(URI.create(EDGE));
    assertThat(settings(Map.of("AWS_ENDPOINT_URL", EDGE)).endpointFor("logs"))
        .isEqualTo(URI.create(EDGE));
    assertThat(settings(Map.of()).endpointFor("logs")).isNull();
  }

  @Test
  void onlyEndpointsThatAreAllPlainHttpSpareTheTlsSetUp() {
    String realSqs = "https://sqs.eu-west-2.amazonaws.com";
    assertThat(settings(Map.of(), "--local").plainHttpOnly()).isTrue();
    assertThat(
            settings(Map.of("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", MOTO), "--local").plainHttpOnly())
        .isTrue();
    assertThat(
            settings(Map.of("AWS_ENDPOINT_URL", EDGE, "AWS_ENDPOINT_URL_SQS", realSqs))
                .plainHttpOnly())
        .isFalse();
    assertThat(settings(Map.of("AWS_ENDPOINT_URL_SQS", EDGE)).plainHttpOnly()).isFalse();
    assertThat(
            settings(Map.of(), "--endpoint-url", "https://localhost.localstack.cloud:4566")
                .plainHttpOnly())
        .isFalse();
    assertThat(settings(Map.of()).plainHttpOnly()).isFalse();
  }

  @Test
  void serviceVariablesWinOverAwsEndpointUrlButNotOverTheFlags() {
    Map<String, String> environment =
        Map.of("AWS_ENDPOINT_URL", EDGE, "AWS_ENDPOINT_URL_SQS", MOTO);

    assertThat(settings(environment).endpointFor("sqs")).isEqualTo(URI.create(MOTO));
    assertThat(settings(environment).endpointFor("dynamodb")).isEqualTo(URI.create(EDGE));
    assertThat(settings(environment, "--endpoint-url", EDGE).endpointFor("sqs"))
        .isEqualTo(URI.create(EDGE));
    assertThat(settings(environment, "--local").endpointFor("sqs")).isEqualTo(URI.create(EDGE));
  }

  @Test
  void localWithoutACloudWatchLogsEndpointIsExplained() {
    AwsOptions local = new AwsOptions(Map.of());
    new CommandLine(local).parseArgs("--local");
    AwsOptions localWithMoto = new AwsOptions(Map.of("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", MOTO));
    new CommandLine(localWithMoto).parseArgs("--local");

    assertThat(local.cloudWatchLogsUnavailable()).contains("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS");
    assertThat(localWithMoto.cloudWatchLogsUnavailable()).isNull();
    assertThat(new AwsOptions(Map.of()).cloudWatchLogsUnavailable()).isNull();
  }
}
