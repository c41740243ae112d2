import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DescribeEventBusCommand,
  EventBridgeClient,
  ListEventBusesCommand,
  PutEventsCommand,
  type PutEventsRequestEntry,
  type PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LocalAwsConfigError, startLocalAws, type LocalAws } from '@herald/local-aws';

/** The clock local-aws gives event times from: 2024-01-02T03:04:05.678Z. */
const NOW_MS = Date.UTC(2024, 0, 2, 3, 4, 5, 678);

let local: LocalAws;
let events: EventBridgeClient;

beforeAll(async () => {
  local = await startLocalAws({ dynamodb: false, clock: { now: () => NOW_MS } });
  // One attempt per call, so injected faults reach the test instead of being retried by the SDK.
  events = new EventBridgeClient({ ...local.clientConfig, maxAttempts: 1 });
});

afterEach(() => {
  local.setFaults(undefined);
});

afterAll(async () => {
  events.destroy();
  await local.stop();
});

const unique = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

function entry(source: string, detail: unknown = { n: 1 }, extra: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry {
  return { Source: source, DetailType: 'test.event', Detail: JSON.stringify(detail), ...extra };
}

function put(entries: PutEventsRequestEntry[]): Promise<{ FailedEntryCount?: number; Entries?: PutEventsResultEntry[] }> {
  return events.send(new PutEventsCommand({ Entries: entries }));
}

function recordedSources(source: string): string[] {
  return local.eventBridgeEvents().filter((event) => event.source === source).map((event) => event.eventId);
}

/**
 * A Detail JSON object of exactly `bytes` UTF-8 bytes, mostly "€" (3 bytes each) so that byte
 * and character counts differ by far.
 */
function detailOfBytes(bytes: number): string {
  const wrapper = '{"p":""}';
  const fill = bytes - wrapper.length;
  const euros = Math.floor(fill / 3);
  const text = `{"p":"${'€'.repeat(euros)}${'a'.repeat(fill - euros * 3)}"}`;
  expect(Buffer.byteLength(text, 'utf8')).toBe(bytes);
  return text;
}

describe('PutEvents', () => {
  it('accepts entries on the default bus: an EventId each, FailedEntryCount 0, and the test hook shows them', async () => {
    const source = unique('app.orders');
    const out = await put([
      entry(source, { orderId: 'o-1' }, { Resources: ['arn:aws:s3:::bucket/a'], Time: new Date(Date.UTC(2023, 5, 1, 12, 0, 0)) }),
      entry(source, { orderId: 'o-2' }),
    ]);
    expect(out.FailedEntryCount).toBe(0);
    const ids = (out.Entries ?? []).map((result) => result.EventId);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);

    const recorded = local.eventBridgeEvents('default').filter((event) => event.source === source);
    expect(recorded.map((event) => event.eventId)).toEqual(ids);
    expect(recorded[0]).toMatchObject({
      eventBusName: 'default',
      detailType: 'test.event',
      detail: '{"orderId":"o-1"}',
      resources: ['arn:aws:s3:::bucket/a'],
      time: '2023-06-01T12:00:00Z',
      deliveries: [],
    });
    // Without Time, the event time is when it was accepted (the injected clock), to the second.
    expect(recorded[1]).toMatchObject({ resources: [], time: '2024-01-02T03:04:05Z' });
    expect(recorded[1]?.event).toEqual({
      version: '0',
      id: ids[1],
      'detail-type': 'test.event',
      source,
      account: '000000000000',
      time: '2024-01-02T03:04:05Z',
      region: 'us-east-1',
      resources: [],
      detail: { orderId: 'o-2' },
    });
  });

  it('fails the whole request with ValidationException for more than 10 entries, or none; nothing is accepted', async () => {
    const source = unique('too.many');
    const eleven = Array.from({ length: 11 }, (_, index) => entry(source, { index }));
    await expect(put(eleven)).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('Member must have length less than or equal to 10') as unknown,
      $metadata: { httpStatusCode: 400 },
    });
    await expect(put([])).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('greater than or equal to 1') as unknown,
    });
    expect(recordedSources(source)).toEqual([]);
    const ten = await put(eleven.slice(0, 10));
    expect(ten.FailedEntryCount).toBe(0);
    expect(recordedSources(source)).toHaveLength(10);
  });

  describe('sizes: UTF-8 bytes of Source, DetailType, Detail, Resources, plus 14 for Time', () => {
    // Source "src.size" (8) + DetailType "test.event" (10) + one resource "arn:x:é" (8 bytes, 7 chars) + Time (14) = 40.
    const fixed = 8 + 10 + 8 + 14;
    const sized = (detailBytes: number): PutEventsRequestEntry => ({
      Source: 'src.size',
      DetailType: 'test.event',
      Resources: ['arn:x:é'],
      Time: new Date(NOW_MS),
      Detail: detailOfBytes(detailBytes),
    });

    it('accepts an entry of exactly 262,144 bytes and refuses one of 262,145 as a whole request', async () => {
      const before = local.eventBridgeEvents().length;
      const atLimit = await put([sized(262_144 - fixed)]);
      expect(atLimit.FailedEntryCount).toBe(0);
      expect(local.eventBridgeEvents()).toHaveLength(before + 1);
      await expect(put([sized(262_145 - fixed)])).rejects.toMatchObject({
        name: 'ValidationException',
        message: 'Total size of the entries in the request is over the limit.',
        $metadata: { httpStatusCode: 400 },
      });
      expect(local.eventBridgeEvents()).toHaveLength(before + 1);
    });

    it('applies the limit to all entries of a request together', async () => {
      const before = local.eventBridgeEvents().length;
      const half = 131_072 - fixed;
      expect((await put([sized(half), sized(half)])).FailedEntryCount).toBe(0);
      await expect(put([sized(half), sized(half + 1)])).rejects.toMatchObject({ name: 'ValidationException' });
      expect(local.eventBridgeEvents()).toHaveLength(before + 2);
    });

    it('does not count Time when it is absent, and the limit is configurable', async () => {
      const small = await startLocalAws({ dynamodb: false, eventBridgeMaxEntryBytes: 100 });
      const client = new EventBridgeClient({ ...small.clientConfig, maxAttempts: 1 });
      try {
        // "s" (1) + "t" (1) + Detail 98 = 100.
        const exactly = { Source: 's', DetailType: 't', Detail: detailOfBytes(98) };
        expect((await client.send(new PutEventsCommand({ Entries: [exactly] }))).FailedEntryCount).toBe(0);
        await expect(client.send(new PutEventsCommand({ Entries: [{ ...exactly, Time: new Date(NOW_MS) }] }))).rejects.toMatchObject({
          name: 'ValidationException',
        });
      } finally {
        client.destroy();
        await small.stop();
      }
      await expect(startLocalAws({ dynamodb: false, eventBridgeMaxEntryBytes: 0 })).rejects.toBeInstanceOf(LocalAwsConfigError);
    });
  });

  it('reports invalid entries at their positions, mixed with accepted ones, and accepts only the valid ones', async () => {
    const source = unique('mixed');
    const out = await put([
      entry(source, { position: 0 }),
      { DetailType: 'test.event', Detail: '{}' },
      { Source: source, Detail: '{}' },
      { Source: source, DetailType: 'test.event' },
      { Source: source, DetailType: 'test.event', Detail: 'not json' },
      { Source: source, DetailType: 'test.event', Detail: '[1,2]' },
      entry(source, { position: 6 }),
      entry(source, { position: 7 }, { EventBusName: unique('no-such-bus') }),
    ]);
    expect(out.FailedEntryCount).toBe(6);
    const results = out.Entries ?? [];
    expect(results).toHaveLength(8);
    expect(results.map((result) => result.ErrorCode ?? 'ok')).toEqual([
      'ok',
      'InvalidArgument',
      'InvalidArgument',
      'InvalidArgument',
      'MalformedDetail',
      'MalformedDetail',
      'ok',
      'ResourceNotFoundException',
    ]);
    expect(results[1]?.ErrorMessage).toBe('Parameter Source is not valid. Reason: Source is a required argument.');
    expect(results[2]?.ErrorMessage).toBe('Parameter DetailType is not valid. Reason: DetailType is a required argument.');
    expect(results[3]?.ErrorMessage).toBe('Parameter Detail is not valid. Reason: Detail is a required argument.');
    expect(results[4]?.ErrorMessage).toBe('Detail is malformed.');
    expect(results[7]?.ErrorMessage).toMatch(/^Event bus no-such-bus-\w+ does not exist\.$/);
    expect(results.filter((result) => result.ErrorCode !== undefined).every((result) => result.EventId === undefined)).toBe(true);
    expect(recordedSources(source)).toEqual([results[0]?.EventId, results[6]?.EventId]);
  });

  it('accepts entries for a bus once it exists, by name or ARN, and shows them per bus', async () => {
    const busName = unique('orders');
    const source = unique('bus.test');
    const before = await put([entry(source, {}, { EventBusName: busName })]);
    expect(before.Entries?.[0]?.ErrorCode).toBe('ResourceNotFoundException');

    const created = await events.send(new CreateEventBusCommand({ Name: busName, Description: 'orders bus' }));
    expect(created.EventBusArn).toBe(`arn:aws:events:us-east-1:000000000000:event-bus/${busName}`);
    const out = await put([
      entry(source, { by: 'name' }, { EventBusName: busName }),
      entry(source, { by: 'arn' }, { EventBusName: created.EventBusArn }),
      entry(source, { by: 'default' }),
    ]);
    expect(out.FailedEntryCount).toBe(0);
    expect(local.eventBridgeEvents(busName).map((event) => event.detail)).toEqual(['{"by":"name"}', '{"by":"arn"}']);
    expect(local.eventBridgeEvents(created.EventBusArn).map((event) => event.eventId)).toEqual(
      out.Entries?.slice(0, 2).map((result) => result.EventId),
    );
    expect(local.eventBridgeEvents('default').filter((event) => event.source === source).map((event) => event.detail)).toEqual([
      '{"by":"default"}',
    ]);
  });

  it('answers a body that is not a JSON object with a SerializationException', async () => {
    const response = await fetch(local.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutEvents' },
      body: '{"Entries": [',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { __type: string; message: string };
    expect(body.__type).toBe('com.amazonaws.eventbridge#SerializationException');
    expect(body.message).toContain('EventBridge request body must be a JSON object');
  });

  it('keeps at most eventBridgeMaxRecordedEvents events, dropping the oldest', async () => {
    const few = await startLocalAws({ dynamodb: false, eventBridgeMaxRecordedEvents: 3 });
    const client = new EventBridgeClient({ ...few.clientConfig, maxAttempts: 1 });
    try {
      const out = await client.send(new PutEventsCommand({ Entries: [1, 2, 3, 4, 5].map((n) => entry('few', { n })) }));
      expect(few.eventBridgeEvents().map((event) => event.eventId)).toEqual(out.Entries?.slice(2).map((result) => result.EventId));
    } finally {
      client.destroy();
      await few.stop();
    }
  });
});

