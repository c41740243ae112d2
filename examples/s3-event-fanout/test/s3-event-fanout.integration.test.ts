import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CreateTopicCommand, DeleteTopicCommand, ListTopicsCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { startLocalAws } from '@herald/local-aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSUMER_QUEUES } from '../src/consumer-queues.js';
import { runS3EventFanout, type FanoutReport } from '../src/fanout-workflow.js';
import { generateS3Events } from '../src/s3-events.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let local: Awaited<ReturnType<typeof startLocalAws>>;
let sns: SNSClient;
let sqs: SQSClient;
/** Whether the local SNS applies a body filter inside the `Records` array, as AWS does. */
let localSnsFiltersRecords: boolean;

/**
 * Asks the local SNS directly: a queue subscribed with the creations filter, one ObjectCreated
 * notification published. fauxqs 1.9.2 does not deliver it (docs/emulator-divergences.md).
 */
async function probeRecordsFilter(): Promise<boolean> {
  const name = `herald-s3-probe-${randomUUID()}`;
  const { TopicArn: topicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
  const { QueueUrl: queueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  if (topicArn === undefined || queueUrl === undefined) throw new Error('probe: no topic or queue');
  try {
    const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
    const creations = CONSUMER_QUEUES.find((c) => c.name === 'creations')!;
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: attributes.Attributes?.['QueueArn'],
        Attributes: { RawMessageDelivery: 'true', FilterPolicyScope: 'MessageBody', FilterPolicy: JSON.stringify(creations.filterPolicy) },
      }),
    );
    const created = generateS3Events({ count: 50, seed: 3, bucket: 'probe', startTime: new Date(0) }).find((g) => creations.wants(g.event))!;
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify(created.notification) }));
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
    return (received.Messages ?? []).length > 0;
  } finally {
    await Promise.allSettled([
      sns.send(new DeleteTopicCommand({ TopicArn: topicArn })),
      sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })),
    ]);
  }
}

async function leftovers(prefix: string): Promise<string[]> {
  const topics = await sns.send(new ListTopicsCommand({}));
  const queues = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
  return [...(topics.Topics ?? []).map((t) => t.TopicArn ?? '').filter((arn) => arn.includes(prefix)), ...(queues.QueueUrls ?? [])];
}

beforeAll(async () => {
  local = await startLocalAws({ dynamodb: false });
  sns = new SNSClient({ endpoint: local.endpoint, region: 'us-east-1', credentials });
  sqs = new SQSClient({ endpoint: local.endpoint, region: 'us-east-1', credentials });
  localSnsFiltersRecords = await probeRecordsFilter();
});

afterAll(async () => {
  sns?.destroy();
  sqs?.destroy();
  await local?.stop();
});

describe('S3 event fan-out example', () => {
  let report: FanoutReport;
  const prefix = `herald-s3-fanout-test-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    report = await runS3EventFanout({ sns, sqs, events: 300, seed: 1, prefix, idleMs: 1_500 });
  });

  it('publishes every notification and the test event, and deletes everything it created', async () => {
    expect(report.events).toBe(300);
    expect(report.published).toBe(301);
    expect(report.publishFailures).toEqual([]);
    expect(report.cleanupFailures).toEqual([]);
    expect(await leftovers(prefix)).toEqual([]);
  });

  it('has the evaluator agree with the hand-written rules on every queue', () => {
    for (const q of Object.values(report.queues)) {
      expect(q.evaluatorAgrees, q.name).toBe(true);
      expect(q.expectedByEvaluator, q.name).toBe(q.expected);
      expect(q.expected, q.name).toBeGreaterThan(0);
    }
    expect(report.queues.creations.expected + report.queues.deletions.expected).toBe(300);
  });

  it('gives each queue exactly the events its filter selects, or reports it when the local SNS does not', () => {
    const queues = Object.values(report.queues);
    if (localSnsFiltersRecords) {
      for (const q of queues) {
        expect({ name: q.name, received: q.received, missing: q.missing, unexpected: q.unexpected, testEvents: q.testEvents, failed: q.failed }).toEqual({
          name: q.name,
          received: q.expected,
          missing: 0,
          unexpected: 0,
          testEvents: 0,
          failed: 0,
        });
      }
      expect(report.ok).toBe(true);
    } else {
      // fauxqs 1.9.2: a body filter never looks inside Records, so nothing is delivered. The
      // example must notice: every selected event is missing, and the run is not ok.
      for (const q of queues) expect({ name: q.name, received: q.received, missing: q.missing }).toEqual({ name: q.name, received: 0, missing: q.expected });
      expect(report.ok).toBe(false);
    }
  });
});

it('exits with 0 when every count agrees and 1 when not, printing the per-queue table', async () => {
  const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), main, '--events', '40', '--seed', '5'], {
      env: { ...process.env, ...local.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (exitCode) => resolve({ code: exitCode, output: text }));
  });
  expect(output).toContain('40 S3 events (seed 5)');
  for (const consumer of CONSUMER_QUEUES) expect(output).toContain(JSON.stringify(consumer.filterPolicy));
  if (localSnsFiltersRecords) {
    expect(code, output).toBe(0);
    expect(output).toContain('✔ every queue processed exactly the events its filter selects');
  } else {
    expect(code, output).toBe(1);
    expect(output).toContain('docs/emulator-divergences.md');
  }
}, 60_000);

it('deletes what it created when setting up fails half-way', async () => {
  const prefix = `herald-s3-fanout-fails-${randomUUID().slice(0, 8)}`;
  local.setFaults({ seed: 1, serverError: 1, services: ['sns'], actions: ['Subscribe'] });
  try {
    await expect(runS3EventFanout({ sns, sqs, events: 5, prefix, idleMs: 100 })).rejects.toThrow();
  } finally {
    local.setFaults(undefined);
  }
  expect(await leftovers(prefix)).toEqual([]);
});
