import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from '@herald/local-aws';


function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A small event-pattern matcher for these tests (local-aws takes the real one from its user):
 * keys are ANDed, nested objects recurse, an array lists alternatives (exact values, or
 * `{ prefix }`); an array value in the event matches when any element does.
 */
function testMatcher(pattern: unknown, event: unknown): boolean {
  if (!isObject(pattern) || !isObject(event)) return false;
  return Object.entries(pattern).every(([key, condition]) => {
    const value = event[key];
    if (!Array.isArray(condition)) return testMatcher(condition, value);
    const values: unknown[] = Array.isArray(value) ? value : [value];
    return condition.some((alternative) =>
      values.some((candidate) =>
        isObject(alternative) && typeof alternative['prefix'] === 'string'
          ? typeof candidate === 'string' && candidate.startsWith(alternative['prefix'])
          : candidate === alternative,
      ),
    );
  });
}

let local: LocalAws;
let events: EventBridgeClient;
let sqs: SQSClient;
/** Every pattern and event the matcher was asked about, in order. */
const matcherCalls: { pattern: unknown; event: unknown }[] = [];

beforeAll(async () => {
  local = await startLocalAws({
    dynamodb: false,
    eventPatternMatcher: (pattern, event) => {
      matcherCalls.push({ pattern, event });
      if (isObject(pattern) && 'explode' in pattern) throw new Error('this matcher does not know "explode"');
      return testMatcher(pattern, event);
    },
    eventPatternValidator: (pattern) => (isObject(pattern) && Object.keys(pattern).length === 0 ? 'Empty event pattern.' : undefined),
  });
  events = new EventBridgeClient({ ...local.clientConfig, maxAttempts: 1 });
  sqs = new SQSClient({ ...local.clientConfig, maxAttempts: 1 });
});

afterAll(async () => {
  events.destroy();
  sqs.destroy();
  await local.stop();
});

const unique = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

async function createQueue(name = unique('q'), attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl ?? '';
  const got = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return { url, arn: got.Attributes?.['QueueArn'] ?? '' };
}

async function drain(queueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    const messages = out.Messages ?? [];
    if (messages.length === 0) return bodies;
    for (const message of messages) {
      bodies.push(message.Body ?? '');
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  }
}

function entry(busName: string, source: string, detail: unknown, detailType = 'order.placed'): PutEventsRequestEntry {
  return { EventBusName: busName, Source: source, DetailType: detailType, Detail: JSON.stringify(detail) };
}

async function putEvents(entries: PutEventsRequestEntry[]): Promise<string[]> {
  const out = await events.send(new PutEventsCommand({ Entries: entries }));
  expect(out.FailedEntryCount).toBe(0);
  return (out.Entries ?? []).map((result) => result.EventId ?? '');
}

async function newBus(): Promise<string> {
  const name = unique('bus');
  await events.send(new CreateEventBusCommand({ Name: name }));
  return name;
}

