/**
 * Sends every SNS filter-policy conformance case through the local SNS (fauxqs 1.9.2 behind
 * tools/local-aws) and compares its answer with AWS's. Where they differ, the case must be in
 * fauxqs-divergences.json with exactly the answer fauxqs gives; a listed case that no longer
 * diverges fails too, so the list (and docs/emulator-divergences.md, generated from it) stays true.
 *
 * How "not delivered" is told apart from "not delivered yet", without sleeping: fauxqs fans a
 * message out inside the Publish call (it evaluates each subscription's policy and enqueues
 * into each matching queue before it answers), and local-aws answers the client only after
 * fauxqs has answered. So once every Publish has resolved, every delivery has been made, and a
 * receive with WaitTimeSeconds 0 that comes back empty means "not delivered". The test checks
 * that premise instead of trusting it: a control queue without a filter policy, subscribed
 * last (so fauxqs fills it last for each message), must already hold every published message
 * when draining starts. If a later fauxqs delivered asynchronously, the control check fails
 * first with a message saying so, instead of the test reporting false divergences.
 */
import { randomUUID } from 'node:crypto';
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  type MessageAttributeValue,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { type LocalAws, startLocalAws } from '@herald/local-aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceEntries, type Divergence, divergenceList, type Outcome } from './fauxqs-divergences.js';
import {
  bodyText,
  type FilterPolicyScope,
  policyText,
  snsAcceptedPolicyCases,
  snsInvalidPolicyCases,
  snsMatchCases,
  type SnsInvalidPolicyCase,
  type SnsMatchCase,
} from './sns-conformance-data.js';

/** Body-scope messages carry their case id in this attribute (the policy sees only the body). */
const CASE_ATTRIBUTE = 'herald_case';
/** Attribute-scope messages carry their case id in the body (the policy sees only attributes). */
const CASE_BODY_PREFIX = 'herald-emulator-case:';

let local: LocalAws;
let sns: SNSClient;
let sqs: SQSClient;
let topicArn: string;
const queueUrls: string[] = [];
const topicArns: string[] = [];
/** What fauxqs did, per conformance id. */
const observed = new Map<string, { outcome: Outcome; error?: string }>();
let controlIds: string[] = [];

interface Queue {
  readonly url: string;
  readonly arn: string;
}

/** The queue policy AWS requires before SNS may deliver (fauxqs does not check it; set anyway). */
function snsDeliveryPolicy(queueArn: string, fromTopicArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        Condition: { ArnEquals: { 'aws:SourceArn': fromTopicArn } },
      },
    ],
  });
}

async function createTopic(): Promise<string> {
  const created = await sns.send(new CreateTopicCommand({ Name: `herald-emulator-${randomUUID()}` }));
  if (created.TopicArn === undefined) throw new Error('CreateTopic returned no TopicArn');
  topicArns.push(created.TopicArn);
  return created.TopicArn;
}

async function createQueue(forTopicArn: string): Promise<Queue> {
  const created = await sqs.send(new CreateQueueCommand({ QueueName: `herald-emulator-${randomUUID()}` }));
  const url = created.QueueUrl;
  if (url === undefined) throw new Error('CreateQueue returned no QueueUrl');
  queueUrls.push(url);
  const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  const arn = attributes.Attributes?.['QueueArn'];
  if (arn === undefined) throw new Error('GetQueueAttributes returned no QueueArn');
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: snsDeliveryPolicy(arn, forTopicArn) } }));
  return { url, arn };
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Receives (without waiting) until the queue is empty; returns the case id of every message. */
async function drain(url: string): Promise<string[]> {
  const ids: string[] = [];
  for (;;) {
    const response = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 300,
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = response.Messages ?? [];
    if (messages.length === 0) return ids;
    for (const message of messages) {
      const fromAttribute = message.MessageAttributes?.[CASE_ATTRIBUTE]?.StringValue;
      const body = message.Body ?? '';
      ids.push(fromAttribute ?? (body.startsWith(CASE_BODY_PREFIX) ? body.slice(CASE_BODY_PREFIX.length) : `unknown: ${body}`));
    }
  }
}

function publishInput(entry: SnsMatchCase): { Message: string; MessageAttributes: Record<string, MessageAttributeValue> } {
  if (entry.scope === 'MessageBody') {
    return { Message: bodyText(entry), MessageAttributes: { [CASE_ATTRIBUTE]: { DataType: 'String', StringValue: entry.id } } };
  }
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, { Type, Value }] of Object.entries(entry.attributes ?? {})) {
    attributes[name] = { DataType: Type, StringValue: Value };
  }
  return { Message: `${CASE_BODY_PREFIX}${entry.id}`, MessageAttributes: attributes };
}

