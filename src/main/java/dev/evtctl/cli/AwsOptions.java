package dev.evtctl.cli;

import dev.evtctl.aws.AwsClients;
import dev.evtctl.aws.ClientSettings;
import dev.evtctl.local.LocalBackends;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.TrustManager;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * Where AWS is: --endpoint-url, --region, --profile, --local, accepted before or after the command.
 * Unset, the environment works as for awscli (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL,
 * AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_CLOUDWATCH_LOGS, credentials
 * chain). The environment is the process's, or the one a test gives {@link Evtctl#run}.
 */
public final class AwsOptions {

  static final URI LOCAL_ENDPOINT = URI.create("http://127.0.0.1:" + LocalBackends.DEFAULT_PORT);

  /**
   * The service-specific endpoint variables, by the endpoint prefix AwsClients uses: the names
   * awscli and the SDKs read
   * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
   */
  static final Map<String, String> SERVICE_ENDPOINT_VARIABLES =
      Map.of(
          "sqs", "AWS_ENDPOINT_URL_SQS",
          "dynamodb", "AWS_ENDPOINT_URL_DYNAMODB",
          "logs", "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS");

  private final Map<String, String> environment;
  private final List<ExecutionInterceptor> interceptors;

  public AwsOptions() {
    this(System.getenv(), List.of());
  }

  AwsOptions(Map<String, String> environment) {
    this(environment, List.of());
  }

  AwsOptions(Map<String, String> environment, List<ExecutionInterceptor> interceptors) {
    this.environment = Map.copyOf(environment);
    this.interceptors = List.copyOf(interceptors);
  }

  @Option(
      names = "--endpoint-url",
      paramLabel = "URL",
      scope = ScopeType.INHERIT,
      description = "Endpoint for every service (LocalStack, evtctl local start).")
  URI endpointUrl;

  @Option(
      names = "--region",
      paramLabel = "REGION",
      scope = ScopeType.INHERIT,
      description = "AWS region (default: AWS_REGION, the profile's; us-east-1 locally).")
  String region;

  @Option(
      names = "--profile",
      paramLabel = "NAME",
      scope = ScopeType.INHERIT,
      description = "Named profile of ~/.aws/config (default: AWS_PROFILE).")
  String profile;

  @Option(
      names = "--local",
      scope = ScopeType.INHERIT,
      description =
          "Use the embedded edge endpoint " + "http://127.0.0.1:4566 (evtctl local start).")
  boolean local;

  /** The endpoint given by flag or environment, or null for AWS itself. */
  URI endpoint() {
    if (local) {
      return LOCAL_ENDPOINT;
    }
    if (endpointUrl != null) {
      return endpointUrl;
    }
    return fromEnvironment("AWS_ENDPOINT_URL");
  }

  /**
   * Endpoints of single services. As with awscli, AWS_ENDPOINT_URL_SQS and _DYNAMODB win over
   * AWS_ENDPOINT_URL, and --endpoint-url or --local over both. AWS_ENDPOINT_URL_CLOUDWATCH_LOGS
   * wins over every endpoint for all services, flags included: the edge endpoint of --local (and of
   * `evtctl local start` given as --endpoint-url) serves SQS and DynamoDB only, so CloudWatch Logs
   * must be able to go elsewhere (moto_server, LocalStack, AWS).
   */
  Map<String, URI> serviceEndpoints() {
    Map<String, URI> endpoints = new HashMap<>();
    SERVICE_ENDPOINT_VARIABLES.forEach(
        (service, variable) -> {
          URI endpoint = fromEnvironment(variable);
          boolean flagWins = !service.equals("logs") && (local || endpointUrl != null);
          if (endpoint != null && !flagWins) {
            endpoints.put(service, endpoint);
          }
        });
    return endpoints;
  }

  /** Why CloudWatch Logs cannot be reached with these options, or null when it may be. */
  String cloudWatchLogsUnavailable() {
    if (local && !serviceEndpoints().containsKey("logs")) {
      return "the edge endpoint of --local serves SQS and DynamoDB, not CloudWatch Logs: point"
          + " AWS_ENDPOINT_URL_CLOUDWATCH_LOGS at a CloudWatch Logs endpoint (e.g. moto_server or"
          + " LocalStack)";
    }
    return null;
  }

  private URI fromEnvironment(String variable) {
    String value = environment.get(variable);
    return value == null || value.isBlank() ? null : URI.create(value.strip());
  }

  ClientSettings clientSettings() {
    URI endpoint = endpoint();
    boolean emulator = endpoint != null && isLoopback(endpoint);
    Region chosenRegion =
        region != null
            ? Region.of(region)
            : emulator && environment.get("AWS_REGION") == null && profile == null
                ? Region.US_EAST_1
                : null;
    return new ClientSettings(
        endpoint, serviceEndpoints(), chosenRegion, profile, credentials(emulator), interceptors);
  }

  /**
   * The environment's keys when it has them (what the SDK's chain would find first in the process
   * environment); test credentials for an emulator, which accepts any, so that a machine without
   * any still reaches it; otherwise null for the SDK's chain (or the profile's).
   */
  private AwsCredentialsProvider credentials(boolean emulator) {
    if (profile != null) {
      return null;
    }
    String keyId = environment.get("AWS_ACCESS_KEY_ID");
    String secret = environment.get("AWS_SECRET_ACCESS_KEY");
    if (keyId != null && secret != null) {
      String token = environment.get("AWS_SESSION_TOKEN");
      return StaticCredentialsProvider.create(
          token == null
              ? AwsBasicCredentials.create(keyId, secret)
              : AwsSessionCredentials.create(keyId, secret, token));
    }
    return emulator && keyId == null
        ? StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))
        : null;
  }

  /**
   * Clients for a command of a few requests: the URL-connection HTTP client, the quickest to start
   * (the Lambda jar's; measured 0.18 s less than Apache for `events`).
   */
  AwsClients clients() {
    ClientSettings settings = clientSettings();
    UrlConnectionHttpClient.Builder http =
        UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(3))
            // Long polls wait up to 20 s (SQS WaitTimeSeconds maximum).
            .socketTimeout(Duration.ofSeconds(45));
    if (settings.plainHttpOnly()) {
      // Nothing to trust over plain HTTP: spares the JDK reading its CA certificates (cacerts),
      // which the SDK's TLS set-up does when the client is built, used or not.
      http.tlsTrustManagersProvider(() -> new TrustManager[0]);
    }
    return new AwsClients(settings, http.build());
  }

  /**
   * Clients for seed and drain, which send thousands of requests from many threads: the Apache HTTP
   * client's connection pool (drain benchmark: 837 msg/s against 689 with URL-connection).
   */
  AwsClients throughputClients() {
    return new AwsClients(clientSettings(), throughputHttpClient().build());
  }

  /** The Apache HTTP client of {@link #throughputClients}, to build one more like it. */
  static ApacheHttpClient.Builder throughputHttpClient() {
    return ApacheHttpClient.builder()
        .maxConnections(128)
        .connectionTimeout(Duration.ofSeconds(3))
        .socketTimeout(Duration.ofSeconds(45));
  }

  static boolean isLoopback(URI endpoint) {
    try {
      return endpoint.getHost() != null
          && InetAddress.getByName(endpoint.getHost()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
