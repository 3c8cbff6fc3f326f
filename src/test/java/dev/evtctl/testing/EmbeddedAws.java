package dev.evtctl.testing;

import dev.evtctl.aws.AwsClients;
import dev.evtctl.aws.ClientSettings;
import dev.evtctl.local.LocalBackends;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * JUnit 5 extension: ElasticMQ and DynamoDB Local (behind the edge endpoint) started in this JVM
 * once, on free ports, shared by every test that asks for {@link Backends} as a parameter. Nothing
 * to install, no Docker.
 */
public final class EmbeddedAws implements ParameterResolver {

  /** The running backends, and clients pointed at them. */
  public static final class Backends implements AutoCloseable {
    private final LocalBackends local = LocalBackends.start(0, null);

    /** Clients straight to each backend. */
    public ClientSettings settings() {
      return ClientSettings.emulator(
          null, Map.of("dynamodb", local.dynamoDbEndpoint(), "sqs", local.sqsEndpoint()));
    }

    /** The edge endpoint in front of both, for command lines (--endpoint-url). */
    public String edge() {
      return local.endpoint().toString();
    }

    /** A DynamoDB client, with interceptors that inject faults where a test needs them. */
    public DynamoDbClient dynamoDb(ExecutionInterceptor... interceptors) {
      return clients(interceptors).dynamoDb();
    }

    public SqsClient sqs(ExecutionInterceptor... interceptors) {
      return clients(interceptors).sqs();
    }

    private AwsClients clients(ExecutionInterceptor... interceptors) {
      ClientSettings settings = settings();
      for (ExecutionInterceptor interceptor : interceptors) {
        settings = settings.withInterceptor(interceptor);
      }
      return new AwsClients(settings, UrlConnectionHttpClient.builder().build());
    }

    @Override
    public void close() {
      local.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Backends.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(EmbeddedAws.class))
        .getOrComputeIfAbsent(Backends.class, type -> new Backends(), Backends.class);
  }
}