describe('rules with SQS targets', () => {
  it('sends each accepted event to the queues of matching rules: the whole event, or the part InputPath selects', async () => {
    const bus = await newBus();
    const orders = await createQueue();
    const failures = await createQueue();
    const ordersRule = await events.send(
      new PutRuleCommand({ Name: 'orders', EventBusName: bus, EventPattern: JSON.stringify({ source: ['shop.orders'] }) }),
    );
    expect(ordersRule.RuleArn).toBe(`arn:aws:events:us-east-1:000000000000:rule/${bus}/orders`);
    await events.send(
      new PutRuleCommand({ Name: 'failures', EventBusName: bus, EventPattern: JSON.stringify({ detail: { status: [{ prefix: 'fail' }] } }) }),
    );
    const put = await events.send(
      new PutTargetsCommand({ Rule: 'orders', EventBusName: bus, Targets: [{ Id: 'orders-queue', Arn: orders.arn }] }),
    );
    expect(put).toMatchObject({ FailedEntryCount: 0, FailedEntries: [] });
    await events.send(
      new PutTargetsCommand({ Rule: 'failures', EventBusName: bus, Targets: [{ Id: 'detail-only', Arn: failures.arn, InputPath: '$.detail' }] }),
    );

    const [placed, failedPayment, other] = await putEvents([
      { ...entry(bus, 'shop.orders', { id: 'o-1', status: 'ok' }), Resources: ['arn:aws:s3:::b/o-1'] },
      entry(bus, 'shop.payments', { id: 'p-1', status: 'failed-card' }),
      entry(bus, 'shop.payments', { id: 'p-2', status: 'ok' }),
    ]);

    // Delivered before PutEvents answered: the queues have the messages already.
    const orderBodies = (await drain(orders.url)).map((body) => JSON.parse(body) as Record<string, unknown>);
    expect(orderBodies).toHaveLength(1);
    expect(orderBodies[0]).toEqual({
      version: '0',
      id: placed,
      'detail-type': 'order.placed',
      source: 'shop.orders',
      account: '000000000000',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) as unknown,
      region: 'us-east-1',
      resources: ['arn:aws:s3:::b/o-1'],
      detail: { id: 'o-1', status: 'ok' },
    });
    expect(Object.keys(orderBodies[0] ?? {})).toEqual(['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
    expect(await drain(failures.url)).toEqual(['{"id":"p-1","status":"failed-card"}']);

    const recorded = local.eventBridgeEvents(bus);
    expect(recorded.map((record) => record.eventId)).toEqual([placed, failedPayment, other]);
    expect(recorded.map((record) => record.deliveries.map((delivery) => `${delivery.rule}/${delivery.targetId}:${delivery.outcome}`))).toEqual([
      ['orders/orders-queue:delivered'],
      ['failures/detail-only:delivered'],
      [],
    ]);
    // The matcher saw the parsed pattern and the event as rules see it.
    const call = matcherCalls.find((seen) => isObject(seen.event) && seen.event['id'] === placed);
    expect(call?.event).toEqual(recorded[0]?.event);
    expect([{ source: ['shop.orders'] }, { detail: { status: [{ prefix: 'fail' }] } }]).toContainEqual(call?.pattern);
  });

  it('does not deliver for a disabled rule, nor after its targets are removed, nor for events on another bus', async () => {
    const bus = await newBus();
    const queue = await createQueue();
    await events.send(new PutRuleCommand({ Name: 'all-orders', EventBusName: bus, EventPattern: '{"source":["shop.orders"]}' }));
    await events.send(new PutTargetsCommand({ Rule: 'all-orders', EventBusName: bus, Targets: [{ Id: 't', Arn: queue.arn }] }));

    await events.send(new DisableRuleCommand({ Name: 'all-orders', EventBusName: bus }));
    await expect(events.send(new DescribeRuleCommand({ Name: 'all-orders', EventBusName: bus }))).resolves.toMatchObject({
      State: 'DISABLED',
      EventBusName: bus,
    });
    await putEvents([entry(bus, 'shop.orders', { n: 'while disabled' })]);
    await events.send(new EnableRuleCommand({ Name: 'all-orders', EventBusName: bus }));
    await putEvents([entry(bus, 'shop.orders', { n: 'enabled' }), entry('default', 'shop.orders', { n: 'other bus' })]);
    await events.send(new RemoveTargetsCommand({ Rule: 'all-orders', EventBusName: bus, Ids: ['t'] }));
    await putEvents([entry(bus, 'shop.orders', { n: 'no targets' })]);

    const bodies = (await drain(queue.url)).map((body) => (JSON.parse(body) as { detail: unknown }).detail);
    expect(bodies).toEqual([{ n: 'enabled' }]);
  });

  it('sends the Input text instead of the event, and a FIFO queue gets the MessageGroupId', async () => {
    const bus = await newBus();
    const fifo = await createQueue(`${unique('fifo')}.fifo`, { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    await events.send(new PutRuleCommand({ Name: 'fifo', EventBusName: bus, EventPattern: '{"detail-type":["ping"]}' }));
    await expect(
      events.send(new PutTargetsCommand({ Rule: 'fifo', EventBusName: bus, Targets: [{ Id: 'no-group', Arn: fifo.arn }] })),
    ).rejects.toMatchObject({ name: 'ValidationException', message: 'Parameter(s) SqsParameters must be specified for target: no-group.' });
    await events.send(
      new PutTargetsCommand({
        Rule: 'fifo',
        EventBusName: bus,
        Targets: [{ Id: 'grouped', Arn: fifo.arn, Input: '{"constant":true}', SqsParameters: { MessageGroupId: 'g1' } }],
      }),
    );
    await putEvents([entry(bus, 'x', { a: 1 }, 'ping'), entry(bus, 'x', { a: 2 }, 'pong')]);
    const out = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: fifo.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['MessageGroupId'] }),
    );
    expect((out.Messages ?? []).map((message) => [message.Body, message.Attributes?.['MessageGroupId']])).toEqual([['{"constant":true}', 'g1']]);
  });

  it('accepts the event when a target queue does not exist, and the test hook shows the failed delivery', async () => {
    const bus = await newBus();
    const missing = `arn:aws:sqs:us-east-1:000000000000:${unique('gone')}`;
    await events.send(new PutRuleCommand({ Name: 'to-nowhere', EventBusName: bus, EventPattern: '{"source":["s"]}' }));
    await events.send(new PutTargetsCommand({ Rule: 'to-nowhere', EventBusName: bus, Targets: [{ Id: 'gone', Arn: missing }] }));
    const [eventId] = await putEvents([entry(bus, 's', {})]);
    const [record] = local.eventBridgeEvents(bus);
    expect(record?.eventId).toBe(eventId);
    expect(record?.deliveries).toEqual([
      { rule: 'to-nowhere', targetId: 'gone', targetArn: missing, outcome: 'failed', error: expect.stringContaining('QueueDoesNotExist') as unknown },
    ]);
  });
});

