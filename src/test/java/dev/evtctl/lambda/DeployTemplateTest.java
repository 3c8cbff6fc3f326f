package dev.evtctl.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.evtctl.cli.Evtctl;
import dev.evtctl.core.pipeline.Json;
import dev.evtctl.core.pipeline.Pipeline;
import dev.evtctl.core.pipeline.Pipelines;
import dev.evtctl.core.stack.Stack;
import dev.evtctl.core.stack.StackNames;
import dev.evtctl.testing.BatchFailures;
import dev.evtctl.testing.CloudFormationTemplate;
import dev.evtctl.testing.EmbeddedAws;
import dev.evtctl.testing.Fixtures;
import dev.evtctl.testing.PipelineTables;
import dev.evtctl.testing.QueueDepth;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * deploy/template.yaml and {@code evtctl stack create} make the same stack: the template rendered
 * for a pipeline is compared with what {@link Stack#create} (the command's defaults) creates on the
 * embedded backends (queue names, redrive policy, tables with their keys, indexes and TTL), and the
 * environment the template gives the function configures the real handler on those resources.
 */
@ExtendWith(EmbeddedAws.class)
class DeployTemplateTest {

  private static final Path TEMPLATE = Path.of("deploy/template.yaml");

  private static CloudFormationTemplate template;

  @BeforeAll
  static void readTemplate() throws IOException {
    template = CloudFormationTemplate.read(TEMPLATE);
  }

  @Test
  void cfnLintFindsNothing() throws Exception {
    Optional<Path> cfnLint = onPath("cfn-lint");
    Assumptions.assumeTrue(cfnLint.isPresent(), "cfn-lint is not on the PATH");

    Process process =
        new ProcessBuilder(cfnLint.get().toString(), "--", TEMPLATE.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(180, TimeUnit.SECONDS)).isTrue();

    // cfn-lint's exit code is a bit mask: 2 errors, 4 warnings, 8 informational
    assertThat(process.exitValue()).as(out).isZero();
    assertThat(out).isBlank();
  }

  @ParameterizedTest(name = "{0}, FIFO {1}")
  @CsvSource({
    "txma, false",
    "txma, true",
    "ledger, false",
    "ledger, true",
    "messages, false",
    "messages, true"
  })
  void createsWhatStackCreateCreates(
      String pipelineName, boolean fifo, EmbeddedAws.Backends backends) throws IOException {
    // GIVEN a stack made by evtctl stack create, with the command's defaults, every request to
    // SQS and DynamoDB recorded
    StackNames names = new StackNames(uniqueName(pipelineName), fifo);
    RecordedRequests requests = new RecordedRequests();
    SqsClient sqs = backends.sqs(requests);
    DynamoDbClient dynamoDb = backends.dynamoDb(requests);
    stackCreate(Pipelines.builtIn(pipelineName), names, sqs, dynamoDb);

    // WHEN the template is rendered for the same name, pipeline and queue type
    CloudFormationTemplate.Rendered rendered =
        template.render(
            Map.of(
                "StackName", names.name(),
                "Pipeline", pipelineName,
                "Fifo", Boolean.toString(fifo)));

    // THEN the queues have the same names, type, redrive policy and retention
    JsonNode queue = rendered.properties("Queue");
    JsonNode deadLetterQueue = rendered.properties("DeadLetterQueue");
    assertThat(rendered.ofType("AWS::SQS::Queue")).containsOnlyKeys("Queue", "DeadLetterQueue");
    assertThat(queue.path("QueueName").asText()).isEqualTo(names.queue());
    assertThat(deadLetterQueue.path("QueueName").asText()).isEqualTo(names.deadLetterQueue());
    Map<QueueAttributeName, String> queueAsked = requests.createQueue(names.queue());
    Map<QueueAttributeName, String> deadLetterQueueAsked =
        requests.createQueue(names.deadLetterQueue());
    assertThat(queue.path("FifoQueue").asBoolean(false))
        .isEqualTo(fifo)
        .isEqualTo(Boolean.parseBoolean(queueAsked.get(QueueAttributeName.FIFO_QUEUE)));
    assertThat(deadLetterQueue.path("FifoQueue").asBoolean(false))
        .isEqualTo(fifo)
        .isEqualTo(Boolean.parseBoolean(deadLetterQueueAsked.get(QueueAttributeName.FIFO_QUEUE)));
    // FIFO queues deduplicate by content, as the originals' do
    assertThat(queue.path("ContentBasedDeduplication").asBoolean(false))
        .isEqualTo(fifo)
        .isEqualTo(
            Boolean.parseBoolean(queueAsked.get(QueueAttributeName.CONTENT_BASED_DEDUPLICATION)));
    assertThat(deadLetterQueue.path("ContentBasedDeduplication").asBoolean(false))
        .isEqualTo(fifo)
        .isEqualTo(
            Boolean.parseBoolean(
                deadLetterQueueAsked.get(QueueAttributeName.CONTENT_BASED_DEDUPLICATION)));
    JsonNode redrive = Json.MAPPER.readTree(queueAsked.get(QueueAttributeName.REDRIVE_POLICY));
    assertThat(queue.at("/RedrivePolicy/maxReceiveCount").asInt())
        .isEqualTo(redrive.get("maxReceiveCount").asInt());
    assertThat(queue.at("/RedrivePolicy/deadLetterTargetArn")).isEqualTo(getAtt("DeadLetterQueue"));
    assertThat(redrive.get("deadLetterTargetArn").asText()).endsWith(":" + names.deadLetterQueue());
    assertThat(deadLetterQueue.path("MessageRetentionPeriod").asText())
        .isEqualTo(deadLetterQueueAsked.get(QueueAttributeName.MESSAGE_RETENTION_PERIOD));
    // stack create leaves the queue's retention at SQS's default, 4 days; the template says so
    assertThat(queueAsked).doesNotContainKey(QueueAttributeName.MESSAGE_RETENTION_PERIOD);
    assertThat(queue.path("MessageRetentionPeriod").asInt()).isEqualTo(4 * 24 * 3600);
    // (the visibility timeouts differ on purpose: 30 s for evtctl drain, six times the function
    // timeout in the template; see everyFunctionTimeoutGives...)

    // AND the tables have the same names, keys, attribute types, indexes, TTL attribute, billing
    // mode and encryption
    Map<String, JsonNode> tables = rendered.ofType("AWS::DynamoDB::Table");
    List<String> expectedTables = new ArrayList<>(List.of(names.eventsTable()));
    if (pipelineName.equals("ledger")) {
      expectedTables.add(names.idempotencyTable());
    }
    assertThat(tables.values())
        .extracting(table -> table.at("/Properties/TableName").asText())
        .containsExactlyInAnyOrderElementsOf(expectedTables);
    for (JsonNode table : tables.values()) {
      JsonNode properties = table.get("Properties");
      String tableName = properties.get("TableName").asText();
      TableDescription description = dynamoDb.describeTable(r -> r.tableName(tableName)).table();
      assertThat(keys(properties.get("KeySchema")))
          .as(tableName)
          .isEqualTo(
              description.keySchema().stream()
                  .map(key -> key.attributeName() + " " + key.keyTypeAsString())
                  .toList());
      assertThat(attributes(properties.get("AttributeDefinitions")))
          .as(tableName)
          .isEqualTo(
              new TreeMap<>(
                  description.attributeDefinitions().stream()
                      .collect(
                          Collectors.toMap(
                              a -> a.attributeName(), a -> a.attributeTypeAsString()))));
      assertThat(indexes(properties.path("GlobalSecondaryIndexes")))
          .as(tableName)
          .isEqualTo(indexes(description));
      TimeToLiveDescription ttl =
          dynamoDb.describeTimeToLive(r -> r.tableName(tableName)).timeToLiveDescription();
      assertThat(properties.at("/TimeToLiveSpecification/AttributeName").textValue())
          .as(tableName)
          .isEqualTo(ttl.attributeName());
      assertThat(properties.at("/TimeToLiveSpecification/Enabled").asBoolean(false))
          .isEqualTo(ttl.attributeName() != null);
      CreateTableRequest asked = requests.createTable(tableName);
      // the events table streams new images (seed 002's table, seed 003's Sender); the
      // idempotency table does not
      boolean streamed = tableName.equals(names.eventsTable());
      assertThat(
              description.streamSpecification() != null
                  && Boolean.TRUE.equals(description.streamSpecification().streamEnabled()))
          .as(tableName + " stream")
          .isEqualTo(streamed);
      assertThat(properties.at("/StreamSpecification/StreamViewType").asText(""))
          .as(tableName)
          .isEqualTo(streamed ? "NEW_IMAGE" : "")
          .isEqualTo(streamed ? description.streamSpecification().streamViewTypeAsString() : "");
      assertThat(properties.path("BillingMode").asText()).isEqualTo(asked.billingModeAsString());
      assertThat(properties.at("/SSESpecification/SSEEnabled").asBoolean())
          .isEqualTo(asked.sseSpecification().enabled())
          .isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"txma", "ledger", "messages"})
  void theFunctionsEnvironmentRunsTheHandlerOnTheStack(
      String pipelineName, EmbeddedAws.Backends backends) {
    // GIVEN a stack from evtctl stack create and the template rendered for it
    StackNames names = new StackNames(uniqueName(pipelineName), false);
    SqsClient sqs = backends.sqs();
    DynamoDbClient dynamoDb = backends.dynamoDb();
    stackCreate(Pipelines.builtIn(pipelineName), names, sqs, dynamoDb);
    CloudFormationTemplate.Rendered rendered =
        template.render(Map.of("StackName", names.name(), "Pipeline", pipelineName));
    Map<String, String> environment = environment(rendered, sqs);
    assertThat(environment)
        .containsOnlyKeys(
            "PIPELINE",
            "EVENTS_TABLE_NAME",
            "IDEMPOTENCY_TABLE_NAME",
            "INVALID_POLICY",
            "DLQ_URL",
            "TTL_SECONDS",
            "CONCURRENCY",
            "POWERTOOLS_SERVICE_NAME",
            "JAVA_TOOL_OPTIONS");

    // WHEN the handler, configured by exactly that environment, gets a batch
    SQSEvent event = Fixtures.sqsEvent(pipelineName + "-happy.json");
    SQSBatchResponse response =
        new SqsEventsHandler(environment, dynamoDb, sqs).handleRequest(event, null);

    // THEN every event is stored in the stack's tables
    assertThat(BatchFailures.of(response)).isEmpty();
    assertThat(PipelineTables.scan(dynamoDb, names.eventsTable())).hasSize(distinctBodies(event));
    if (pipelineName.equals("ledger")) {
      assertThat(PipelineTables.scan(dynamoDb, names.idempotencyTable()))
          .hasSize(event.getRecords().size());
    }
  }

  @Test
  void withTheDlqPolicyInvalidEventsGoToTheStacksDeadLetterQueue(EmbeddedAws.Backends backends) {
    // GIVEN a txma stack deployed with INVALID_POLICY=dlq
    StackNames names = new StackNames(uniqueName("dlq"), false);
    SqsClient sqs = backends.sqs();
    DynamoDbClient dynamoDb = backends.dynamoDb();
    stackCreate(Pipelines.builtIn("txma"), names, sqs, dynamoDb);
    CloudFormationTemplate.Rendered rendered =
        template.render(Map.of("StackName", names.name(), "InvalidPolicy", "dlq"));
    SqsEventsHandler handler = new SqsEventsHandler(environment(rendered, sqs), dynamoDb, sqs);

    // WHEN a batch of one good and one non-JSON message arrives
    SQSEvent event = Fixtures.sqsEvent("txma-invalid.json");
    event.setRecords(List.of(event.getRecords().get(0), event.getRecords().get(1)));
    SQSBatchResponse response = handler.handleRequest(event, null);

    // THEN the bad one is in the stack's dead-letter queue and the good one in its table
    assertThat(BatchFailures.of(response)).isEmpty();
    assertThat(QueueDepth.of(sqs, names.deadLetterQueue())).isEqualTo(1);
    assertThat(PipelineTables.scan(dynamoDb, names.eventsTable())).hasSize(1);
  }

  @ParameterizedTest(name = "{0}, invalid policy {1}")
  @CsvSource({
    "txma, record",
    "txma, dlq",
    "ledger, record",
    "ledger, dlq",
    "messages, drop",
    "messages, dlq"
  })
  void theRoleAllowsWhatTheHandlerDoesOnTheStacksResourcesAndNothingElse(
      String pipeline, String invalidPolicy) {
    CloudFormationTemplate.Rendered rendered =
        template.render(
            Map.of("StackName", "audit", "Pipeline", pipeline, "InvalidPolicy", invalidPolicy));

    assertThat(rendered.ofType("AWS::IAM::Role")).containsOnlyKeys("FunctionRole");
    JsonNode role = rendered.properties("FunctionRole");
    assertThat(role.has("ManagedPolicyArns")).isFalse();
    assertThat(role.path("Policies")).hasSize(1);
    assertThat(rendered.properties("Function").path("Role")).isEqualTo(getAtt("FunctionRole"));
    assertThat(rendered.properties("Function").has("Policies")).isFalse();

    Map<String, List<String>> granted = new TreeMap<>();
    for (JsonNode statement : role.at("/Policies/0/PolicyDocument/Statement")) {
      assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
      JsonNode resource = statement.path("Resource");
      assertThat(resource.path("Fn::GetAtt").path(1).asText())
          .as(statement.toString())
          .isEqualTo("Arn");
      List<String> actions = new ArrayList<>();
      statement.path("Action").forEach(action -> actions.add(action.asText()));
      if (statement.path("Action").isTextual()) {
        actions.add(statement.path("Action").asText());
      }
      granted.put(resource.path("Fn::GetAtt").path(0).asText(), actions);
    }
    String eventsTable = logicalIdOfTable(rendered, "audit-events");
    Map<String, List<String>> expected = new TreeMap<>();
    expected.put("FunctionLogGroup", List.of("logs:CreateLogStream", "logs:PutLogEvents"));
    expected.put(
        "Queue", List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"));
    expected.put(eventsTable, List.of("dynamodb:PutItem", "dynamodb:GetItem"));
    if (pipeline.equals("ledger")) {
      expected.put(logicalIdOfTable(rendered, "audit-idempotency"), List.of("dynamodb:PutItem"));
    }
    if (invalidPolicy.equals("dlq")) {
      expected.put("DeadLetterQueue", List.of("sqs:SendMessage"));
    }
    assertThat(granted).isEqualTo(expected);
    assertThat(rendered.properties("FunctionLogGroup").path("LogGroupName").asText())
        .isEqualTo("/aws/lambda/" + rendered.properties("Function").path("FunctionName").asText());
  }

  @Test
  void withACustomerManagedKeyEverythingIsEncryptedWithItAndOnlySqsAndDynamoDbMayUseIt() {
    String key = "arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    CloudFormationTemplate.Rendered withKey =
        template.render(Map.of("StackName", "audit", "Pipeline", "ledger", "KmsKeyArn", key));
    CloudFormationTemplate.Rendered withoutKey =
        template.render(Map.of("StackName", "audit", "Pipeline", "ledger"));

    for (String queue : List.of("Queue", "DeadLetterQueue")) {
      assertThat(withKey.properties(queue).path("KmsMasterKeyId").asText()).isEqualTo(key);
      assertThat(withKey.properties(queue).has("SqsManagedSseEnabled")).isFalse();
      assertThat(withoutKey.properties(queue).path("SqsManagedSseEnabled").asBoolean()).isTrue();
      assertThat(withoutKey.properties(queue).has("KmsMasterKeyId")).isFalse();
    }
    for (String table : withKey.ofType("AWS::DynamoDB::Table").keySet()) {
      assertThat(withKey.properties(table).path("SSESpecification"))
          .isEqualTo(
              Json.MAPPER
                  .createObjectNode()
                  .put("SSEEnabled", true)
                  .put("SSEType", "KMS")
                  .put("KMSMasterKeyId", key));
      assertThat(withoutKey.properties(table).path("SSESpecification"))
          .isEqualTo(Json.MAPPER.createObjectNode().put("SSEEnabled", true));
    }
    JsonNode keyStatement = null;
    for (JsonNode statement :
        withKey.properties("FunctionRole").at("/Policies/0/PolicyDocument/Statement")) {
      if (statement.path("Resource").asText().equals(key)) {
        keyStatement = statement;
      }
    }
    assertThat(keyStatement).isNotNull();
    assertThat(keyStatement.at("/Condition/StringEquals/kms:ViaService"))
        .extracting(service -> service.path("Fn::Sub").asText())
        .containsExactlyInAnyOrder(
            "sqs.${AWS::Region}.amazonaws.com", "dynamodb.${AWS::Region}.amazonaws.com");
    assertThat(withoutKey.properties("FunctionRole").toString()).doesNotContain("kms:");
  }

  @Test
  void everyFunctionTimeoutGivesTheQueueAVisibilityTimeoutOfAtLeastSixTimesIt() {
    JsonNode allowed = template.raw().at("/Parameters/FunctionTimeout/AllowedValues");
    assertThat(allowed).isNotEmpty();
    for (JsonNode value : allowed) {
      CloudFormationTemplate.Rendered rendered =
          template.render(Map.of("StackName", "audit", "FunctionTimeout", value.asText()));

      int timeout = rendered.properties("Function").path("Timeout").asInt();
      int visibility = rendered.properties("Queue").path("VisibilityTimeout").asInt();
      assertThat(timeout).isEqualTo(Integer.parseInt(value.asText()));
      // SQS: a visibility timeout is at most 12 hours
      assertThat(visibility).isGreaterThanOrEqualTo(6 * timeout).isLessThanOrEqualTo(43_200);
    }
  }

  @ParameterizedTest(name = "FIFO {0}")
  @ValueSource(booleans = {false, true})
  void theQueueFeedsTheHandlerWhichReportsBatchItemFailures(boolean fifo) throws Exception {
    CloudFormationTemplate.Rendered rendered =
        template.render(
            Map.of(
                "StackName", "audit",
                "Fifo", Boolean.toString(fifo),
                "BatchSize", "10",
                "MaximumBatchingWindowInSeconds", "5"));

    Map<String, JsonNode> mappings = rendered.ofType("AWS::Lambda::EventSourceMapping");
    assertThat(mappings).hasSize(1);
    JsonNode mapping = mappings.values().iterator().next().get("Properties");
    assertThat(mapping.path("EventSourceArn")).isEqualTo(getAtt("Queue"));
    // the alias SAM publishes each version behind: SnapStart snapshots published versions only
    assertThat(mapping.path("FunctionName")).isEqualTo(ref("Function.Alias"));
    assertThat(mapping.path("FunctionResponseTypes"))
        .containsExactly(Json.MAPPER.getNodeFactory().textNode("ReportBatchItemFailures"));
    assertThat(mapping.path("BatchSize").asInt()).isEqualTo(10);
    // Lambda: "Batching window is not supported for FIFO queues"
    assertThat(mapping.has("MaximumBatchingWindowInSeconds")).isEqualTo(!fifo);
    if (!fifo) {
      assertThat(mapping.path("MaximumBatchingWindowInSeconds").asInt()).isEqualTo(5);
    }

    JsonNode function = rendered.properties("Function");
    assertThat(rendered.resource("Function").path("Type").asText())
        .isEqualTo("AWS::Serverless::Function");
    assertThat(function.path("Handler").asText())
        .isEqualTo(SqsEventsHandler.class.getName() + "::handleRequest");
    assertThat(SqsEventsHandler.class.getMethod("handleRequest", SQSEvent.class, Context.class))
        .isNotNull();
    assertThat(TEMPLATE.getParent().resolve(function.path("CodeUri").asText()).normalize())
        .isEqualTo(Path.of("target/evtctl-lambda.jar"));
    assertThat(function.path("Runtime").asText()).startsWith("java");
  }

  @ParameterizedTest
  @ValueSource(strings = {"txma", "ledger", "messages"})
  void publishedVersionsStartFromAPrimedSnapStartSnapshot(String pipeline) {
    CloudFormationTemplate.Rendered rendered =
        template.render(Map.of("StackName", "audit", "Pipeline", pipeline));

    // SnapStart on every version SAM publishes, behind the alias the queue feeds
    JsonNode function = rendered.properties("Function");
    assertThat(function.path("AutoPublishAlias").asText()).isEqualTo("live");
    assertThat(function.at("/SnapStart/ApplyOn").asText()).isEqualTo("PublishedVersions");
    assertThat(rendered.ofType("AWS::Lambda::EventSourceMapping").values())
        .extracting(mapping -> mapping.at("/Properties/FunctionName"))
        .containsExactly(ref("Function.Alias"));
    // the JVM options kept: tiered compilation stops at C1
    assertThat(function.at("/Environment/Variables/JAVA_TOOL_OPTIONS").asText())
        .isEqualTo("-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
    // the snapshot is primed: the handler is a CRaC resource with a priming hook
    assertThat(org.crac.Resource.class).isAssignableFrom(SqsEventsHandler.class);
  }

  @Test
  void anAlarmGoesOffWhenTheDeadLetterQueueHoldsAMessage() {
    String topic = "arn:aws:sns:eu-west-2:111122223333:evtctl-alarms";
    CloudFormationTemplate.Rendered rendered =
        template.render(Map.of("StackName", "audit", "AlarmTopicArn", topic));

    JsonNode alarm = null;
    for (JsonNode candidate : rendered.ofType("AWS::CloudWatch::Alarm").values()) {
      if (candidate.at("/Properties/Namespace").asText().equals("AWS/SQS")) {
        alarm = candidate.get("Properties");
      }
    }
    assertThat(alarm).isNotNull();
    assertThat(alarm.path("MetricName").asText()).isEqualTo("ApproximateNumberOfMessagesVisible");
    assertThat(alarm.path("Dimensions"))
        .containsExactly(
            Json.MAPPER
                .createObjectNode()
                .put("Name", "QueueName")
                .set(
                    "Value",
                    Json.MAPPER
                        .createObjectNode()
                        .set(
                            "Fn::GetAtt",
                            Json.MAPPER
                                .createArrayNode()
                                .add("DeadLetterQueue")
                                .add("QueueName"))));
    assertThat(alarm.path("ComparisonOperator").asText()).isEqualTo("GreaterThanThreshold");
    assertThat(alarm.path("Threshold").asInt()).isZero();
    assertThat(alarm.path("AlarmActions"))
        .containsExactly(Json.MAPPER.getNodeFactory().textNode(topic));
    assertThat(
            template.render(Map.of("StackName", "audit")).ofType("AWS::CloudWatch::Alarm").values())
        .allSatisfy(
            without -> assertThat(without.at("/Properties/AlarmActions").isMissingNode()).isTrue());
  }

  /** Every request the clients it is given to make, to see what stack create asked for. */
  private static final class RecordedRequests implements ExecutionInterceptor {
    private final List<SdkRequest> requests = new CopyOnWriteArrayList<>();

    @Override
    public void beforeExecution(
        software.amazon.awssdk.core.interceptor.Context.BeforeExecution context,
        ExecutionAttributes attributes) {
      requests.add(context.request());
    }

    /** The attributes of the last CreateQueue for this queue. */
    Map<QueueAttributeName, String> createQueue(String queue) {
      return requests.stream()
          .filter(r -> r instanceof CreateQueueRequest create && create.queueName().equals(queue))
          .map(r -> ((CreateQueueRequest) r).attributes())
          .reduce((first, second) -> second)
          .orElseThrow(() -> new AssertionError("no CreateQueue for " + queue));
    }

    CreateTableRequest createTable(String table) {
      return requests.stream()
          .filter(r -> r instanceof CreateTableRequest create && create.tableName().equals(table))
          .map(CreateTableRequest.class::cast)
          .reduce((first, second) -> second)
          .orElseThrow(() -> new AssertionError("no CreateTable for " + table));
    }
  }

  // --- helpers

  private static String uniqueName(String prefix) {
    return "tpl-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** What evtctl stack create does with its defaults (read from the command model). */
  private static void stackCreate(
      Pipeline pipeline, StackNames names, SqsClient sqs, DynamoDbClient dynamoDb) {
    CommandLine.Model.CommandSpec create =
        Evtctl.commandLine()
            .getSubcommands()
            .get("stack")
            .getSubcommands()
            .get("create")
            .getCommandSpec();
    new Stack(sqs, dynamoDb)
        .create(
            pipeline,
            names,
            Integer.parseInt(create.findOption("--max-receive-count").defaultValue()),
            Integer.parseInt(create.findOption("--visibility-timeout").defaultValue()));
  }

  /**
   * The function's environment variables as Lambda would set them for this stack: a Ref to a table
   * is its name, a Ref to a queue its URL.
   */
  private static Map<String, String> environment(
      CloudFormationTemplate.Rendered rendered, SqsClient sqs) {
    Map<String, String> environment = new LinkedHashMap<>();
    rendered
        .properties("Function")
        .at("/Environment/Variables")
        .fields()
        .forEachRemaining(
            variable -> {
              JsonNode value = variable.getValue();
              String resolved;
              if (value.isTextual()) {
                resolved = value.asText();
              } else {
                String logicalId = value.path("Ref").asText();
                JsonNode resource = rendered.resource(logicalId);
                switch (resource.path("Type").asText()) {
                  case "AWS::DynamoDB::Table":
                    resolved = resource.at("/Properties/TableName").asText();
                    break;
                  case "AWS::SQS::Queue":
                    String queue = resource.at("/Properties/QueueName").asText();
                    resolved = sqs.getQueueUrl(r -> r.queueName(queue)).queueUrl();
                    break;
                  default:
                    throw new AssertionError("unexpected reference in the environment: " + value);
                }
              }
              environment.put(variable.getKey(), resolved);
            });
    return environment;
  }

  private static String logicalIdOfTable(CloudFormationTemplate.Rendered rendered, String name) {
    return rendered.ofType("AWS::DynamoDB::Table").entrySet().stream()
        .filter(table -> table.getValue().at("/Properties/TableName").asText().equals(name))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no table " + name));
  }

  private static int distinctBodies(SQSEvent event) {
    return (int) event.getRecords().stream().map(SQSEvent.SQSMessage::getBody).distinct().count();
  }

  private static List<String> keys(JsonNode keySchema) {
    List<String> keys = new ArrayList<>();
    keySchema.forEach(
        key -> keys.add(key.path("AttributeName").asText() + " " + key.path("KeyType").asText()));
    return keys;
  }

  private static Map<String, String> attributes(JsonNode definitions) {
    Map<String, String> attributes = new TreeMap<>();
    definitions.forEach(
        definition ->
            attributes.put(
                definition.path("AttributeName").asText(),
                definition.path("AttributeType").asText()));
    return attributes;
  }

  /** Index name to "keys | projection". */
  private static Map<String, String> indexes(JsonNode indexes) {
    Map<String, String> found = new TreeMap<>();
    indexes.forEach(
        index ->
            found.put(
                index.path("IndexName").asText(),
                keys(index.path("KeySchema"))
                    + " | "
                    + index.at("/Projection/ProjectionType").asText()));
    return found;
  }

  private static Map<String, String> indexes(TableDescription description) {
    Map<String, String> found = new TreeMap<>();
    description
        .globalSecondaryIndexes()
        .forEach(
            index ->
                found.put(
                    index.indexName(),
                    index.keySchema().stream()
                            .map(key -> key.attributeName() + " " + key.keyTypeAsString())
                            .toList()
                        + " | "
                        + index.projection().projectionTypeAsString()));
    return found;
  }

  private static JsonNode getAtt(String logicalId) {
    return Json.MAPPER
        .createObjectNode()
        .set("Fn::GetAtt", Json.MAPPER.createArrayNode().add(logicalId).add("Arn"));
  }

  private static JsonNode ref(String logicalId) {
    return Json.MAPPER.createObjectNode().put("Ref", logicalId);
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Stream.of(path.split(File.pathSeparator))
        .map(directory -> Path.of(directory, program))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
