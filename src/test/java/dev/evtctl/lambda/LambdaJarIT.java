package dev.evtctl.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.PipelineTables;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** target/evtctl-lambda.jar as uploaded to Lambda: small, self-contained, nothing of the CLI. */
@ExtendWith(EmbeddedAws.class)
class LambdaJarIT {

  private static final Path JAR = Path.of("target/evtctl-lambda.jar");

  /** The jar's size before core was split and the operator tools left it (13.8 MB). */
  private static final long BEFORE_THE_SPLIT = 13_800_000;

  @Test
  void isSmallAndHoldsNoCliOperatorOrEmulatorClasses() throws IOException {
    assertThat(Files.size(JAR)).isLessThan(BEFORE_THE_SPLIT);
    try (ZipFile zip = new ZipFile(JAR.toFile())) {
      List<String> names = zip.stream().map(ZipEntry::getName).toList();
      // the Lambda's parts of core, none of the operator tools' engines
      assertThat(
              names.stream()
                  .filter(name -> name.startsWith("dev/evtctl/core/") && name.endsWith(".class")))
          .allMatch(
              name ->
                  name.startsWith("dev/evtctl/core/pipeline/")
                      || name.startsWith("dev/evtctl/core/processing/"));
      assertThat(names)
          .contains(
              "dev/evtctl/lambda/SqsEventsHandler.class",
              "dev/evtctl/core/pipeline/Pipeline.class",
              "dev/evtctl/core/processing/BatchProcessor.class",
              "pipelines/txma.json",
              "schemas/ledger/user.created.json",
              "META-INF/services/ch.qos.logback.classic.spi.Configurator",
              "software/amazon/awssdk/http/urlconnection/UrlConnectionHttpClient.class",
              // SnapStart's runtime hooks, which the handler registers with
              "org/crac/Resource.class");
      assertThat(names)
          .noneMatch(
              name ->
                  name.startsWith("picocli/")
                      || name.startsWith("dev/evtctl/cli/")
                      || name.startsWith("dev/evtctl/local/")
                      || name.startsWith("org/elasticmq/")
                      || name.startsWith("software/amazon/dynamodb/")
                      || name.startsWith("org/apache/pekko/")
                      || name.startsWith("scala/")
                      || name.startsWith("software/amazon/awssdk/http/apache/")
                      // logs --follow's live tail: the async client's HTTP client
                      || name.startsWith("software/amazon/awssdk/http/nio/netty/")
                      || name.startsWith("io/netty/")
                      || name.startsWith("org/apache/http/"));
    }
  }

  /**
   * Loads the handler from the jar alone (no test classpath behind it), as the Lambda runtime does,
   * primes it, and runs a batch against DynamoDB Local through the SDK's own endpoint settings.
   */
  @Test
  void handlerRunsFromTheJarAlone(EmbeddedAws.Backends backends) throws Exception {
    DynamoDbClient dynamoDb = backends.dynamoDb();
    PipelineTables tables = PipelineTables.create(dynamoDb, "txma");
    System.setProperty("aws.endpointUrl", backends.settings().endpointFor("dynamodb").toString());
    System.setProperty("aws.region", "eu-west-2");
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
    try (URLClassLoader jar =
        new URLClassLoader(new URL[] {JAR.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      Class<?> handlerClass = jar.loadClass("dev.evtctl.lambda.SqsEventsHandler");
      Class<?> sqsClient = jar.loadClass("software.amazon.awssdk.services.sqs.SqsClient");
      Class<?> dynamoDbClient =
          jar.loadClass("software.amazon.awssdk.services.dynamodb.DynamoDbClient");
      Object handler =
          handlerClass
              .getConstructor(Map.class, dynamoDbClient, sqsClient)
              .newInstance(tables.environment(), null, null);
      // primed as before a SnapStart snapshot: the example's one write built, none sent
      assertThat(handlerClass.getMethod("prime").invoke(handler)).isEqualTo(1);

      Class<?> eventClass = jar.loadClass("com.amazonaws.services.lambda.runtime.events.SQSEvent");
      Class<?> messageClass =
          jar.loadClass("com.amazonaws.services.lambda.runtime.events.SQSEvent$SQSMessage");
      Object message = messageClass.getConstructor().newInstance();
      messageClass.getMethod("setMessageId", String.class).invoke(message, "jar-1");
      messageClass
          .getMethod("setBody", String.class)
          .invoke(
              message,
              "{\"event_name\":\"DCMAW_ASYNC_CRI_START\",\"timestamp\":1763900000,"
                  + "\"user\":{\"session_id\":\"from-the-jar\"}}");
      Object event = eventClass.getConstructor().newInstance();
      eventClass.getMethod("setRecords", List.class).invoke(event, List.of(message));
      Class<?> context = jar.loadClass("com.amazonaws.services.lambda.runtime.Context");
      Method handle = handlerClass.getMethod("handleRequest", eventClass, context);

      Object response = handle.invoke(handler, event, null);

      assertThat((List<?>) response.getClass().getMethod("getBatchItemFailures").invoke(response))
          .isEmpty();
    } finally {
      Thread.currentThread().setContextClassLoader(LambdaJarIT.class.getClassLoader());
    }
    assertThat(PipelineTables.scan(dynamoDb, tables.events(), "pk", "sk"))
        .extracting(item -> item.get("pk").s() + " " + item.get("sk").s())
        .containsExactly(
            "SESSION#from-the-jar TXMA#EVENT_NAME#DCMAW_ASYNC_CRI_START#TIMESTAMP#1763900000");
  }
}
