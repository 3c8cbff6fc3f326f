package dev.evtctl.aws;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.ProtocolNegotiation;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.metrics.MetricPublisher;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClientBuilder;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The one place clients are built: endpoint, region, credentials, retries and the HTTP client are
 * chosen here. The HTTP client is always given explicitly (the Lambda jar ships only the
 * URL-connection client, the CLI the Apache one), so the SDK never has to guess from the classpath.
 */
public final class AwsClients {

  /**
   * One attempt of a call waits at most this long: an SQS long poll takes up to 20 s, and a hung
   * backend must not hold a whole call.
   */
  static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(30);

  private final ClientSettings settings;

  /** The HTTP client every client shares (and that outlives them), or null with {@link #own}. */
  private final SdkHttpClient httpClient;

  /** Builds an HTTP client for each client, which owns it and closes it with itself, or null. */
  private final SdkHttpClient.Builder<?> own;

  /** How long a call rides out passing faults, or null for the SDK's standard 3 attempts. */
  private final Duration giveUpAfter;

  /** Told of every call and its attempts, or null. */
  private final MetricPublisher attempts;

  public AwsClients(ClientSettings settings, SdkHttpClient httpClient) {
    this(settings, httpClient, null, null, null);
  }

  private AwsClients(
      ClientSettings settings,
      SdkHttpClient httpClient,
      SdkHttpClient.Builder<?> own,
      Duration giveUpAfter,
      MetricPublisher attempts) {
    this.settings = settings;
    this.httpClient = httpClient;
    this.own = own;
    this.giveUpAfter = giveUpAfter;
    this.attempts = attempts;
  }

  /**
   * Clients that each own an HTTP client from {@code builder}: closing such a client closes its
   * connections, which ends a call blocked in them at once (a thread interrupt does not reach a
   * socket read). How a drain abandons its long polls on Ctrl-C.
   */
  public AwsClients owningHttpClients(SdkHttpClient.Builder<?> builder) {
    return new AwsClients(settings, null, builder, giveUpAfter, attempts);
  }

  /**
   * Clients for commands that run until stopped (drain, dlq redrive), as a Lambda event source
   * mapping does: a call that fails with a passing fault (throttling, 5xx, a reset or refused
   * connection, an attempt with no answer in {@link #ATTEMPT_TIMEOUT}: the SDK's own
   * classification) is tried again, with exponential backoff and full jitter capped at 5 s, until
   * it has failed for {@code giveUpAfter}; then it fails with an {@code ApiCallTimeoutException}.
   * An error that is not passing (access denied, no such queue) fails at once, as before.
   */
  public AwsClients ridingOutFaults(Duration giveUpAfter) {
    return new AwsClients(settings, httpClient, own, giveUpAfter, attempts);
  }

  /** Clients that tell {@code attempts} of every call, with its attempts (the SDK's metrics). */
  public AwsClients reportingTo(MetricPublisher attempts) {
    return new AwsClients(settings, httpClient, own, giveUpAfter, attempts);
  }

  /**
   * The same clients with one more SDK interceptor (how {@code drain --fail-writes} stages
   * throttling).
   */
  public AwsClients withInterceptor(ExecutionInterceptor interceptor) {
    return new AwsClients(
        settings.withInterceptor(interceptor), httpClient, own, giveUpAfter, attempts);
  }

  public DynamoDbClient dynamoDb() {
    return configureSync(DynamoDbClient.builder(), "dynamodb").build();
  }

  public SqsClient sqs() {
    return configureSync(SqsClient.builder(), "sqs").build();
  }

  /**
   * CloudWatch Logs, for the CLI's {@code drain --log-group} only: the Lambda jar leaves the
   * cloudwatchlogs module out (Lambda sends stderr to CloudWatch Logs itself), so only the CLI may
   * call this. Without an endpoint in the settings the SDK resolves one itself, as awscli does
   * ({@code AWS_ENDPOINT_URL_CLOUDWATCH_LOGS}, then {@code AWS_ENDPOINT_URL}, then the profile).
   */
  public CloudWatchLogsClient logs() {
    return configureSync(CloudWatchLogsClient.builder(), "logs").build();
  }

