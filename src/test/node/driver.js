'use strict';
// One child of LambdaBenchmark: loads the handler (init), sends it batches of 10 distinct TxMA
// events as SQS events, and writes its timings as JSON to the result file.
//   node driver.js <cold|warm> <warmup> <measured> <runId> <resultFile>
// Times are epoch microseconds (CLOCK_REALTIME, the clock the parent reads before it starts this
// process); CPU is utime + stime of /proc/self/stat (all threads), in milliseconds.
const fs = require('fs');

const nowMicros = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

function cpuMillis() {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15, in clock ticks (USER_HZ 100)
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const [mode, warmupText, measuredText, runId, resultFile] = process.argv.slice(2);
const { handler } = require('./handler');
const readyMicros = nowMicros();

const NAMES = ['DCMAW_ASYNC_CRI_START', 'DCMAW_ASYNC_CRI_VC_ISSUED', 'DCMAW_ASYNC_CRI_END'];

// The bodies of dev.evtctl.testing.TxmaBodies#event, character for character.
function body(session, name, timestamp) {
  return (
    `{"event_name":"${name}","component_id":"https://review-b.account.gov.uk","timestamp":` +
    `${timestamp},"user":{"user_id":"urn:fdc:gov.uk:2022:abc","session_id":"${session}",` +
    `"govuk_signin_journey_id":"journey-1","transaction_id":"tx-1",` +
    `"ip_address":"203.0.113.7"}}`
  );
}

function batch(number) {
  const session = `${runId}-b${number}`;
  const records = [];
  for (let i = 0; i < 10; i++) {
    records.push({
      messageId: `${session}-m${i}`,
      receiptHandle: `rh-${session}-${i}`,
      body: body(session, NAMES[i % NAMES.length], 1763900000 + i),
      attributes: {},
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-2:000000000000:bench',
      awsRegion: 'eu-west-2',
    });
  }
  return { Records: records };
}

async function main() {
  const first = batch(0);
  const batchStartMicros = nowMicros();
  let response = await handler(first, {});
  const doneMicros = nowMicros();
  const cpuAtFirstBatch = cpuMillis();
  let failures = response.batchItemFailures.length;
  const result = {
    variant: 'node',
    readyMicros,
    batchStartMicros,
    doneMicros,
    cpuMillis: cpuAtFirstBatch,
    batches: 1,
  };
  if (mode === 'warm') {
    const warmup = Number(warmupText);
    const measured = Number(measuredText);
    for (let b = 1; b <= warmup; b++) {
      response = await handler(batch(b), {});
      failures += response.batchItemFailures.length;
    }
    const cpuBefore = cpuMillis();
    const perBatchMicros = [];
    for (let b = warmup + 1; b <= warmup + measured; b++) {
      const event = batch(b);
      const start = process.hrtime.bigint();
      response = await handler(event, {});
      perBatchMicros.push(Number((process.hrtime.bigint() - start) / 1000n));
      failures += response.batchItemFailures.length;
    }
    result.measuredCpuMillis = cpuMillis() - cpuBefore;
    result.perBatchMicros = perBatchMicros;
    result.batches = 1 + warmup + measured;
  }
  result.failures = failures;
  fs.writeFileSync(resultFile, JSON.stringify(result));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