/** Subscribes a fresh queue with the case's policy as AWS was given it; says whether SNS accepted it. */
async function trySubscribe(
  scope: FilterPolicyScope,
  policy: string,
  api: SnsInvalidPolicyCase['api'],
): Promise<{ outcome: Outcome; error?: string }> {
  const queue = await createQueue(topicArn);
  try {
    if (api === 'Subscribe') {
      await sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: 'sqs',
          Endpoint: queue.arn,
          ReturnSubscriptionArn: true,
          Attributes: { FilterPolicy: policy, FilterPolicyScope: scope },
        }),
      );
    } else {
      const subscribed = await sns.send(
        new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queue.arn, ReturnSubscriptionArn: true }),
      );
      const arn = subscribed.SubscriptionArn;
      if (arn === undefined) throw new Error('Subscribe returned no SubscriptionArn');
      if (scope === 'MessageBody') {
        await sns.send(
          new SetSubscriptionAttributesCommand({ SubscriptionArn: arn, AttributeName: 'FilterPolicyScope', AttributeValue: scope }),
        );
      }
      await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: arn, AttributeName: 'FilterPolicy', AttributeValue: policy }));
    }
    return { outcome: 'accepted' };
  } catch (error) {
    return { outcome: 'refused', error: errorText(error) };
  }
}

beforeAll(async () => {
  local = await startLocalAws({ dynamodb: false });
  // maxAttempts 1: a refusal is an answer to record, not something to retry.
  const config = { ...local.clientConfig, maxAttempts: 1 };
  sns = new SNSClient(config);
  sqs = new SQSClient(config);
  topicArn = await createTopic();

  // One queue per match case, subscribed with the case's policy and scope, raw delivery.
  const caseQueues = new Map<string, Queue>();
  for (const entry of snsMatchCases) {
    const queue = await createQueue(topicArn);
    caseQueues.set(entry.id, queue);
    try {
      await sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: 'sqs',
          Endpoint: queue.arn,
          ReturnSubscriptionArn: true,
          Attributes: { RawMessageDelivery: 'true', FilterPolicy: policyText(entry), FilterPolicyScope: entry.scope },
        }),
      );
    } catch (error) {
      observed.set(entry.id, { outcome: 'refused', error: errorText(error) });
    }
  }
  // The control queue: no filter policy, subscribed last (see the comment at the top).
  const control = await createQueue(topicArn);
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: control.arn,
      ReturnSubscriptionArn: true,
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );

  for (const entry of snsMatchCases) {
    await sns.send(new PublishCommand({ TopicArn: topicArn, ...publishInput(entry) }));
  }
  // Every Publish has been answered: from here on, nothing more arrives.
  controlIds = await drain(control.url);
  for (const entry of snsMatchCases) {
    if (observed.has(entry.id)) continue;
    const ids = await drain(caseQueues.get(entry.id)!.url);
    observed.set(entry.id, { outcome: ids.includes(entry.id) ? 'delivered' : 'not delivered' });
  }

  // Policies AWS refuses, and policies at the limits AWS accepts: does fauxqs take them?
  for (const entry of snsInvalidPolicyCases) {
    observed.set(entry.id, await trySubscribe(entry.scope, policyText(entry), entry.api));
  }
  for (const entry of snsAcceptedPolicyCases) {
    observed.set(entry.id, await trySubscribe(entry.scope, policyText(entry), 'Subscribe'));
  }
}, 120_000);

afterAll(async () => {
  // Deleting the topics removes their subscriptions.
  await Promise.allSettled([
    ...topicArns.map((arn) => sns?.send(new DeleteTopicCommand({ TopicArn: arn }))),
    ...queueUrls.map((url) => sqs?.send(new DeleteQueueCommand({ QueueUrl: url }))),
  ]);
  sns?.destroy();
  sqs?.destroy();
  await local?.stop();
});

const listed = new Map<string, Divergence>(divergenceList.divergences.map((d) => [d.id, d]));

describe('fauxqs 1.9.2 against the recorded SNS filter-policy answers', () => {
  it('has delivered every published message to the unfiltered control queue by the time Publish answered', () => {
    // The premise that makes an empty receive mean "not delivered"; see the top of the file.
    expect(
      [...controlIds].sort(),
      'fauxqs no longer delivers inside Publish: "not delivered" answers below cannot be trusted; wait for delivery before draining',
    ).toEqual(snsMatchCases.map((c) => c.id).sort());
  });

  it.each([...conformanceEntries.values()].map((entry) => [entry.id, entry] as const))('%s', (id, entry) => {
    const seen = observed.get(id);
    expect(seen, `no outcome was recorded for ${id}`).toBeDefined();
    const outcome = seen!.outcome;
    const divergence = listed.get(id);
    const detail = seen!.error === undefined ? '' : ` (fauxqs said: ${seen!.error})`;
    if (divergence === undefined) {
      expect(
        outcome,
        `fauxqs answered "${outcome}" where AWS answers "${entry.aws}"${detail}: a new divergence; add it to fauxqs-divergences.json and regenerate docs/emulator-divergences.md`,
      ).toBe(entry.aws);
    } else if (outcome === entry.aws) {
      expect.fail(
        `${id} is listed in fauxqs-divergences.json but fauxqs now answers like AWS ("${outcome}"): remove it from the list and regenerate docs/emulator-divergences.md`,
      );
    } else {
      expect(outcome, `fauxqs answered "${outcome}"${detail}, but fauxqs-divergences.json says "${divergence.fauxqs}"`).toBe(
        divergence.fauxqs,
      );
    }
  });
});
