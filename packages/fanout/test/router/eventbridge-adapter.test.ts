import { createBatcher, type BatchResult, type Logger } from '@herald/core';
import {
  createEventBridgeAdapter,
  eventBridgeEntrySize,
  validateEventBridgeEntry,
  type EventBridgeEntry,
  type EventBridgePutValue,
} from '@herald/fanout';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { scriptedEventBridgeClient, type EventBridgeScript } from './scripted-eventbridge-client.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const LIMIT = 262_144;

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const ignore = (): void => {};
  return { warnings, debug: ignore, info: ignore, error: ignore, warn: (message) => warnings.push(message) };
}

function eventBridgeBatcher(script: EventBridgeScript | undefined, options: { maxAttempts?: number; endpointId?: string; logger?: Logger } = {}) {
  const eventBridge = scriptedEventBridgeClient(script);
  const adapter = createEventBridgeAdapter({ client: eventBridge.client, endpointId: options.endpointId, logger: options.logger });
  const batcher = createBatcher(adapter, {
    retry: { random: () => 0.5, ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }) },
  });
  return { eventBridge, batcher };
}

const event = (n: number | string, extra: Partial<EventBridgeEntry> = {}): EventBridgeEntry => ({
  Source: 'com.example.shop',
  DetailType: 'OrderPlaced',
  Detail: JSON.stringify({ n }),
  EventBusName: 'orders',
  ...extra,
});

async function putAll(batcher: ReturnType<typeof eventBridgeBatcher>['batcher'], entries: EventBridgeEntry[]): Promise<BatchResult<EventBridgePutValue>[]> {
  const all = batcher.addAll(entries.map((entry, index) => ({ id: `e${index}`, entry })));
  await vi.runAllTimersAsync();
  return all;
}

/** The `n` of each entry's Detail, per request. */
function sentNumbers(requests: EventBridgeEntry[][]): unknown[][] {
  return requests.map((request) => request.map((entry) => (JSON.parse(entry.Detail ?? '{}') as { n: unknown }).n));
}

