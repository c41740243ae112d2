import { describe, expect, it } from 'vitest';
import { InvalidFilterPolicyError } from '../../src/filter-policy/index.js';
import {
  addTopicToQueuePolicy,
  queuePolicyTopics,
  QueuePolicyConflictError,
  subscribeQueue,
  SubscriptionRequestError,
  SubscriptionTargetNotFoundError,
  unsubscribeQueue,
} from '../../src/subscriptions/index.js';
import { awsError, scriptedSnsSqs } from './scripted-sns-sqs.js';

const topicA = 'arn:aws:sns:us-east-1:111122223333:orders';
const topicB = 'arn:aws:sns:us-east-1:111122223333:audit';
const topicC = 'arn:aws:sns:us-east-1:111122223333:billing';

describe('subscribeQueue with scripted SNS and SQS', () => {
  it('finds the existing subscription on a later ListSubscriptionsByTopic page and updates it instead of subscribing again', async () => {
    const aws = scriptedSnsSqs({ pageSize: 2 });
    aws.addTopic(topicA);
    const queue = aws.addQueue('shipping');
    for (let i = 0; i < 5; i += 1) aws.addSubscription(topicA, `arn:aws:sqs:us-east-1:111122223333:other-${i}`);
    const first = await subscribeQueue({ sns: aws.sns, sqs: aws.sqs, topicArn: topicA, queueUrl: queue.url });
    expect(first.status).toBe('created');

    const changed = await subscribeQueue({ sns: aws.sns, sqs: aws.sqs, topicArn: topicA, queueUrl: queue.url, raw: true });
    expect(changed).toMatchObject({ status: 'updated', subscriptionArn: first.subscriptionArn, policyChanged: false, updatedAttributes: ['RawMessageDelivery'] });
    // Six subscriptions, two per page: the queue's is on page 3.
    expect(aws.sent.filter((c) => c.name === 'ListSubscriptionsByTopicCommand').map((c) => c.input['NextToken']).slice(-3)).toEqual([
      undefined,
      '2',
      '4',
    ]);
    expect(aws.subscriptions.filter((s) => s.endpoint === queue.arn)).toHaveLength(1);
    expect(aws.count('SubscribeCommand')).toBe(1);
  });

  it('is unchanged on a repeated call: no write to the policy or the subscription', async () => {
    const aws = scriptedSnsSqs();
    aws.addTopic(topicA);
    const queue = aws.addQueue('shipping');
    const options = { sns: aws.sns, sqs: aws.sqs, topicArn: topicA, queueUrl: queue.url, filterPolicy: { kind: ['placed'] } };
    await subscribeQueue(options);
    const writesBefore = aws.count('SetQueueAttributesCommand') + aws.count('SetSubscriptionAttributesCommand') + aws.count('SubscribeCommand');
    const again = await subscribeQueue(options);
    expect(again).toMatchObject({ status: 'unchanged', policyChanged: false, updatedAttributes: [] });
    expect(aws.count('SetQueueAttributesCommand') + aws.count('SetSubscriptionAttributesCommand') + aws.count('SubscribeCommand')).toBe(writesBefore);
  });

  it('keeps every topic when one process subscribes a queue to three topics at once (calls per queue are serialized)', async () => {
    const aws = scriptedSnsSqs();
    const queue = aws.addQueue('shared');
    for (const topic of [topicA, topicB, topicC]) aws.addTopic(topic);
    const results = await Promise.all(
      [topicA, topicB, topicC].map((topicArn) => subscribeQueue({ sns: aws.sns, sqs: aws.sqs, topicArn, queueUrl: queue.url })),
    );
    expect(results.map((r) => r.status)).toEqual(['created', 'created', 'created']);
    expect(queuePolicyTopics(aws.policyOf(queue.url), queue.arn)).toEqual([topicA, topicB, topicC].sort());
  });

  it("with lookup 'subscribe-first' skips the listing for a new queue, and falls back to it when SNS reports other attributes", async () => {
    const aws = scriptedSnsSqs();
    aws.addTopic(topicA);
    const queue = aws.addQueue('task-1');
    const created = await subscribeQueue({ sns: aws.sns, sqs: aws.sqs, topicArn: topicA, queueUrl: queue.url, lookup: 'subscribe-first' });
    expect(created.status).toBe('created');
    expect(aws.count('ListSubscriptionsByTopicCommand')).toBe(0);

    const updated = await subscribeQueue({ sns: aws.sns, sqs: aws.sqs, topicArn: topicA, queueUrl: queue.url, raw: true, lookup: 'subscribe-first' });
    expect(updated).toMatchObject({ status: 'updated', subscriptionArn: created.subscriptionArn, updatedAttributes: ['RawMessageDelivery'] });
    expect(aws.count('ListSubscriptionsByTopicCommand')).toBe(1);
    expect(aws.subscriptions).toHaveLength(1);
  });

  it('names the missing topic or queue, and changes nothing for a foreign statement with Herald’s Sid', async () => {
    const aws = scriptedSnsSqs();
    const queue = aws.addQueue('shipping');
    await expect(subscribeQueue({ sns: aws.sns, sqs: aws.sqs, topicArn: topicA, queueUrl: queue.url })).rejects.toMatchObject({
      name: 'SubscriptionTargetNotFoundError',
      target: 'topic',
      id: topicA,
    });
    aws.addTopic(topicA);
    await expect(
      subscribeQueue({ sns: aws.sns, sqs: aws.sqs, topicArn: topicA, queueUrl: 'https://sqs.us-east-1.amazonaws.com/111122223333/missing' }),
    ).rejects.toBeInstanceOf(SubscriptionTargetNotFoundError);

    const foreign = JSON.stringify({
      Statement: [{ Sid: 'HeraldSnsTopicsSendMessage', Effect: 'Allow', Principal: '*', Action: 'sqs:*', Resource: queue.arn }],
    });
    const guarded = aws.addQueue('guarded', foreign);
    await expect(subscribeQueue({ sns: aws.sns, sqs: aws.sqs, topicArn: topicA, queueUrl: guarded.url })).rejects.toBeInstanceOf(
      QueuePolicyConflictError,
    );
    expect(aws.policyOf(guarded.url)).toBe(foreign);
    expect(aws.subscriptions).toHaveLength(0);
  });

  it('leaves the queue policy as it was when the topic does not exist (a typo, or a topic in another region)', async () => {
    const aws = scriptedSnsSqs();
    aws.addTopic(topicB);
    const bare = aws.addQueue('bare');
    const shared = aws.addQueue('shared');
    await subscribeQueue({ sns: aws.sns, sqs: aws.sqs, topicArn: topicB, queueUrl: shared.url });
    const before = aws.policyOf(shared.url);
    for (const queue of [bare, shared]) {
      await expect(subscribeQueue({ sns: aws.sns, sqs: aws.sqs, topicArn: topicA, queueUrl: queue.url })).rejects.toMatchObject({
        name: 'SubscriptionTargetNotFoundError',
        target: 'topic',
      });
      await expect(
        subscribeQueue({ sns: aws.sns, sqs: aws.sqs, topicArn: topicA, queueUrl: queue.url, lookup: 'subscribe-first' }),
      ).rejects.toMatchObject({ name: 'SubscriptionTargetNotFoundError', target: 'topic' });
    }
    // No statement allowing a topic that is not there is left behind.
    expect(aws.policyOf(bare.url)).toBeUndefined();
    expect(queuePolicyTopics(aws.policyOf(shared.url), shared.arn)).toEqual([topicB]);
    expect(aws.policyOf(shared.url)).toBe(before);
  });

  it('wraps a failed AWS request with the operation and a retryable flag that follows the cause', async () => {
    const aws = scriptedSnsSqs();
    aws.addTopic(topicA);
    const queue = aws.addQueue('shipping');
    const throttled = { send: async () => Promise.reject(awsError('ThrottlingException', 'Rate exceeded')) };
    const denied = { send: async () => Promise.reject(awsError('AuthorizationErrorException', 'not authorized', 403)) };
    const throttledError = await subscribeQueue({ sns: throttled as never, sqs: aws.sqs, topicArn: topicA, queueUrl: queue.url }).catch((e: unknown) => e);
    expect(throttledError).toBeInstanceOf(SubscriptionRequestError);
    expect(throttledError).toMatchObject({ operation: 'sns:ListSubscriptionsByTopic', retryable: true, code: 'SubscriptionRequestFailed' });
    const deniedError = await subscribeQueue({ sns: denied as never, sqs: aws.sqs, topicArn: topicA, queueUrl: queue.url }).catch((e: unknown) => e);
    expect(deniedError).toMatchObject({ operation: 'sns:ListSubscriptionsByTopic', retryable: false });
    expect(String((deniedError as Error).message)).toMatch(/IAM permissions \(sns:ListSubscriptionsByTopic\)/);
  });

  it('refuses malformed options before any AWS call', async () => {
    const aws = scriptedSnsSqs();
    const queue = aws.addQueue('shipping');
    const base = { sns: aws.sns, sqs: aws.sqs, topicArn: topicA, queueUrl: queue.url };
    await expect(subscribeQueue({ ...base, topicArn: 'orders' })).rejects.toThrow(TypeError);
    await expect(subscribeQueue({ ...base, topicArn: 'arn:aws:sqs:us-east-1:111122223333:orders' })).rejects.toThrow(/SNS topic ARN/);
    await expect(subscribeQueue({ ...base, queueUrl: 'shipping' })).rejects.toThrow(/queueUrl/);
    await expect(subscribeQueue({ ...base, filterPolicyScope: 'Body' as never })).rejects.toThrow(RangeError);
    await expect(subscribeQueue({ ...base, raw: 'yes' as never })).rejects.toThrow(TypeError);
    await expect(subscribeQueue({ ...base, filterPolicy: ['x'] as never })).rejects.toThrow(/filterPolicy must be a JSON object/);
    // What SNS would refuse: an empty list, and nesting under MessageAttributes scope.
    await expect(subscribeQueue({ ...base, filterPolicy: { store: [] } })).rejects.toMatchObject({
      name: 'InvalidFilterPolicyError',
      problems: [{ path: '/store' }],
    });
    await expect(subscribeQueue({ ...base, filterPolicy: { order: { kind: ['placed'] } } })).rejects.toBeInstanceOf(InvalidFilterPolicyError);
    expect(aws.sent).toEqual([]);
    // The same nested policy is fine under MessageBody scope.
    aws.addTopic(topicA);
    const nested = await subscribeQueue({ ...base, filterPolicy: { order: { kind: ['placed'] } }, filterPolicyScope: 'MessageBody' });
    expect(nested.status).toBe('created');
  });
});