describe('event buses', () => {
  it('has a default bus that cannot be created or deleted', async () => {
    const described = await events.send(new DescribeEventBusCommand({}));
    expect(described).toMatchObject({ Name: 'default', Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/default' });
    expect(described.CreationTime).toEqual(new Date(NOW_MS));
    await expect(events.send(new CreateEventBusCommand({ Name: 'default' }))).rejects.toMatchObject({
      name: 'ResourceAlreadyExistsException',
      message: 'Event bus default already exists.',
    });
    await expect(events.send(new DeleteEventBusCommand({ Name: 'default' }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Cannot delete event bus default.',
    });
  });

  it('creates, describes, lists (with prefix and pages) and deletes buses', async () => {
    const prefix = unique('list');
    const names = [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`];
    for (const name of names) await events.send(new CreateEventBusCommand({ Name: name }));
    await expect(events.send(new CreateEventBusCommand({ Name: names[0] }))).rejects.toMatchObject({
      name: 'ResourceAlreadyExistsException',
    });
    await expect(events.send(new DescribeEventBusCommand({ Name: names[1] }))).resolves.toMatchObject({
      Name: names[1],
      Arn: `arn:aws:events:us-east-1:000000000000:event-bus/${names[1] ?? ''}`,
    });

    const first = await events.send(new ListEventBusesCommand({ NamePrefix: prefix, Limit: 2 }));
    expect(first.EventBuses?.map((bus) => bus.Name)).toEqual(names.slice(0, 2));
    expect(first.NextToken).toBeDefined();
    const second = await events.send(new ListEventBusesCommand({ NamePrefix: prefix, Limit: 2, NextToken: first.NextToken }));
    expect(second.EventBuses?.map((bus) => bus.Name)).toEqual(names.slice(2));
    expect(second.NextToken).toBeUndefined();

    await events.send(new DeleteEventBusCommand({ Name: names[0] }));
    await expect(events.send(new DescribeEventBusCommand({ Name: names[0] }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: `Event bus ${names[0] ?? ''} does not exist.`,
    });
    // Deleting a bus that does not exist succeeds, as on AWS.
    await expect(events.send(new DeleteEventBusCommand({ Name: names[0] }))).resolves.toBeDefined();
    const rest = await events.send(new ListEventBusesCommand({ NamePrefix: prefix }));
    expect(rest.EventBuses?.map((bus) => bus.Name)).toEqual(names.slice(1));
  });

  it('refuses bus names AWS refuses', async () => {
    await expect(events.send(new CreateEventBusCommand({ Name: 'has space' }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(events.send(new CreateEventBusCommand({ Name: 'a/b' }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(events.send(new CreateEventBusCommand({ Name: 'x'.repeat(257) }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });
});

describe('faults', () => {
  async function tenEntryRequests(source: string, count: number): Promise<PutEventsResultEntry[][]> {
    const answers: PutEventsResultEntry[][] = [];
    for (let request = 0; request < count; request += 1) {
      const out = await put(Array.from({ length: 10 }, (_, index) => entry(source, { request, index })));
      const results = out.Entries ?? [];
      expect(out.FailedEntryCount).toBe(results.filter((result) => result.ErrorCode !== undefined).length);
      answers.push(results);
    }
    return answers;
  }

  const failedPositions = (answers: PutEventsResultEntry[][]): string[] =>
    answers.flatMap((results, request) => results.flatMap((result, index) => (result.ErrorCode === undefined ? [] : [`${request}:${index}`])));

  it('fails a fraction of PutEvents entries with InternalFailure at their positions; they are never accepted', async () => {
    const source = unique('faulted');
    const before = local.faultCounts().failedEntries;
    local.setFaults({ seed: 5, failedEntries: 0.3, services: ['eventbridge'] });
    const answers = await tenEntryRequests(source, 5);
    const failed = answers.flat().filter((result) => result.ErrorCode !== undefined);
    const succeeded = answers.flat().filter((result) => result.ErrorCode === undefined);
    expect(failed.length).toBeGreaterThan(0);
    expect(succeeded.length).toBeGreaterThan(0);
    for (const result of failed) {
      expect(result.ErrorCode).toBe('InternalFailure');
      expect(result.ErrorMessage).toContain('injected by local-aws');
      expect(result.EventId).toBeUndefined();
    }
    expect(local.faultCounts().failedEntries - before).toBe(failed.length);
    // Exactly the entries answered with an EventId were accepted, in order.
    expect(recordedSources(source)).toEqual(succeeded.map((result) => result.EventId));
  });

  it('draws the same failures from the same seed, and others from another seed', async () => {
    const faults = { seed: 21, failedEntries: 0.4, actions: ['PutEvents'] };
    local.setFaults(faults);
    const first = failedPositions(await tenEntryRequests(unique('seed'), 4));
    local.setFaults(faults);
    const again = failedPositions(await tenEntryRequests(unique('seed'), 4));
    local.setFaults({ ...faults, seed: 22 });
    const other = failedPositions(await tenEntryRequests(unique('seed'), 4));
    expect(first.length).toBeGreaterThan(0);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('never hides a validation error behind an injected failure, and answers without accepting when every entry is chosen', async () => {
    const source = unique('all');
    local.setFaults({ seed: 1, failedEntries: 1, services: ['eventbridge'] });
    const out = await put([entry(source), { Source: source, DetailType: 'x', Detail: 'oops' }, entry(source)]);
    expect(out.FailedEntryCount).toBe(3);
    expect(out.Entries?.map((result) => result.ErrorCode)).toEqual(['InternalFailure', 'MalformedDetail', 'InternalFailure']);
    const allChosen = await put([entry(source), entry(source)]);
    expect(allChosen).toMatchObject({ FailedEntryCount: 2 });
    expect(allChosen.Entries?.map((result) => result.ErrorCode)).toEqual(['InternalFailure', 'InternalFailure']);
    expect(recordedSources(source)).toEqual([]);
  });

  it('applies request faults to EventBridge: throttling and 500s, with nothing accepted', async () => {
    const source = unique('request-faults');
    local.setFaults({ seed: 1, throttle: 1, services: ['eventbridge'] });
    await expect(put([entry(source)])).rejects.toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    local.setFaults({ seed: 1, serverError: 1, services: ['eventbridge'] });
    await expect(put([entry(source)])).rejects.toMatchObject({ name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
    local.setFaults({ seed: 1, throttle: 1, services: ['sqs'] });
    expect((await put([entry(source)])).FailedEntryCount).toBe(0);
    expect(recordedSources(source)).toHaveLength(1);
  });
});
