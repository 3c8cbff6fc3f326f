'use strict';
// LambdaBenchmark's Node row: the work of the original dequeue Lambda (Node, AWS SDK v3), written
// for the comparison. One conditional PutItem per record, in turn; the item is the txma
// pipeline's (pk SESSION#<session_id>, sk TXMA#EVENT_NAME#<event_name>#TIMESTAMP#<timestamp>, the
// raw body, the TTL). A record that fails goes back in batchItemFailures.
const {
  DynamoDBClient,
  PutItemCommand,
  ConditionalCheckFailedException,
} = require('@aws-sdk/client-dynamodb');

const tableName = process.env.EVENTS_TABLE_NAME;
const ttlSeconds = Number(process.env.TXMA_EVENT_TTL_DURATION_IN_SECONDS || 1209600);

// Built once, at init, as a Lambda function should; region, credentials and endpoint
// (AWS_ENDPOINT_URL_DYNAMODB) come from the environment.
const dynamoDb = new DynamoDBClient({});

async function store(record) {
  const event = JSON.parse(record.body);
  const item = {
    pk: { S: `SESSION#${event.user.session_id}` },
    sk: { S: `TXMA#EVENT_NAME#${event.event_name}#TIMESTAMP#${event.timestamp}` },
    event: { S: record.body },
    timeToLiveInSeconds: { N: String(Math.floor(Date.now() / 1000) + ttlSeconds) },
  };
  try {
    await dynamoDb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': 'pk' },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) {
      throw error;
    }
    // already stored: a redelivery
  }
}

exports.handler = async (sqsEvent) => {
  const batchItemFailures = [];
  for (const record of sqsEvent.Records || []) {
    try {
      await store(record);
    } catch (error) {
      console.error(JSON.stringify({ messageId: record.messageId, error: String(error) }));
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};
