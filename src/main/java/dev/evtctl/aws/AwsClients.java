package dev.evtctl.aws;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The one place clients are built: endpoint, region, credentials, retries and the HTTP client are
 * chosen here. The HTTP client is always given explicitly (the Lambda jar ships only the
 * URL-connection client, the CLI the Apache one), so the SDK never has to guess from the classpath.
 */
public final class AwsClients {

  private final ClientSettings settings;
  private final SdkHttpClient httpClient;

  public AwsClients(ClientSettings settings, SdkHttpClient httpClient) {
    this.settings = settings;
    this.httpClient = httpClient;
  }

  public DynamoDbClient dynamoDb() {
    return configure(DynamoDbClient.builder(), "dynamodb").build();
  }

  public SqsClient sqs() {
    return configure(SqsClient.builder(), "sqs").build();
  }

  /**
   * CloudWatch Logs, for the CLI's {@code drain --log-group} only: the Lambda jar leaves the
   * cloudwatchlogs module out (Lambda sends stderr to CloudWatch Logs itself), so only the CLI may
   * call this. Without an endpoint in the settings the SDK resolves one itself, as awscli does
   * ({@code AWS_ENDPOINT_URL_CLOUDWATCH_LOGS}, then {@code AWS_ENDPOINT_URL}, then the profile).
   */
  public CloudWatchLogsClient logs() {
    return configure(CloudWatchLogsClient.builder(), "logs").build();
  }

  private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
      B builder, String service) {
    builder.httpClient(httpClient);
    // Standard mode: up to 3 attempts with jittered backoff for throttling and 5xx
    // (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
    ClientOverrideConfiguration.Builder overrides =
        ClientOverrideConfiguration.builder().retryStrategy(RetryMode.STANDARD);
    settings.interceptors().forEach(overrides::addExecutionInterceptor);
    builder.overrideConfiguration(overrides.build());
    URI endpoint = settings.endpointFor(service);
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    if (settings.region() != null) {
      builder.region(settings.region());
    } else if (settings.profile() != null) {
      builder.region(
          new AwsProfileRegionProvider(() -> ProfileFile.defaultProfileFile(), settings.profile())
              .getRegion());
    }
    if (settings.credentials() != null) {
      builder.credentialsProvider(settings.credentials());
    } else if (settings.profile() != null) {
      builder.credentialsProvider(ProfileCredentialsProvider.create(settings.profile()));
    }
    return builder;
  }
}
