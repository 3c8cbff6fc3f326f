package dev.evtctl.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.evtctl.testing.EmbeddedAws;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Tag;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.InvalidAttributeNameException;

/**
 * What the local stack does where LocalStack and AWS do otherwise, as docs/local.md's table says:
 * when one of these starts to pass or fail, the table is out of date.
 */
@ExtendWith(EmbeddedAws.class)
class LocalStackDifferencesTest {

  @Test
  void sqsTagsAreKept(EmbeddedAws.Backends aws) {
    SqsClient sqs = aws.sqs();
    String queue =
        sqs.createQueue(b -> b.queueName("differences-tagged").tags(Map.of("team", "a")))
            .queueUrl();
    sqs.tagQueue(b -> b.queueUrl(queue).tags(Map.of("cost", "b")));

    assertThat(sqs.listQueueTags(b -> b.queueUrl(queue)).tags())
        .isEqualTo(Map.of("team", "a", "cost", "b"));
  }

  @Test
  void redriveAllowPolicyIsRefused(EmbeddedAws.Backends aws) {
    SqsClient sqs = aws.sqs();
    String dlq = sqs.createQueue(b -> b.queueName("differences-dlq")).queueUrl();

    assertThatThrownBy(
            () ->
                sqs.setQueueAttributes(
                    b ->
                        b.queueUrl(dlq)
                            .attributesWithStrings(
                                Map.of(
                                    "RedriveAllowPolicy", "{\"redrivePermission\":\"allowAll\"}"))))
        .isInstanceOf(InvalidAttributeNameException.class);
  }

  @Test
  void listQueuesIgnoresMaxResultsAndNeverPages(EmbeddedAws.Backends aws) {
    SqsClient sqs = aws.sqs();
    for (int i = 0; i < 3; i++) {
      int n = i;
      sqs.createQueue(b -> b.queueName("differences-page-" + n));
    }

    var page = sqs.listQueues(b -> b.queueNamePrefix("differences-page-").maxResults(2));

    assertThat(page.queueUrls()).hasSize(3);
    assertThat(page.nextToken()).isNull();
  }

  @Test
  void dynamoDbTaggingAndPointInTimeRecoveryAreRefused(EmbeddedAws.Backends aws) {
    DynamoDbClient dynamoDb = aws.dynamoDb();
    dynamoDb.createTable(
        b ->
            b.tableName("differences-table")
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(
                    KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .attributeDefinitions(
                    AttributeDefinition.builder()
                        .attributeName("pk")
                        .attributeType(ScalarAttributeType.S)
                        .build()));
    String arn = dynamoDb.describeTable(b -> b.tableName("differences-table")).table().tableArn();

    // DynamoDB Local's ARNs name the region "ddblocal", whatever the client's
    assertThat(arn).startsWith("arn:aws:dynamodb:ddblocal:000000000000:table/");
    assertThatThrownBy(
            () ->
                dynamoDb.tagResource(
                    b -> b.resourceArn(arn).tags(Tag.builder().key("k").value("v").build())))
        .isInstanceOf(DynamoDbException.class)
        .hasMessageContaining("Tagging is not currently supported in DynamoDB Local");
    assertThatThrownBy(
            () -> dynamoDb.describeContinuousBackups(b -> b.tableName("differences-table")))
        .isInstanceOf(DynamoDbException.class)
        .hasMessageContaining("unknown operation");
    assertThat(
            dynamoDb
                .updateTable(b -> b.tableName("differences-table").deletionProtectionEnabled(true))
                .tableDescription()
                .deletionProtectionEnabled())
        .isTrue();
  }
}