describe('EventBridge adapter: positional results', () => {
  it('maps each result back to the entry at its position; a transient failure is retried alone', async () => {
    const { eventBridge, batcher } = eventBridgeBatcher((entries, call) =>
      entries.map((entry) => (call === 1 && entry.Detail === '{"n":1}' ? { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal failure' } : 'ok')),
    );
    const results = await putAll(batcher, [event(0), event(1), event(2)]);
    expect(sentNumbers(eventBridge.requests)).toEqual([[0, 1, 2], [1]]);
    // The scripted service numbers events in the order it accepts them.
    expect(results).toEqual([
      { status: 'ok', value: { eventId: 'event-1' }, attempts: 1 },
      { status: 'ok', value: { eventId: 'event-3' }, attempts: 2 },
      { status: 'ok', value: { eventId: 'event-2' }, attempts: 1 },
    ]);
    expect(eventBridge.requests[0]?.[0]).toEqual(event(0)); // sent unchanged, no batch id added
  });

  it('retries ThrottlingException until maxAttempts, and fails the other codes at once as the sender\'s fault', async () => {
    const codes = ['ThrottlingException', 'MalformedDetail', 'InvalidArgument', 'AccessDeniedException', 'NotAuthorizedForSourceException'];
    const { eventBridge, batcher } = eventBridgeBatcher(
      (entries) => entries.map((entry) => ({ ErrorCode: codes[(JSON.parse(entry.Detail ?? '{}') as { n: number }).n] ?? 'InternalFailure' })),
      { maxAttempts: 3 },
    );
    const results = await putAll(batcher, codes.map((_code, index) => event(index)));
    expect(results[0]).toMatchObject({ status: 'failed', code: 'ThrottlingException', senderFault: false, attempts: 3 });
    for (const [index, code] of codes.entries()) {
      if (index === 0) continue;
      expect(results[index]).toMatchObject({ status: 'failed', code, senderFault: true, attempts: 1 });
    }
    expect(sentNumbers(eventBridge.requests)).toEqual([[0, 1, 2, 3, 4], [0], [0]]);
  });

  it('passes EndpointId for global endpoints', async () => {
    const { eventBridge, batcher } = eventBridgeBatcher(undefined, { endpointId: 'abcde.veo' });
    await putAll(batcher, [event(0)]);
    expect(eventBridge.endpointIds).toEqual(['abcde.veo']);
  });
});

describe('EventBridge adapter: answers that do not add up', () => {
  it('FailedEntryCount above the failures shown: successes are not trusted, every entry is resent once, none resolved twice', async () => {
    const logger = recordingLogger();
    const { eventBridge, batcher } = eventBridgeBatcher(
      (entries, call) =>
        call === 1
          ? { raw: { FailedEntryCount: 2, Entries: [{ EventId: 'a' }, { ErrorCode: 'InternalFailure' }, { EventId: 'c' }] } }
          : entries.map(() => 'ok'),
      { logger },
    );
    const results = await putAll(batcher, [event(0), event(1), event(2)]);
    expect(sentNumbers(eventBridge.requests)).toEqual([[0, 1, 2], [0, 1, 2]]);
    expect(results.map((result) => [result.status, result.attempts])).toEqual([['ok', 2], ['ok', 2], ['ok', 2]]);
    expect(batcher.stats()).toMatchObject({ added: 3, succeeded: 3, failed: 0, queued: 0 });
    expect(logger.warnings.join('\n')).toContain('FailedEntryCount 2 but 1');
  });

  it('FailedEntryCount below the failures shown: successes are kept, the failures follow their codes', async () => {
    const { eventBridge, batcher } = eventBridgeBatcher((entries, call) =>
      call === 1 ? { raw: { FailedEntryCount: 0, Entries: [{ EventId: 'a' }, { ErrorCode: 'ThrottlingException' }] } } : entries.map(() => 'ok'),
    );
    const results = await putAll(batcher, [event(0), event(1)]);
    expect(sentNumbers(eventBridge.requests)).toEqual([[0, 1], [1]]);
    expect(results[0]).toEqual({ status: 'ok', value: { eventId: 'a' }, attempts: 1 });
    expect(results[1]).toMatchObject({ status: 'ok', attempts: 2 });
  });

  it.each([
    ['fewer results than entries', { FailedEntryCount: 0, Entries: [{ EventId: 'a' }] }],
    ['more results than entries', { FailedEntryCount: 0, Entries: [{ EventId: 'a' }, { EventId: 'b' }, { EventId: 'c' }, { EventId: 'd' }] }],
    ['no Entries at all', { FailedEntryCount: 0 }],
  ])('%s: positions cannot be trusted, every entry ends UnconfirmedResult once retries run out', async (_name, raw) => {
    const logger = recordingLogger();
    const { eventBridge, batcher } = eventBridgeBatcher(() => ({ raw }), { maxAttempts: 2, logger });
    const results = await putAll(batcher, [event(0), event(1), event(2)]);
    expect(eventBridge.requests).toHaveLength(2);
    for (const result of results) {
      expect(result).toMatchObject({ status: 'failed', code: 'UnconfirmedResult', senderFault: false, attempts: 2 });
      expect(result.status === 'failed' && result.message).toContain('may be delivered twice');
    }
    expect(batcher.stats()).toMatchObject({ succeeded: 0, failed: 3, queued: 0 });
    expect(logger.warnings).toHaveLength(2);
  });

  it('a result with neither EventId nor ErrorCode is unconfirmed and resent; its neighbours are kept', async () => {
    const { eventBridge, batcher } = eventBridgeBatcher((entries, call) => entries.map((_entry, index) => (call === 1 && index === 1 ? 'empty' : 'ok')));
    const results = await putAll(batcher, [event(0), event(1), event(2)]);
    expect(sentNumbers(eventBridge.requests)).toEqual([[0, 1, 2], [1]]);
    expect(results.map((result) => result.attempts)).toEqual([1, 2, 1]);
  });
});

describe('EventBridge adapter: sizes (Source + DetailType + Detail + Resources in UTF-8, + 14 for Time)', () => {
  /** An entry of exactly `bytes` bytes as EventBridge counts them. */
  function sized(bytes: number, withTime: boolean, tag = 'a'): EventBridgeEntry {
    const fixed = 'com.example.shop'.length + 'OrderPlaced'.length + 'arn:aws:s3:::bucket'.length + (withTime ? 14 : 0);
    const frame = '{"p":""}'.length + 1 + 3; // tag and one '€'
    return {
      Source: 'com.example.shop',
      DetailType: 'OrderPlaced',
      Resources: ['arn:aws:s3:::bucket'],
      Detail: `{"p":"${tag}€${'x'.repeat(bytes - fixed - frame)}"}`,
      ...(withTime ? { Time: new Date(0) } : {}),
    };
  }

  it('counts as the EventBridge guide does', () => {
    expect(eventBridgeEntrySize({ Source: 'é', DetailType: 'T', Detail: '{}' })).toBe(2 + 1 + 2);
    expect(eventBridgeEntrySize({ Source: 's', DetailType: 'T', Detail: '{}', Time: new Date(), Resources: ['r1', 'r22'] })).toBe(14 + 1 + 1 + 2 + 5);
    expect(eventBridgeEntrySize(sized(LIMIT, true))).toBe(LIMIT);
    expect(eventBridgeEntrySize(sized(LIMIT, false))).toBe(LIMIT);
  });

  it('puts an entry of exactly 262,144 bytes, refuses one byte more locally, and splits requests by their total', async () => {
    const { eventBridge, batcher } = eventBridgeBatcher(undefined);
    const results = await putAll(batcher, [sized(LIMIT, true, 'a'), sized(LIMIT + 1, true, 'b'), sized(LIMIT / 2, false, 'c'), sized(LIMIT / 2, false, 'd'), sized(10_000, false, 'e')]);
    expect(results.map((result) => (result.status === 'ok' ? 'ok' : result.code))).toEqual(['ok', 'EntryTooLarge', 'ok', 'ok', 'ok']);
    expect(results[1]).toMatchObject({ senderFault: true, attempts: 0 });
    const tags = eventBridge.requests.map((request) => request.map((entry) => entry.Detail?.slice(6, 7)));
    expect(tags).toEqual([['a'], ['c', 'd'], ['e']]);
  });
});

describe('validateEventBridgeEntry', () => {
  const cases: Array<[string, EventBridgeEntry, string | undefined]> = [
    ['a complete entry', event(1), undefined],
    ['an entry with Time, Resources and TraceHeader', event(1, { Time: new Date(), Resources: ['arn:aws:s3:::b'], TraceHeader: 'Root=1-abc' }), undefined],
    ['no Source', event(1, { Source: undefined }), 'InvalidArgument'],
    ['an empty Source', event(1, { Source: '' }), 'InvalidArgument'],
    ['a Source of 256 characters', event(1, { Source: 's'.repeat(256) }), undefined],
    ['a Source of 257 characters', event(1, { Source: 's'.repeat(257) }), 'InvalidArgument'],
    ['an aws. Source', event(1, { Source: 'aws.ec2' }), 'InvalidArgument'],
    ['no DetailType', event(1, { DetailType: undefined }), 'InvalidArgument'],
    ['a DetailType of 128 emoji', event(1, { DetailType: '😀'.repeat(128) }), undefined],
    ['a DetailType of 129 characters', event(1, { DetailType: 't'.repeat(129) }), 'InvalidArgument'],
    ['no Detail', event(1, { Detail: undefined }), 'InvalidArgument'],
    ['a Detail that is not JSON', event(1, { Detail: 'order placed' }), 'MalformedDetail'],
    ['a Detail that is an array', event(1, { Detail: '[1,2]' }), 'MalformedDetail'],
    ['a Detail that is a string', event(1, { Detail: '"x"' }), 'MalformedDetail'],
    ['a Detail that is null', event(1, { Detail: 'null' }), 'MalformedDetail'],
    ['a Detail nested 1,100 levels', event(1, { Detail: '{"a":'.repeat(1_099) + '{}' + '}'.repeat(1_099) }), undefined],
    ['a Detail nested 1,101 levels', event(1, { Detail: '{"a":'.repeat(1_100) + '{}' + '}'.repeat(1_100) }), 'MalformedDetail'],
    ['brackets inside Detail strings do not nest', event(1, { Detail: JSON.stringify({ s: '{'.repeat(2_000) + '\\"[' }) }), undefined],
    ['Resources that is not an array', { ...event(1), Resources: 'arn' as unknown as string[] }, 'InvalidArgument'],
    ['a Resource that is not a string', { ...event(1), Resources: [42 as unknown as string] }, 'InvalidArgument'],
    ['an invalid Time', event(1, { Time: new Date(Number.NaN) }), 'InvalidArgument'],
    ['an empty EventBusName', event(1, { EventBusName: '' }), 'InvalidArgument'],
    ['an unpaired surrogate in DetailType', event(1, { DetailType: 'x\ud800' }), 'InvalidArgument'],
  ];
  it.each(cases)('%s', (_name, entry, code) => {
    expect(validateEventBridgeEntry(entry)?.code).toBe(code);
  });

  it('never quotes the detail', () => {
    expect(validateEventBridgeEntry(event(1, { Detail: 'password=hunter2' }))?.message).not.toContain('hunter2');
  });
});
