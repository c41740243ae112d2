import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type LocalAws, startLocalAws } from '@herald/local-aws';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runContainerSubscriptions } from '../src/container-subscriptions-workflow.js';

let local: LocalAws;
let sns: SNSClient;
let sqs: SQSClient;
let dynamodb: DynamoDBClient;

beforeAll(async () => {
  local = await startLocalAws({ dynamodb: true, dynamodbEndpoint: inject('heraldDynamoDbEndpoint') });
  const config = local.clientConfig;
  sns = new SNSClient(config);
  sqs = new SQSClient(config);
  dynamodb = new DynamoDBClient(config);
});

afterAll(async () => {
  sns?.destroy();
  sqs?.destroy();
  dynamodb?.destroy();
  await local?.stop();
});

describe('container subscriptions example', () => {
  it('scales 1 → 3 → 1 task: every broadcast reaches exactly the running tasks, nothing is left for stopped ones', async () => {
    const prefix = `herald-cs-test-${Date.now().toString(36)}`;
    const report = await runContainerSubscriptions({ sns, sqs, dynamodb, prefix });

    expect(report.problems).toEqual([]);
    expect(report.phases.map((p) => p.name)).toEqual(['start with 1 task', 'scale out to 3 tasks', 'scale in to 1 task']);
    const byPhase = report.phases.map((phase) => Object.fromEntries(phase.rows.map((row) => [row.label, row])));
    const answers = (phase: number, task: string) =>
      report.phases[phase]?.deliveries.filter((d) => d.task === task && d.outcome !== '–').map((d) => d.outcome);

    // Phase 1: t1 only.
    expect(byPhase[0]?.['t1']).toMatchObject({ running: true, queue: true, subscribed: true, mapping: 'RUNNING', received: 1 });
    expect(answers(0, 't1')).toEqual(['ignored', 'ignored', 'subscribed', 'duplicate']);

    // Phase 2: t1, t2, t3 running; t4 (STOPPED before RUNNING) never got a queue.
    for (const label of ['t1', 't2', 't3']) {
      expect(byPhase[1]?.[label], label).toMatchObject({ running: true, queue: true, subscribed: true, mapping: 'RUNNING', received: 1 });
    }
    expect(byPhase[1]?.['t4']).toMatchObject({ running: false, queue: false, subscribed: false, mapping: 'STOPPED', received: 0 });
    expect(answers(1, 't4')).toEqual(['unsubscribed', 'suppressed']);
    expect(answers(1, 't1')).toEqual(['duplicate', 'duplicate']);
    expect(answers(1, 't3')?.[1]).toMatch(/^subscribed(\+(subscribed|duplicate))$/);

    // Phase 3: back to t1; t3 stopped by its events, t2 (STOPPED lost) by the sweep.
    expect(byPhase[2]?.['t1']).toMatchObject({ running: true, received: 1 });
    for (const label of ['t2', 't3', 't4']) {
      expect(byPhase[2]?.[label], label).toMatchObject({ running: false, queue: false, subscribed: false, mapping: 'STOPPED', received: 0 });
    }
    expect(answers(2, 't3')).toEqual(['ignored', 'unsubscribed', 'ignored', 'duplicate', 'suppressed']);
    expect(report.phases.flatMap((p) => p.deliveries).every((d) => d.ok)).toBe(true);
    expect(report.phases[2]?.sweep).toEqual({ queuesDeleted: ['t2'], mappingsStopped: ['t2'], subscriptionsRemoved: 0, failures: 0 });

    expect(report.final).toEqual({
      queues: ['t1'],
      subscriptions: ['t1'],
      mappings: ['t1'],
      tombstones: ['t2', 't3', 't4'],
      running: ['t1'],
    });
    expect(report.cleanupFailures).toEqual([]);
    expect(report.ok).toBe(true);

    // Everything it created is gone.
    expect((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }))).QueueUrls ?? []).toEqual([]);
    expect(((await sns.send(new ListTopicsCommand({}))).Topics ?? []).filter((t) => t.TopicArn?.includes(prefix))).toEqual([]);
    expect(((await dynamodb.send(new ListTablesCommand({}))).TableNames ?? []).filter((name) => name.startsWith(prefix))).toEqual([]);
  });
});
