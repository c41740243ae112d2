import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createDynamicSubscriptions,
  DynamicSubscriptionError,
  InvalidTaskStateChangeError,
  type DynamicSubscriptionsOptions,
} from '../../src/dynamic/index.js';
import { AWS_DOCS_RUNNING_EVENT, taskEvent } from './ecs-sample-events.js';

/** A client that fails the test if it is used. */
const unused = <T>(name: string): T => ({ send: () => Promise.reject(new Error(`${name} must not be called`)) }) as unknown as T;

const base: DynamicSubscriptionsOptions = {
  sns: unused<SNSClient>('SNS'),
  sqs: unused<SQSClient>('SQS'),
  dynamodb: unused<DynamoDBClient>('DynamoDB'),
  topicArn: 'arn:aws:sns:us-east-1:111122223333:prices',
  tableName: 'price-task-queues',
};

afterEach(() => {
  vi.useRealTimers();
});

describe('createDynamicSubscriptions', () => {
  it('refuses malformed options', () => {
    expect(() => createDynamicSubscriptions({ ...base, topicArn: 'prices' })).toThrow(/SNS topic ARN/);
    expect(() => createDynamicSubscriptions({ ...base, tableName: '' })).toThrow(/tableName/);
    expect(() => createDynamicSubscriptions({ ...base, queueNamePrefix: 'has space' })).toThrow(/queueNamePrefix/);
    expect(() => createDynamicSubscriptions({ ...base, queueNamePrefix: 'p'.repeat(45) })).toThrow(/1–44 characters/);
    expect(() => createDynamicSubscriptions({ ...base, queueNamePrefix: '' })).toThrow(/queueNamePrefix/);
    expect(() => createDynamicSubscriptions({ ...base, tombstoneTtlSeconds: 59 })).toThrow(RangeError);
    expect(() => createDynamicSubscriptions({ ...base, clusterArn: 'my-cluster' })).toThrow(/cluster ARN/);
    expect(() => createDynamicSubscriptions({ ...base, filterPolicy: { kind: [] } })).toThrow(/Empty arrays/);
  });

  it('names queues prefix + task id, with a 44-character prefix still fitting SQS’s 80 characters', () => {
    const dynamic = createDynamicSubscriptions({ ...base, queueNamePrefix: 'p'.repeat(44) });
    const uuidTask = 'b99d40b3-5176-4f71-9a52-9dbd6f1cebef';
    expect(dynamic.queueNameFor(`arn:aws:ecs:us-east-1:111122223333:task/${uuidTask}`)).toHaveLength(80);
    expect(createDynamicSubscriptions(base).queueNameFor('c13b4cb40f1f4fe4a2971f76ae5a47ad')).toBe('task-c13b4cb40f1f4fe4a2971f76ae5a47ad');
  });

  it('narrows its rule patterns to the cluster and service', () => {
    const dynamic = createDynamicSubscriptions({
      ...base,
      clusterArn: 'arn:aws:ecs:us-east-1:111122223333:cluster/prod',
      serviceName: 'prices',
    });
    expect(dynamic.eventPatterns).toEqual({
      running: {
        source: ['aws.ecs'],
        'detail-type': ['ECS Task State Change'],
        detail: {
          clusterArn: ['arn:aws:ecs:us-east-1:111122223333:cluster/prod'],
          group: ['service:prices'],
          lastStatus: ['RUNNING'],
          desiredStatus: ['RUNNING'],
        },
      },
      stopped: {
        source: ['aws.ecs'],
        'detail-type': ['ECS Task State Change'],
        detail: { clusterArn: ['arn:aws:ecs:us-east-1:111122223333:cluster/prod'], group: ['service:prices'], lastStatus: ['STOPPED'] },
      },
    });
    expect(Object.isFrozen(dynamic.eventPatterns.running.detail.lastStatus)).toBe(true);
  });

  it('ignores statuses it does not act on without calling AWS, and refuses what is not a task event', async () => {
    const dynamic = createDynamicSubscriptions(base);
    for (const lastStatus of ['PROVISIONING', 'PENDING', 'ACTIVATING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING']) {
      const result = await dynamic.handleTaskStateChange(taskEvent({ taskId: 'c13b4cb40f1f4fe4a2971f76ae5a47ad', lastStatus, version: 2, at: 0 }));
      expect(result).toMatchObject({ outcome: 'ignored', taskId: 'c13b4cb40f1f4fe4a2971f76ae5a47ad', version: 2 });
    }
    await expect(dynamic.handleTaskStateChange({ ...AWS_DOCS_RUNNING_EVENT, source: 'aws.ec2' })).rejects.toBeInstanceOf(InvalidTaskStateChangeError);
  });

  it('queueForTask polls the mapping until it appears or the wait is over', async () => {
    vi.useFakeTimers();
    let reads = 0;
    const item = {
      taskId: { S: 'c13b4cb40f1f4fe4a2971f76ae5a47ad' },
      status: { S: 'RUNNING' },
      version: { N: '3' },
      queueUrl: { S: 'https://sqs.us-east-1.amazonaws.com/111122223333/task-c13b4cb40f1f4fe4a2971f76ae5a47ad' },
      queueArn: { S: 'arn:aws:sqs:us-east-1:111122223333:task-c13b4cb40f1f4fe4a2971f76ae5a47ad' },
      subscriptionArn: { S: 'arn:aws:sns:us-east-1:111122223333:prices:0f1c' },
      updatedAt: { N: '0' },
    };
    const dynamodb = {
      send: async () => {
        reads += 1;
        return reads < 4 ? {} : { Item: item };
      },
    } as unknown as DynamoDBClient;
    const dynamic = createDynamicSubscriptions({ ...base, dynamodb });
    const found = dynamic.queueForTask('c13b4cb40f1f4fe4a2971f76ae5a47ad', { waitMs: 10_000, pollIntervalMs: 1_000 });
    await vi.advanceTimersByTimeAsync(3_000);
    await expect(found).resolves.toEqual({
      taskId: 'c13b4cb40f1f4fe4a2971f76ae5a47ad',
      queueUrl: item.queueUrl.S,
      queueArn: item.queueArn.S,
      subscriptionArn: item.subscriptionArn.S,
    });
    expect(reads).toBe(4);

    reads = -100;
    const missing = dynamic.queueForTask('c13b4cb40f1f4fe4a2971f76ae5a47ad', { waitMs: 2_500, pollIntervalMs: 1_000 });
    await vi.advanceTimersByTimeAsync(2_500);
    await expect(missing).resolves.toBeUndefined();
    // Looks at 0, 1,000, 2,000 and 2,500 ms.
    expect(reads).toBe(-96);
  });

  it('a RUNNING whose queue cannot be made reports that failure, also when the table cannot be read afterwards', async () => {
    const awsError = (name: string, message: string, status: number): Error =>
      Object.assign(new Error(message), { name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });
    const dynamoCalls: string[] = [];
    const dynamodb = {
      send: async (command: { constructor: { name: string } }) => {
        dynamoCalls.push(command.constructor.name);
        // The claim succeeds; the read that checks for a STOPPED meanwhile is throttled.
        if (command.constructor.name === 'PutItemCommand') return {};
        throw awsError('ProvisionedThroughputExceededException', 'The level of configured provisioned throughput for the table was exceeded.', 400);
      },
    } as unknown as DynamoDBClient;
    const sqs = {
      send: async () => {
        throw awsError('AccessDenied', 'User is not authorized to perform: sqs:createqueue', 403);
      },
    } as unknown as SQSClient;
    const dynamic = createDynamicSubscriptions({ ...base, dynamodb, sqs });
    const event = taskEvent({ taskId: 'c13b4cb40f1f4fe4a2971f76ae5a47ad', lastStatus: 'RUNNING', version: 3, at: Date.now() });
    const failure = await dynamic.handleTaskStateChange(event).catch((error: unknown) => error);
    expect(dynamoCalls).toEqual(['PutItemCommand', 'GetItemCommand']);
    expect(failure).toBeInstanceOf(DynamicSubscriptionError);
    // What went wrong is CreateQueue's refusal (fix IAM), not the throttled read after it.
    expect(failure).toMatchObject({ step: 'sqs:CreateQueue', retryable: false, taskId: 'c13b4cb40f1f4fe4a2971f76ae5a47ad' });
    expect((failure as Error).cause).toMatchObject({ name: 'AccessDenied' });
  });
});
