package dev.evtctl.aws;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;

/**
 * How to reach AWS, or an AWS-compatible endpoint. Null fields fall back to the SDK's own chains,
 * which read the same environment as awscli ({@code AWS_REGION}, {@code AWS_PROFILE}, {@code
 * AWS_ENDPOINT_URL}, {@code AWS_ENDPOINT_URL_SQS}, {@code AWS_ENDPOINT_URL_CLOUDWATCH_LOGS}, ...).
 *
 * @param endpoint one endpoint for every service (LocalStack, the embedded edge), or null
 * @param serviceEndpoints endpoints per service ("sqs", "dynamodb", "logs": the endpoint prefixes),
 *     before {@code endpoint}
 * @param region the region, or null for the default chain (the profile's, when one is named)
 * @param profile the named profile, or null for the default chain: the SDK then resolves region,
 *     credentials and endpoint ({@code endpoint_url}, a {@code services} section) from it
 * @param profileFile the config and credentials files the profile is read from, or null for the
 *     SDK's own ({@code AWS_CONFIG_FILE}, {@code AWS_SHARED_CREDENTIALS_FILE}, ~/.aws)
 * @param credentials the credentials provider, or null for the default chain (or the profile)
 * @param testCredentialsOnLoopback without {@code credentials}: a service whose endpoint is on this
 *     machine (an emulator, which accepts any) gets the test credentials emulators use
 * @param interceptors SDK execution interceptors (tests inject faults with them)
 */
public record ClientSettings(
    URI endpoint,
    Map<String, URI> serviceEndpoints,
    Region region,
    String profile,
    ProfileFile profileFile,
    AwsCredentialsProvider credentials,
    boolean testCredentialsOnLoopback,
    List<ExecutionInterceptor> interceptors) {

  private static final AwsCredentialsProvider TEST_CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

  public ClientSettings {
    serviceEndpoints = serviceEndpoints == null ? Map.of() : Map.copyOf(serviceEndpoints);
    interceptors = interceptors == null ? List.of() : List.copyOf(interceptors);
  }

  public ClientSettings(
      URI endpoint,
      Map<String, URI> serviceEndpoints,
      Region region,
      String profile,
      AwsCredentialsProvider credentials,
      List<ExecutionInterceptor> interceptors) {
    this(endpoint, serviceEndpoints, region, profile, null, credentials, false, interceptors);
  }

  /**
   * The endpoint for one service ("sqs", "dynamodb", "logs"), or null for the SDK's own resolution.
   */
  public URI endpointFor(String service) {
    return serviceEndpoints.getOrDefault(service, endpoint);
  }

  /** The credentials for one service, or null for the SDK's chain (or the profile's). */
  public AwsCredentialsProvider credentialsFor(String service) {
    if (credentials != null) {
      return credentials;
    }
    URI target = endpointFor(service);
    return testCredentialsOnLoopback && target != null && isLoopback(target)
        ? TEST_CREDENTIALS
        : null;
  }

  /** Whether the endpoint is on this machine (127.0.0.1, ::1, localhost, a name for them). */
  public static boolean isLoopback(URI endpoint) {
    try {
      return endpoint.getHost() != null
          && InetAddress.getByName(endpoint.getHost()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * Whether every service is reached over plain HTTP (an emulator on this machine): one endpoint
   * for all that is http, and so is every per-service one. Then no client does TLS.
   */
  public boolean plainHttpOnly() {
    return endpoint != null
        && "http".equalsIgnoreCase(endpoint.getScheme())
        && serviceEndpoints.values().stream()
            .allMatch(uri -> "http".equalsIgnoreCase(uri.getScheme()));
  }

  /** The SDK defaults: what a Lambda function or awscli would use. */
  public static ClientSettings defaults() {
    return new ClientSettings(null, Map.of(), null, null, null, List.of());
  }

  /** Emulators at these endpoints, with the dummy credentials emulators accept. */
  public static ClientSettings emulator(URI endpoint, Map<String, URI> serviceEndpoints) {
    return new ClientSettings(
        endpoint, serviceEndpoints, Region.US_EAST_1, null, TEST_CREDENTIALS, List.of());
  }

  public ClientSettings withInterceptor(ExecutionInterceptor interceptor) {
    List<ExecutionInterceptor> more = new ArrayList<>(interceptors);
    more.add(interceptor);
    return new ClientSettings(
        endpoint,
        serviceEndpoints,
        region,
        profile,
        profileFile,
        credentials,
        testCredentialsOnLoopback,
        more);
  }
}
