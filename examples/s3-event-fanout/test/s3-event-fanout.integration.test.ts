import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import * as fanout from '@herald/fanout';
import { evaluatorOptions, startLocalAws } from '@herald/local-aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSUMER_QUEUES } from '../src/consumer-queues.js';
import { runS3EventFanout, type FanoutReport } from '../src/fanout-workflow.js';

let local: Awaited<ReturnType<typeof startLocalAws>>;
let sns: SNSClient;
let sqs: SQSClient;
async function leftovers(prefix: string): Promise<string[]> {
  const topics = await sns.send(new ListTopicsCommand({}));
  const queues = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
  return [...(topics.Topics ?? []).map((t) => t.TopicArn ?? '').filter((arn) => arn.includes(prefix)), ...(queues.QueueUrls ?? [])];
}

beforeAll(async () => {
  // fauxqs 1.9.2 never looks inside a body's arrays, so no filter on `Records` would deliver
  // (docs/emulator-divergences.md): the local SNS filters with @herald/fanout's evaluator, as
  // `pnpm example` runs it.
  local = await startLocalAws({ dynamodb: false, ...evaluatorOptions(fanout) });
  sns = new SNSClient(local.clientConfig);
  sqs = new SQSClient(local.clientConfig);
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

  it('gives each queue exactly the events its filter selects', () => {
    for (const q of Object.values(report.queues)) {
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
  });
});

/** Runs the example's main.ts against an endpoint; resolves with its exit code and output. */
function runMain(env: Readonly<Record<string, string>>, args: readonly string[]): Promise<{ code: number | null; output: string }> {
  const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), main, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (exitCode) => resolve({ code: exitCode, output: text }));
  });
}

it('exits with 0 when every count agrees, printing the per-queue table', async () => {
  const { code, output } = await runMain(local.env, ['--events', '40', '--seed', '5']);
  expect(output).toContain('40 S3 events (seed 5)');
  for (const consumer of CONSUMER_QUEUES) expect(output).toContain(JSON.stringify(consumer.filterPolicy));
  expect(code, output).toBe(0);
  expect(output).toContain('✔ every queue processed exactly the events its filter selects');
}, 60_000);

it('exits with 1 when a queue misses events: plain fauxqs, whose body filters never look inside Records', async () => {
  const plain = await startLocalAws({ dynamodb: false });
  try {
    const { code, output } = await runMain(plain.env, ['--events', '40', '--seed', '5']);
    expect(code, output).toBe(1);
    expect(output).toContain('docs/emulator-divergences.md');
  } finally {
    await plain.stop();
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