  /**
   * CloudWatch Logs' async client, for {@code logs --follow}'s StartLiveTail, an event stream that
   * only the async client serves. It owns its Netty HTTP client (closed with it). CLI only, as
   * {@link #logs}. HTTP/2 where TLS lets the two sides agree on it (ALPN), else HTTP/1.1, which
   * StartLiveTail also answers (awscli's start-live-tail speaks only HTTP/1.1); a plain-HTTP
   * emulator (moto_server, LocalStack) speaks HTTP/1.1 only, and HTTP/2 without TLS would fail on
   * it before any answer. Not for {@link #ridingOutFaults} clients: their call timeout would end a
   * session, which lasts up to 3 hours.
   */
  public CloudWatchLogsAsyncClient logsAsync() {
    URI endpoint = settings.endpointFor("logs");
    NettyNioAsyncHttpClient.Builder http =
        NettyNioAsyncHttpClient.builder().connectionTimeout(Duration.ofSeconds(3));
    if (endpoint == null || "https".equals(endpoint.getScheme())) {
      http.protocol(Protocol.HTTP2).protocolNegotiation(ProtocolNegotiation.ALPN);
    }
    CloudWatchLogsAsyncClientBuilder builder =
        CloudWatchLogsAsyncClient.builder().httpClientBuilder(http);
    configure(builder, "logs");
    if (endpoint != null) {
      // StartLiveTail's host is the endpoint's with "stream-" before it (stream-logs.REGION.
      // amazonaws.com); on an endpoint of one's own that makes "stream-127.0.0.1", no host at all.
      builder.overrideConfiguration(
          builder.overrideConfiguration().toBuilder()
              .putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true)
              .build());
    }
    return builder.build();
  }

  private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configureSync(
      B builder, String service) {
    if (own != null) {
      builder.httpClientBuilder(own);
    } else {
      builder.httpClient(httpClient);
    }
    return configure(builder, service);
  }

  /** Everything but the HTTP client, which sync and async clients are given apart. */
  private <B extends AwsClientBuilder<B, ?>> B configure(B builder, String service) {
    // Standard mode: up to 3 attempts with jittered backoff for throttling and 5xx
    // (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
    ClientOverrideConfiguration.Builder overrides =
        ClientOverrideConfiguration.builder().retryStrategy(RetryMode.STANDARD);
    if (giveUpAfter != null) {
      // No attempt limit and no retry quota (the circuit breaker would stop retrying under a
      // steady fault rate): the call's own timeout is the bound.
      overrides
          .retryStrategy(
              AwsRetryStrategy.standardRetryStrategy().toBuilder()
                  .maxAttempts(Integer.MAX_VALUE)
                  .circuitBreakerEnabled(false)
                  .backoffStrategy(
                      BackoffStrategy.exponentialDelay(
                          Duration.ofMillis(100), Duration.ofSeconds(5)))
                  .throttlingBackoffStrategy(
                      BackoffStrategy.exponentialDelay(
                          Duration.ofMillis(500), Duration.ofSeconds(5)))
                  .build())
          .apiCallTimeout(giveUpAfter)
          .apiCallAttemptTimeout(ATTEMPT_TIMEOUT);
    }
    if (attempts != null) {
      overrides.addMetricPublisher(attempts);
    }
    overrides.addExecutionInterceptor(new UnreachableEndpoint());
    settings.interceptors().forEach(overrides::addExecutionInterceptor);
    // A named profile is the SDK's default profile for this client, as AWS_PROFILE would make it:
    // region, credentials and endpoint (endpoint_url, a services section) all come from it.
    if (settings.profile() != null) {
      overrides.defaultProfileName(settings.profile());
    }
    if (settings.profileFile() != null) {
      overrides.defaultProfileFile(settings.profileFile());
    }
    builder.overrideConfiguration(overrides.build());
    URI endpoint = settings.endpointFor(service);
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    if (settings.region() != null) {
      builder.region(settings.region());
    }
    AwsCredentialsProvider credentials = settings.credentialsFor(service);
    if (credentials != null) {
      builder.credentialsProvider(credentials);
    } else if (settings.profile() != null) {
      // The profile's own credentials, over any AWS_ACCESS_KEY_ID: awscli's --profile wins over
      // the environment
      // (https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html).
      ProfileCredentialsProvider.Builder profile =
          ProfileCredentialsProvider.builder().profileName(settings.profile());
      if (settings.profileFile() != null) {
        profile.profileFile(settings.profileFile());
      }
      builder.credentialsProvider(profile.build());
    }
    return builder;
  }
}
