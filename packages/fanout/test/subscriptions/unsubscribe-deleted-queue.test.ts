import type { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { subscribeQueue, SubscriptionTargetNotFoundError, unsubscribeQueue } from '../../src/subscriptions/index.js';
import { scriptedSnsSqs } from './scripted-sns-sqs.js';

const topicA = 'arn:aws:sns:us-east-1:111122223333:orders';

describe('unsubscribeQueue for a queue that was deleted', () => {
  it('still removes the topic’s subscription to the queue’s ARN, keeps the others, and says the policy was not edited', async () => {
    const aws = scriptedSnsSqs();
    aws.addTopic(topicA);
    const queue = aws.addQueue('shipping');
    const other = aws.addQueue('billing');
    const created = await subscribeQueue({ sns: aws.sns, sqs: aws.sqs, topicArn: topicA, queueUrl: queue.url });
    await subscribeQueue({ sns: aws.sns, sqs: aws.sqs, topicArn: topicA, queueUrl: other.url });
    aws.deleteQueue(queue.url);
    const writesBefore = aws.count('SetQueueAttributesCommand');

    const result = await unsubscribeQueue({ sns: aws.sns, sqs: aws.sqs, topicArn: topicA, queueUrl: queue.url });
    expect(result).toEqual({
      status: 'removed',
      removedSubscriptionArns: [created.subscriptionArn],
      policy: 'queue-missing',
      queueArn: queue.arn,
    });
    expect(aws.subscriptions.map((s) => s.endpoint)).toEqual([other.arn]);
    expect(aws.count('SetQueueAttributesCommand')).toBe(writesBefore);

    const again = await unsubscribeQueue({ sns: aws.sns, sqs: aws.sqs, topicArn: topicA, queueUrl: queue.url });
    expect(again).toEqual({ status: 'unchanged', removedSubscriptionArns: [], policy: 'queue-missing', queueArn: queue.arn });
  });

  it('for a queue URL of another shape (a local endpoint) takes the region from the SQS client', async () => {
    const aws = scriptedSnsSqs({ sqsRegion: 'eu-west-1' });
    aws.addTopic(topicA);
    const wanted = aws.addSubscription(topicA, 'arn:aws:sqs:eu-west-1:000000000000:task-1');
    aws.addSubscription(topicA, 'arn:aws:sqs:us-east-1:000000000000:task-1');
    const result = await unsubscribeQueue({ sns: aws.sns, sqs: aws.sqs, topicArn: topicA, queueUrl: 'http://127.0.0.1:4566/000000000000/task-1' });
    expect(result).toEqual({
      status: 'removed',
      removedSubscriptionArns: [wanted],
      policy: 'queue-missing',
      queueArn: 'arn:aws:sqs:eu-west-1:000000000000:task-1',
    });
    expect(aws.subscriptions.map((s) => s.endpoint)).toEqual(['arn:aws:sqs:us-east-1:000000000000:task-1']);
  });

  it('when the queue is deleted between reading and writing its policy, the subscription is gone and the result says so', async () => {
    const aws = scriptedSnsSqs();
    aws.addTopic(topicA);
    const queue = aws.addQueue('shipping');
    await subscribeQueue({ sns: aws.sns, sqs: aws.sqs, topicArn: topicA, queueUrl: queue.url });
    // Another process deletes the queue right after Herald read it.
    const sqs = {
      send: async (command: { constructor: { name: string } }) => {
        const out = await (aws.sqs.send as (c: unknown) => Promise<unknown>)(command);
        if (command.constructor.name === 'GetQueueAttributesCommand') aws.deleteQueue(queue.url);
        return out;
      },
    } as unknown as SQSClient;
    const result = await unsubscribeQueue({ sns: aws.sns, sqs, topicArn: topicA, queueUrl: queue.url });
    expect(result).toMatchObject({ status: 'removed', policy: 'queue-missing', queueArn: queue.arn });
    expect(result.removedSubscriptionArns).toHaveLength(1);
    expect(aws.subscriptions).toEqual([]);
  });

  it('throws SubscriptionTargetNotFoundError when neither the URL nor the client names a region', async () => {
    const aws = scriptedSnsSqs();
    aws.addTopic(topicA);
    const subscription = aws.addSubscription(topicA, 'arn:aws:sqs:us-east-1:000000000000:task-1');
    await expect(
      unsubscribeQueue({ sns: aws.sns, sqs: aws.sqs, topicArn: topicA, queueUrl: 'http://127.0.0.1:4566/000000000000/task-1' }),
    ).rejects.toBeInstanceOf(SubscriptionTargetNotFoundError);
    expect(aws.subscriptions.map((s) => s.arn)).toEqual([subscription]);
  });
});
