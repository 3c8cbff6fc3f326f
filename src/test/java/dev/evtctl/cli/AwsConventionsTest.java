package dev.evtctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evtctl.aws.ClientSettings;
import dev.evtctl.local.LocalInstance;
import dev.evtctl.testing.CliRun;
import dev.evtctl.testing.EmbeddedAws;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.regions.Region;

/**
 * The flags and variables as awscli and LocalStack users expect them (issue 13): --local finds the
 * running instance, --profile is AWS_PROFILE with its endpoint, AWS_DEFAULT_REGION counts, a
 * missing profile or a malformed endpoint is a usage error, the edge has LocalStack's health check.
 */
@ExtendWith(EmbeddedAws.class)
class AwsConventionsTest {

  private static final String PREFIX = "evtctl-conventions-none-";

  private static ClientSettings settings(Map<String, String> environment, String... args) {
    AwsOptions options = new AwsOptions(environment);
    new CommandLine(options).parseArgs(args);
    return options.clientSettings();
  }

  private static int edgePort(EmbeddedAws.Backends aws) {
    return URI.create(aws.edge()).getPort();
  }

  /** An evtctl home whose state file says an instance runs on the edge's port (this JVM). */
  private static Path homeWithInstance(Path dir, int port) throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    Files.writeString(
        home.resolve("local-" + port + ".json"),
        "{\"pid\":" + ProcessHandle.current().pid() + ",\"port\":" + port + ",\"dataDir\":null}");
    return home;
  }

  @Test
  void localFollowsTheRunningInstanceItsVariableOrItsValue(
      EmbeddedAws.Backends aws, @TempDir Path dir) throws Exception {
    // GIVEN an instance recorded on a port that is not 4566
    int port = edgePort(aws);
    Map<String, String> environment = Map.of("EVTCTL_HOME", homeWithInstance(dir, port).toString());

    // WHEN --local is given without a port THEN it goes to that instance
    CliRun run = CliRun.in(environment, "--local", "dlq", "list", "--prefix", PREFIX);
    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(settings(environment, "--local").endpointFor("sqs"))
        .isEqualTo(URI.create("http://127.0.0.1:" + port));

    // AND local status lists it as running, with no --port
    CliRun status = CliRun.in(environment, "local", "status", "-o", "json");
    assertThat(status.exitCode()).as(status.err()).isEqualTo(ExitCode.OK);
    assertThat(status.out())
        .contains("\"endpoint\" : \"http://127.0.0.1:" + port + "\"")
        .contains("\"state\" : \"running\"");

    // AND EVTCTL_LOCAL_PORT, then --local=PORT, win over the state file
    Map<String, String> withVariable = new HashMap<>(environment);
    withVariable.put("EVTCTL_LOCAL_PORT", "4999");
    assertThat(settings(withVariable, "--local").endpointFor("dynamodb"))
        .isEqualTo(URI.create("http://127.0.0.1:4999"));
    assertThat(settings(withVariable, "--local=4888").endpointFor("dynamodb"))
        .isEqualTo(URI.create("http://127.0.0.1:4888"));
    CliRun given = CliRun.in(Map.of(), "--local=" + port, "dlq", "list", "--prefix", PREFIX);
    assertThat(given.exitCode()).as(given.err()).isEqualTo(ExitCode.OK);
  }

  @Test
  void anEndpointThatCannotBeReachedIsNamed(@TempDir Path dir) {
    // GIVEN no instance recorded and nothing on port 9
    Map<String, String> environment = Map.of("EVTCTL_HOME", dir.toString());

    for (String[] args :
        new String[][] {
          {"--local=9", "dlq", "list"}, {"--endpoint-url", "http://127.0.0.1:9", "dlq", "list"}
        }) {
      CliRun run = CliRun.in(environment, args);

      assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.BACKEND);
      assertThat(run.err()).startsWith("evtctl: cannot reach http://127.0.0.1:9: ").hasLineCount(1);
    }
  }

  @Test
  void aProfileBringsItsEndpointRegionAndCredentials(EmbeddedAws.Backends aws, @TempDir Path dir)
      throws Exception {
    // GIVEN a config file whose profiles point at the edge: one by endpoint_url, one by services
    Path config =
        Files.writeString(
            dir.resolve("config"),
            String.join(
                "\n",
                "[profile edge]",
                "region = eu-west-2",
                "endpoint_url = " + aws.edge(),
                "[profile by-service]",
                "region = eu-west-2",
                "services = local-services",
                "[services local-services]",
                "sqs =",
                "  endpoint_url = " + aws.edge(),
                "dynamodb =",
                "  endpoint_url = " + aws.edge(),
                ""));
    Path credentials =
        Files.writeString(
            dir.resolve("credentials"),
            String.join(
                "\n",
                "[edge]",
                "aws_access_key_id = test",
                "aws_secret_access_key = test",
                "[by-service]",
                "aws_access_key_id = test",
                "aws_secret_access_key = test",
                ""));
    Map<String, String> files =
        Map.of(
            "AWS_CONFIG_FILE", config.toString(),
            "AWS_SHARED_CREDENTIALS_FILE", credentials.toString());

    for (String profile : new String[] {"edge", "by-service"}) {
      // WHEN --profile names it, or AWS_PROFILE does
      CliRun flag = CliRun.in(files, "--profile", profile, "dlq", "list", "--prefix", PREFIX);
      Map<String, String> withVariable = new HashMap<>(files);
      withVariable.put("AWS_PROFILE", profile);
      CliRun variable = CliRun.in(withVariable, "dlq", "list", "--prefix", PREFIX);

      // THEN both reach the edge
      assertThat(flag.exitCode()).as(profile + ": " + flag.err()).isEqualTo(ExitCode.OK);
      assertThat(variable.exitCode()).as(profile + ": " + variable.err()).isEqualTo(ExitCode.OK);
    }
  }

  @Test
  void aProfileThatDoesNotExistIsSaidAsAwscliSaysIt(@TempDir Path dir) throws Exception {
    Path config = Files.writeString(dir.resolve("config"), "[profile other]\nregion = eu-west-2\n");
    Map<String, String> files =
        Map.of(
            "AWS_CONFIG_FILE",
            config.toString(),
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.resolve("none").toString());
    Map<String, String> withVariable = new HashMap<>(files);
    withVariable.put("AWS_PROFILE", "nope");

    for (CliRun run :
        new CliRun[] {
          CliRun.in(files, "--profile", "nope", "dlq", "list"),
          CliRun.in(withVariable, "dlq", "list")
        }) {
      assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.USAGE);
      assertThat(run.err()).isEqualTo("evtctl: The config profile (nope) could not be found\n");
    }
  }

  @Test
  void awsDefaultRegionCountsAfterAwsRegion() {
    assertThat(settings(Map.of("AWS_DEFAULT_REGION", "eu-west-1")).region())
        .isEqualTo(Region.EU_WEST_1);
    assertThat(
            settings(Map.of("AWS_DEFAULT_REGION", "eu-west-1", "AWS_REGION", "eu-west-2")).region())
        .isEqualTo(Region.EU_WEST_2);
    assertThat(
            settings(Map.of("AWS_DEFAULT_REGION", "eu-west-1"), "--region", "us-west-2").region())
        .isEqualTo(Region.US_WEST_2);
  }

  @Test
  void serviceEndpointsOnLoopbackAloneGetTheTestCredentials(EmbeddedAws.Backends aws) {
    // GIVEN only the per-service variables, on this machine, and no keys
    Map<String, String> environment =
        Map.of("AWS_ENDPOINT_URL_SQS", aws.edge(), "AWS_ENDPOINT_URL_DYNAMODB", aws.edge());

    ClientSettings settings = settings(environment);
    assertThat(settings.credentialsFor("sqs")).isNotNull();
    assertThat(settings.credentialsFor("dynamodb")).isNotNull();
    assertThat(settings.region()).isEqualTo(Region.US_EAST_1);
    CliRun run = CliRun.in(environment, "dlq", "list", "--prefix", PREFIX);
    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);

    // AND a service that goes to AWS itself gets no test credentials
    ClientSettings mixed =
        settings(
            Map.of(
                "AWS_ENDPOINT_URL_SQS",
                aws.edge(),
                "AWS_ENDPOINT_URL_DYNAMODB",
                "https://dynamodb.eu-west-2.amazonaws.com"));
    assertThat(mixed.credentialsFor("sqs")).isNotNull();
    assertThat(mixed.credentialsFor("dynamodb")).isNull();
  }

  @Test
  void aMalformedEndpointIsAUsageErrorNamingIt() {
    for (String endpoint : new String[] {"localhost:4566", "http//x"}) {
      CliRun run = CliRun.in(Map.of(), "--endpoint-url", endpoint, "dlq", "list");

      assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.USAGE);
      assertThat(run.err())
          .startsWith("evtctl: --endpoint-url '" + endpoint + "' is not an endpoint URL")
          .hasLineCount(1);
    }
    CliRun variable = CliRun.in(Map.of("AWS_ENDPOINT_URL", "localhost:4566"), "dlq", "list");
    assertThat(variable.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(variable.err()).startsWith("evtctl: AWS_ENDPOINT_URL 'localhost:4566' is not");
  }

  @Test
  void theEdgeAnswersLocalStacksHealthCheckUnauthenticated(EmbeddedAws.Backends aws)
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (String path : new String[] {"/_localstack/health", "/_evtctl/health"}) {
      // WHEN a tool waiting for the endpoint asks, unsigned
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(URI.create(aws.edge() + path)).GET().build(),
              HttpResponse.BodyHandlers.ofString());

      // THEN both services are running, in LocalStack's shape
      assertThat(health.statusCode()).as(path).isEqualTo(200);
      assertThat(health.body())
          .startsWith(
              "{\"services\":{\"sqs\":\"running\",\"dynamodb\":\"running\"},"
                  + "\"edition\":\"community\",\"version\":\"");

      // AND anything but a GET changes nothing and is refused
      HttpResponse<String> post =
          http.send(
              HttpRequest.newBuilder(URI.create(aws.edge() + path))
                  .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"restart\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).as(path).isEqualTo(405);
    }
    assertThat(LocalInstance.healthy(edgePort(aws))).isTrue();
  }
}
