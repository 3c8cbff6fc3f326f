package dev.evtctl.cli;

import dev.evtctl.aws.AwsClients;
import dev.evtctl.aws.ClientSettings;
import dev.evtctl.local.LocalBackends;
import dev.evtctl.local.LocalInstance;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Stack;
import java.util.stream.Collectors;
import javax.net.ssl.TrustManager;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileFileLocation;
import software.amazon.awssdk.regions.Region;

/**
 * Where AWS is: --endpoint-url, --region, --profile, --local, accepted before or after the command.
 * Unset, the environment works as for awscli (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL,
 * AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_CLOUDWATCH_LOGS, credentials
 * chain). The environment is the process's, or the one a test gives {@link Evtctl#run}.
 */
public final class AwsOptions {

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
      description =
          "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's; us-east-1"
              + " locally).")
  String region;

  @Option(
      names = "--profile",
      paramLabel = "NAME",
      scope = ScopeType.INHERIT,
      description =
          "Named profile of ~/.aws/config, with its region, credentials and endpoint_url"
              + " (default: AWS_PROFILE).")
  String profile;

  @Option(
      names = "--local",
      paramLabel = "PORT",
      arity = "0..1",
      scope = ScopeType.INHERIT,
      parameterConsumer = LocalPortConsumer.class,
      description =
          "Use the embedded edge endpoint of evtctl local start: on PORT (--local=PORT), else"
              + " EVTCTL_LOCAL_PORT, else the one instance running, else 4566.")
  String local;

  /** --local's value: the port when it is one, nothing otherwise (the next word is not its). */
  static final class LocalPortConsumer implements IParameterConsumer {
    @Override
    public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
      boolean port = !args.isEmpty() && args.peek().matches("\\d{1,5}");
      argSpec.setValue(port ? args.pop() : "");
    }
  }

  /** Whether --local was given. */
  boolean isLocal() {
    return local != null;
  }

  /**
   * The file of the log lines of drains against the local stack of --local
   * (LocalInstance#logLinesFile), or null without --local.
   */
  java.nio.file.Path localLogLines() {
    return local == null
        ? null
        : LocalInstance.logLinesFile(LocalInstance.home(environment), localPort());
  }

  /** The environment this command line runs in (the process's, or a test's). */
  Map<String, String> environment() {
    return environment;
  }

  /** The endpoint given by flag or environment, or null for AWS itself (or the profile's). */
  URI endpoint() {
    if (local != null) {
      return LocalInstance.endpoint(localPort());
    }
    if (endpointUrl != null) {
      return checked("--endpoint-url", endpointUrl);
    }
    return fromEnvironment("AWS_ENDPOINT_URL");
  }

  /**
   * The port of the local stack --local means: its own value, else EVTCTL_LOCAL_PORT, else the one
   * instance whose state file (LocalInstance) says it runs, else LocalStack's 4566.
   */
  int localPort() {
    if (local != null && !local.isEmpty()) {
      return port("--local", local);
    }
    String variable = environment.get("EVTCTL_LOCAL_PORT");
    if (variable != null && !variable.isBlank()) {
      return port("EVTCTL_LOCAL_PORT", variable.strip());
    }
    List<LocalInstance> running = LocalInstance.running(LocalInstance.home(environment));
    if (running.size() > 1) {
      throw new CommandFailedException(
          ExitCode.USAGE,
          "several evtctl local instances are running (ports "
              + running.stream()
                  .map(instance -> Integer.toString(instance.port()))
                  .collect(Collectors.joining(", "))
              + "): give --local=PORT or set EVTCTL_LOCAL_PORT");
    }
    return running.isEmpty() ? LocalBackends.DEFAULT_PORT : running.get(0).port();
  }

  private static int port(String origin, String value) {
    try {
      int port = Integer.parseInt(value);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new CommandFailedException(
        ExitCode.USAGE, origin + " must be a port, 1 to 65535, not '" + value + "'");
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
          boolean flagWins = !service.equals("logs") && (local != null || endpointUrl != null);
          if (endpoint != null && !flagWins) {
            endpoints.put(service, endpoint);
          }
        });
    return endpoints;
  }

  /** Why CloudWatch Logs cannot be reached with these options, or null when it may be. */
  String cloudWatchLogsUnavailable() {
    if (local != null && !serviceEndpoints().containsKey("logs")) {
      return "the edge endpoint of --local serves SQS and DynamoDB, not CloudWatch Logs: point"
          + " AWS_ENDPOINT_URL_CLOUDWATCH_LOGS at a CloudWatch Logs endpoint (e.g. moto_server or"
          + " LocalStack)";
    }
    return null;
  }

  private URI fromEnvironment(String variable) {
    String value = environment.get(variable);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return checked(variable, new URI(value.strip()));
    } catch (URISyntaxException e) {
      throw notAnEndpoint(variable, value.strip());
    }
  }

  /**
   * The endpoint when it is an http or https URL with a host: the SDK takes "localhost:4566" for a
   * URL of scheme "localhost", and fails on "http//x" with "The URI scheme of endpointOverride must
   * not be null", an internal error.
   */
  private static URI checked(String origin, URI endpoint) {
    String scheme = endpoint.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || endpoint.getHost() == null) {
      throw notAnEndpoint(origin, endpoint.toString());
    }
    return endpoint;
  }

  private static CommandFailedException notAnEndpoint(String origin, String value) {
    return new CommandFailedException(
        ExitCode.USAGE,
        origin
            + " '"
            + value
            + "' is not an endpoint URL: it needs http:// or https:// and a host (e.g."
            + " http://localhost:4566)");
  }

  /** The profile named by --profile, else AWS_PROFILE, or null. */
  private String profileName() {
    if (profile != null) {
      return profile;
    }
    String variable = environment.get("AWS_PROFILE");
    return variable == null || variable.isBlank() ? null : variable.strip();
  }

  /**
   * The config and credentials files of this environment (AWS_CONFIG_FILE,
   * AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/config and ~/.aws/credentials), as the SDK and awscli
   * read them; those that exist.
   */
  private ProfileFile profileFile() {
    ProfileFile.Aggregator files = ProfileFile.aggregator();
    addProfileFile(
        files,
        environment.get("AWS_CONFIG_FILE"),
        ProfileFileLocation.configurationFilePath(),
        ProfileFile.Type.CONFIGURATION);
    addProfileFile(
        files,
        environment.get("AWS_SHARED_CREDENTIALS_FILE"),
        ProfileFileLocation.credentialsFilePath(),
        ProfileFile.Type.CREDENTIALS);
    return files.build();
  }

  private static void addProfileFile(
      ProfileFile.Aggregator files, String variable, Path fallback, ProfileFile.Type type) {
    Path path = variable == null || variable.isBlank() ? fallback : Path.of(variable.strip());
    if (Files.isRegularFile(path)) {
      files.addFile(ProfileFile.builder().content(path).type(type).build());
    }
  }

  ClientSettings clientSettings() {
    URI endpoint = endpoint();
    Map<String, URI> serviceEndpoints = serviceEndpoints();
    String profileName = profileName();
    ProfileFile profileFile = null;
    if (profileName != null) {
      profileFile = profileFile();
      if (profileFile.profile(profileName).isEmpty()) {
        // awscli's own words (botocore ProfileNotFound).
        throw new CommandFailedException(
            ExitCode.USAGE, "The config profile (" + profileName + ") could not be found");
      }
    }
    boolean emulator = emulator(endpoint, serviceEndpoints);
    Region chosenRegion;
    if (region != null) {
      chosenRegion = Region.of(region);
    } else if (variable("AWS_REGION") != null) {
      chosenRegion = Region.of(variable("AWS_REGION"));
    } else if (variable("AWS_DEFAULT_REGION") != null) {
      // awscli reads it; the SDK for Java reads AWS_REGION only.
      chosenRegion = Region.of(variable("AWS_DEFAULT_REGION"));
    } else if (emulator && profileName == null) {
      chosenRegion = Region.US_EAST_1;
    } else {
      chosenRegion = null;
    }
    return new ClientSettings(
        endpoint,
        serviceEndpoints,
        chosenRegion,
        profileName,
        profileFile,
        credentials(),
        profileName == null && environment.get("AWS_ACCESS_KEY_ID") == null,
        interceptors);
  }

  private String variable(String name) {
    String value = environment.get(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  /**
   * Whether SQS and DynamoDB are both reached on this machine (by --local, --endpoint-url,
   * AWS_ENDPOINT_URL or the per-service variables), where an emulator needs no real region.
   */
  private static boolean emulator(URI endpoint, Map<String, URI> serviceEndpoints) {
    return List.of("sqs", "dynamodb").stream()
        .map(service -> serviceEndpoints.getOrDefault(service, endpoint))
        .allMatch(uri -> uri != null && ClientSettings.isLoopback(uri));
  }

  /**
   * The environment's keys when it has them (what the SDK's chain would find first in the process
   * environment); otherwise null for the SDK's chain (or the profile's), or for the test
   * credentials a service on this machine gets (ClientSettings#credentialsFor): an emulator accepts
   * any, so that a machine without any still reaches it.
   */
  private AwsCredentialsProvider credentials() {
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
    return null;
  }

  /**
   * Clients for a command of a few requests: the URL-connection HTTP client, the quickest to start
   * (the Lambda jar's).
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
   * client's connection pool.
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
}