describe('rule and target management', () => {
  it('describes and lists rules, lists targets, and deletes in the order AWS requires', async () => {
    const bus = await newBus();
    const queue = await createQueue();
    for (const name of ['b-rule', 'a-rule', 'c-other']) {
      await events.send(new PutRuleCommand({ Name: name, EventBusName: bus, EventPattern: '{"source":["s"]}', Description: `rule ${name}` }));
    }
    await expect(events.send(new DescribeRuleCommand({ Name: 'a-rule', EventBusName: bus }))).resolves.toMatchObject({
      Name: 'a-rule',
      Arn: `arn:aws:events:us-east-1:000000000000:rule/${bus}/a-rule`,
      EventPattern: '{"source":["s"]}',
      State: 'ENABLED',
      Description: 'rule a-rule',
      EventBusName: bus,
    });
    const listed = await events.send(new ListRulesCommand({ EventBusName: bus, NamePrefix: 'a-', Limit: 1 }));
    expect(listed.Rules?.map((rule) => rule.Name)).toEqual(['a-rule']);
    const all = await events.send(new ListRulesCommand({ EventBusName: bus }));
    expect(all.Rules?.map((rule) => rule.Name)).toEqual(['a-rule', 'b-rule', 'c-other']);

    await events.send(new PutTargetsCommand({ Rule: 'a-rule', EventBusName: bus, Targets: [{ Id: 'q', Arn: queue.arn, InputPath: '$.detail' }] }));
    await expect(events.send(new ListTargetsByRuleCommand({ Rule: 'a-rule', EventBusName: bus }))).resolves.toMatchObject({
      Targets: [{ Id: 'q', Arn: queue.arn, InputPath: '$.detail' }],
    });
    await expect(events.send(new DeleteRuleCommand({ Name: 'a-rule', EventBusName: bus }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: "Rule can't be deleted since it has targets.",
    });
    await expect(events.send(new DeleteEventBusCommand({ Name: bus }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: "EventBus can't be deleted since it has rules.",
    });
    await events.send(new RemoveTargetsCommand({ Rule: 'a-rule', EventBusName: bus, Ids: ['q'] }));
    for (const name of ['a-rule', 'b-rule', 'c-other']) await events.send(new DeleteRuleCommand({ Name: name, EventBusName: bus }));
    await expect(events.send(new DescribeRuleCommand({ Name: 'a-rule', EventBusName: bus }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: `Rule a-rule does not exist on EventBus ${bus}.`,
    });
    await events.send(new DeleteEventBusCommand({ Name: bus }));
  });

  it('fails targets local-aws cannot deliver to in FailedEntries, and refuses more than 5 targets on a rule', async () => {
    const bus = await newBus();
    const queue = await createQueue();
    await events.send(new PutRuleCommand({ Name: 'r', EventBusName: bus, EventPattern: '{"source":["s"]}' }));
    const out = await events.send(
      new PutTargetsCommand({
        Rule: 'r',
        EventBusName: bus,
        Targets: [
          { Id: 'lambda', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:f' },
          { Id: 'queue', Arn: queue.arn },
          { Id: 'transformed', Arn: queue.arn, InputTransformer: { InputTemplate: '"x"' } },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(2);
    expect(out.FailedEntries?.map((failure) => [failure.TargetId, failure.ErrorCode])).toEqual([
      ['lambda', 'LocalAwsUnsupportedTarget'],
      ['transformed', 'LocalAwsUnsupportedTarget'],
    ]);
    expect(out.FailedEntries?.[0]?.ErrorMessage).toContain('SQS queues only');
    expect((await events.send(new ListTargetsByRuleCommand({ Rule: 'r', EventBusName: bus }))).Targets?.map((target) => target.Id)).toEqual([
      'queue',
    ]);

    const five = Array.from({ length: 5 }, (_, index) => ({ Id: `t${index}`, Arn: queue.arn }));
    await expect(events.send(new PutTargetsCommand({ Rule: 'r', EventBusName: bus, Targets: five }))).rejects.toMatchObject({
      name: 'LimitExceededException',
    });
    // Replacing by Id does not count twice.
    await expect(events.send(new PutTargetsCommand({ Rule: 'r', EventBusName: bus, Targets: [...five.slice(0, 4), { Id: 'queue', Arn: queue.arn }] }))).resolves.toMatchObject({
      FailedEntryCount: 0,
    });
    await expect(events.send(new PutTargetsCommand({ Rule: 'no-such-rule', EventBusName: bus, Targets: [{ Id: 'x', Arn: queue.arn }] }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: `Rule no-such-rule does not exist on EventBus ${bus}.`,
    });
  });

  it('refuses invalid patterns, schedules and rules on buses that do not exist', async () => {
    const bus = await newBus();
    await expect(events.send(new PutRuleCommand({ Name: 'bad', EventBusName: bus, EventPattern: '{"source": [' }))).rejects.toMatchObject({
      name: 'InvalidEventPatternException',
      message: expect.stringMatching(/^Event pattern is not valid\. Reason: /) as unknown,
    });
    await expect(events.send(new PutRuleCommand({ Name: 'array', EventBusName: bus, EventPattern: '["s"]' }))).rejects.toMatchObject({
      name: 'InvalidEventPatternException',
    });
    // The validator given to local-aws decides too.
    await expect(events.send(new PutRuleCommand({ Name: 'empty', EventBusName: bus, EventPattern: '{}' }))).rejects.toMatchObject({
      name: 'InvalidEventPatternException',
      message: 'Event pattern is not valid. Reason: Empty event pattern.',
    });
    await expect(events.send(new PutRuleCommand({ Name: 'cron', EventBusName: bus, ScheduleExpression: 'rate(1 minute)' }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('does not run scheduled rules') as unknown,
    });
    await expect(events.send(new PutRuleCommand({ Name: 'none', EventBusName: bus }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Parameter(s) EventPattern or ScheduleExpression must be specified.',
    });
    await expect(events.send(new PutRuleCommand({ Name: 'r', EventBusName: unique('nobus'), EventPattern: '{"source":["s"]}' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    expect((await events.send(new ListRulesCommand({ EventBusName: bus }))).Rules).toEqual([]);
  });

  it('fails the whole PutEvents, accepting nothing, when the matcher throws', async () => {
    const bus = await newBus();
    const queue = await createQueue();
    await events.send(new PutRuleCommand({ Name: 'explodes', EventBusName: bus, EventPattern: '{"explode":[true]}' }));
    await events.send(new PutTargetsCommand({ Rule: 'explodes', EventBusName: bus, Targets: [{ Id: 'q', Arn: queue.arn }] }));
    await expect(events.send(new PutEventsCommand({ Entries: [entry(bus, 's', {}), entry(bus, 's', {})] }))).rejects.toMatchObject({
      name: 'LocalAwsEventPatternMatcherFailed',
      message: expect.stringContaining('this matcher does not know "explode"') as unknown,
      $metadata: { httpStatusCode: 400 },
    });
    expect(local.eventBridgeEvents(bus)).toEqual([]);
    expect(await drain(queue.url)).toEqual([]);
  });
});

describe('without an eventPatternMatcher', () => {
  it('refuses PutRule with a message saying to pass one, and PutEvents still works', async () => {
    const plain = await startLocalAws({ dynamodb: false });
    const client = new EventBridgeClient({ ...plain.clientConfig, maxAttempts: 1 });
    try {
      await expect(client.send(new PutRuleCommand({ Name: 'r', EventPattern: '{"source":["s"]}' }))).rejects.toMatchObject({
        name: 'LocalAwsEventPatternMatcherMissing',
        message: expect.stringContaining('startLocalAws({ eventPatternMatcher })') as unknown,
        $metadata: { httpStatusCode: 400 },
      });
      expect((await client.send(new ListRulesCommand({}))).Rules).toEqual([]);
      const out = await client.send(new PutEventsCommand({ Entries: [{ Source: 's', DetailType: 't', Detail: '{}' }] }));
      expect(out.FailedEntryCount).toBe(0);
      expect(plain.eventBridgeEvents()).toHaveLength(1);
    } finally {
      client.destroy();
      await plain.stop();
    }
  });
});
