import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  PublishBatchCommand,
  PublishCommand,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws, type SnsFilteredMessage, type SnsFilterPolicyScope } from '../src/index.js';
import { makeClients, type SdkClients } from './sdk-clients.js';

/** Every call the matcher was given, in order. */
const calls: { policy: string; message: SnsFilteredMessage; scope: SnsFilterPolicyScope }[] = [];

/**
 * A stand-in for @herald/fanout's evaluator, with a rule fauxqs 1.9.2 cannot express: the
 * message is delivered when any element of the body's `Records` array has the policy's
 * `wanted` value as its `kind` (MessageBody scope), or when the `colour` attribute equals it.
 */
function matcher(policy: string, message: SnsFilteredMessage, scope: SnsFilterPolicyScope): boolean {
  calls.push({ policy, message, scope });
  const { wanted } = JSON.parse(policy) as { wanted: [string] };
  if (wanted[0] === 'throw') throw new Error('matcher failed on purpose');
  if (scope === 'MessageAttributes') return message.attributes['colour']?.StringValue === wanted[0];
  const body = JSON.parse(message.body) as { Records?: { kind?: string }[] };
  return (body.Records ?? []).some((record) => record.kind === wanted[0]);
}

let local: LocalAws;
let clients: SdkClients;

beforeAll(async () => {
  local = await startLocalAws({ dynamodb: false, filterPolicyMatcher: matcher });
  clients = makeClients(local.endpoint);
});

afterAll(async () => {
  clients.destroy();
  await local.stop();
});

async function topicWithQueues(policies: readonly ({ policy: object; scope: SnsFilterPolicyScope } | undefined)[]) {
  const name = `override-${randomUUID().slice(0, 8)}`;
  const { TopicArn: topicArn } = await clients.sns.send(new CreateTopicCommand({ Name: name }));
  const queues: { url: string; subscriptionArn: string }[] = [];
  for (const [index, filter] of policies.entries()) {
    const { QueueUrl: url } = await clients.sqs.send(new CreateQueueCommand({ QueueName: `${name}-${index}` }));
    const { Attributes } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
    const attributes: Record<string, string> = { RawMessageDelivery: 'true' };
    if (filter !== undefined) {
      attributes['FilterPolicy'] = JSON.stringify(filter.policy);
      attributes['FilterPolicyScope'] = filter.scope;
    }
    const { SubscriptionArn } = await clients.sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes?.['QueueArn'], Attributes: attributes }),
    );
    queues.push({ url: url!, subscriptionArn: SubscriptionArn! });
  }
  return { topicArn: topicArn!, queues };
}

/** Bodies in a queue; fauxqs enqueues before Publish answers, so one short receive loop sees all. */
async function bodies(queueUrl: string): Promise<string[]> {
  const seen: string[] = [];
  for (;;) {
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }),
    );
    if (Messages.length === 0) return seen.sort();
    seen.push(...Messages.map((message) => message.Body ?? ''));
  }
}

describe('filterPolicyMatcher replaces fauxqs filter evaluation', () => {
  it('delivers body-scoped messages by the matcher, also for arrays fauxqs cannot match, in Publish and PublishBatch', async () => {
    const { topicArn, queues } = await topicWithQueues([{ policy: { wanted: ['created'] }, scope: 'MessageBody' }, undefined]);
    const created = JSON.stringify({ Records: [{ kind: 'removed' }, { kind: 'created' }] });
    const removed = JSON.stringify({ Records: [{ kind: 'removed' }] });
    await clients.sns.send(new PublishCommand({ TopicArn: topicArn, Message: created }));
    await clients.sns.send(
      new PublishBatchCommand({
        TopicArn: topicArn,
        PublishBatchRequestEntries: [
          { Id: 'a', Message: removed },
          { Id: 'b', Message: `${created} ` },
        ],
      }),
    );
    expect(await bodies(queues[0]!.url)).toEqual([created, `${created} `].sort());
    expect(await bodies(queues[1]!.url)).toEqual([created, `${created} `, removed].sort());
    // One evaluation per message for the one filtered subscription, each with its own body.
    expect(calls.filter((call) => call.policy.includes('created')).map((call) => call.message.body)).toEqual([
      created,
      removed,
      `${created} `,
    ]);
  });

  it('gives the matcher the message attributes and the MessageAttributes scope', async () => {
    const { topicArn, queues } = await topicWithQueues([{ policy: { wanted: ['blue'] }, scope: 'MessageAttributes' }]);
    for (const colour of ['red', 'blue']) {
      await clients.sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: colour,
          MessageAttributes: { colour: { DataType: 'String', StringValue: colour }, size: { DataType: 'Number', StringValue: '3' } },
        }),
      );
    }
    expect(await bodies(queues[0]!.url)).toEqual(['blue']);
    const last = calls.at(-1)!;
    expect(last.scope).toBe('MessageAttributes');
    expect(last.message.attributes).toEqual({
      colour: { DataType: 'String', StringValue: 'blue' },
      size: { DataType: 'Number', StringValue: '3' },
    });
  });

  it('leaves the stored subscription unchanged for every other caller', async () => {
    const { topicArn, queues } = await topicWithQueues([{ policy: { wanted: ['x'] }, scope: 'MessageBody' }]);
    await clients.sns.send(new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify({ Records: [{ kind: 'y' }] }) }));
    const { Attributes } = await clients.sns.send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn: queues[0]!.subscriptionArn }),
    );
    expect(Attributes?.['FilterPolicy']).toBe(JSON.stringify({ wanted: ['x'] }));
    expect(Attributes?.['FilterPolicyScope']).toBe('MessageBody');
    expect(Attributes?.['PendingConfirmation']).not.toBe('true');
    expect(await bodies(queues[0]!.url)).toEqual([]);
  });

  it('delivers when the matcher throws, as fauxqs does with a policy it cannot read', async () => {
    const { topicArn, queues } = await topicWithQueues([{ policy: { wanted: ['throw'] }, scope: 'MessageBody' }]);
    await clients.sns.send(new PublishCommand({ TopicArn: topicArn, Message: '{}' }));
    expect(await bodies(queues[0]!.url)).toEqual(['{}']);
  });
});