describe('unsubscribeQueue with scripted SNS and SQS', () => {
  it('removes the subscription, then the topic; the statement and then the policy go with the last topic', async () => {
    const aws = scriptedSnsSqs();
    aws.addTopic(topicA);
    aws.addTopic(topicB);
    const queue = aws.addQueue('shipping');
    await subscribeQueue({ sns: aws.sns, sqs: aws.sqs, topicArn: topicA, queueUrl: queue.url });
    await subscribeQueue({ sns: aws.sns, sqs: aws.sqs, topicArn: topicB, queueUrl: queue.url });

    const first = await unsubscribeQueue({ sns: aws.sns, sqs: aws.sqs, topicArn: topicA, queueUrl: queue.url });
    expect(first).toMatchObject({ status: 'removed', policy: 'topic-removed' });
    expect(first.removedSubscriptionArns).toHaveLength(1);
    expect(queuePolicyTopics(aws.policyOf(queue.url), queue.arn)).toEqual([topicB]);
    const unsubscribeAt = aws.sent.findIndex((c) => c.name === 'UnsubscribeCommand');
    const policyWriteAt = aws.sent.findLastIndex((c) => c.name === 'SetQueueAttributesCommand');
    expect(unsubscribeAt).toBeLessThan(policyWriteAt);

    const last = await unsubscribeQueue({ sns: aws.sns, sqs: aws.sqs, topicArn: topicB, queueUrl: queue.url });
    expect(last).toMatchObject({ status: 'removed', policy: 'policy-removed' });
    expect(aws.policyOf(queue.url)).toBeUndefined();
    expect(aws.subscriptions).toEqual([]);

    const again = await unsubscribeQueue({ sns: aws.sns, sqs: aws.sqs, topicArn: topicB, queueUrl: queue.url });
    expect(again).toEqual({ status: 'unchanged', removedSubscriptionArns: [], policy: 'unchanged', queueArn: queue.arn });
  });

  it('removes a deleted topic from the policy (its subscriptions went with it)', async () => {
    const aws = scriptedSnsSqs();
    aws.addTopic(topicA);
    const gone = 'arn:aws:sns:us-east-1:111122223333:deleted';
    const queueArn = 'arn:aws:sqs:us-east-1:111122223333:shipping';
    const withA = addTopicToQueuePolicy({ policy: undefined, queueArn, topicArn: topicA }).policy;
    const queue = aws.addQueue('shipping', addTopicToQueuePolicy({ policy: withA, queueArn, topicArn: gone }).policy);
    const result = await unsubscribeQueue({ sns: aws.sns, sqs: aws.sqs, topicArn: gone, queueUrl: queue.url });
    expect(result).toMatchObject({ status: 'removed', removedSubscriptionArns: [], policy: 'topic-removed' });
    expect(queuePolicyTopics(aws.policyOf(queue.url), queue.arn)).toEqual([topicA]);
  });

  it('removes only Herald’s statement when other statements remain', async () => {
    const aws = scriptedSnsSqs();
    aws.addTopic(topicA);
    const other = { Sid: 'Consumer', Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'sqs:ReceiveMessage', Resource: '*' };
    const queue = aws.addQueue('shipping', JSON.stringify({ Version: '2012-10-17', Statement: [other] }));
    await subscribeQueue({ sns: aws.sns, sqs: aws.sqs, topicArn: topicA, queueUrl: queue.url });
    const result = await unsubscribeQueue({ sns: aws.sns, sqs: aws.sqs, topicArn: topicA, queueUrl: queue.url });
    expect(result.policy).toBe('statement-removed');
    expect(JSON.parse(aws.policyOf(queue.url) ?? '')).toEqual({ Version: '2012-10-17', Statement: [other] });
  });
});
