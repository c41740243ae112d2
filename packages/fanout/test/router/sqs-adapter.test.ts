import { createBatcher, type BatchResult } from '@herald/core';
import {
  createSqsAdapter,
  sqsMessageSize,
  validateSqsMessage,
  type SqsAdapterInput,
  type SqsBatchEntry,
  type SqsSendValue,
} from '@herald/fanout';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FIFO_QUEUE_URL, QUEUE_URL, scriptedSqsClient, type SqsScript } from './scripted-sqs-client.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const LIMIT = 262_144;

function sqsBatcher(script: SqsScript | undefined, options: { fifo?: boolean; maxAttempts?: number; contentBasedDeduplication?: boolean; maxMessageBytes?: number } = {}) {
  const sqs = scriptedSqsClient(script);
  const fifo = options.fifo === true;
  const adapter = createSqsAdapter({
    client: sqs.client,
    queueUrl: fifo ? FIFO_QUEUE_URL : QUEUE_URL,
    fifo,
    contentBasedDeduplication: options.contentBasedDeduplication,
    maxMessageBytes: options.maxMessageBytes,
  });
  const batcher = createBatcher(adapter, {
    ordered: fifo,
    retry: { random: () => 0.5, ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }) },
  });
  return { sqs, batcher };
}

async function sendAll(batcher: ReturnType<typeof sqsBatcher>['batcher'], messages: SqsBatchEntry[]): Promise<BatchResult<SqsSendValue>[]> {
  const all = batcher.addAll(messages.map((message, index): SqsAdapterInput => ({ id: `m${index}`, message })));
  await vi.runAllTimersAsync();
  return all;
}

const body = (text: string): SqsBatchEntry => ({ MessageBody: text });

describe('SQS adapter: partial failures (same rules as the SNS publisher)', () => {
  it('SenderFault true fails at once, SenderFault false is retried alone, no SenderFault follows the code', async () => {
    const { sqs, batcher } = sqsBatcher((entries, call) =>
      entries.map((entry) => {
        if (call > 2) return 'ok';
        switch (entry.MessageBody) {
          case 'b3':
            return { Code: 'InternalError', SenderFault: false, Message: 'Internal error' };
          case 'b5':
            return { Code: 'InvalidParameterValue', SenderFault: true, Message: 'Value for parameter MessageBody is invalid.' };
          case 'b7':
            return { Code: 'RequestThrottled' };
          case 'b8':
            return { Code: 'AccessDenied' };
          default:
            return 'ok';
        }
      }),
    );
    const messages = Array.from({ length: 12 }, (_, i) => body(`b${i + 1}`));
    const results = await sendAll(batcher, messages);

    expect(sqs.bodies()).toEqual([
      ['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7', 'b8', 'b9', 'b10'],
      ['b11', 'b12'],
      ['b3', 'b7'],
    ]);
    expect(sqs.queueUrls.every((url) => url === QUEUE_URL)).toBe(true);
    expect(results[2]).toEqual({ status: 'ok', value: { messageId: 'mid-b3' }, attempts: 2 });
    expect(results[6]).toEqual({ status: 'ok', value: { messageId: 'mid-b7' }, attempts: 2 });
    expect(results[4]).toEqual({
      status: 'failed',
      code: 'InvalidParameterValue',
      message: 'Value for parameter MessageBody is invalid.',
      senderFault: true,
      attempts: 1,
    });
    expect(results[7]).toMatchObject({ status: 'failed', code: 'AccessDenied', senderFault: false, attempts: 1 });
    expect(results.filter((result) => result.status === 'ok')).toHaveLength(10);
    // Batch ids are the engine's, in request order.
    expect(sqs.requests[0]?.map((entry) => entry.Id)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('resends a whole request after a retryable error, and fails every entry of one that is not', async () => {
    const throttled = Object.assign(new Error('Request is throttled.'), { name: 'RequestThrottled', $metadata: { httpStatusCode: 400 } });
    const missing = Object.assign(new Error('The specified queue does not exist.'), {
      name: 'QueueDoesNotExist',
      $metadata: { httpStatusCode: 400 },
    });
    const retried = sqsBatcher((entries, call) => {
      if (call === 1) throw throttled;
      return entries.map(() => 'ok');
    });
    const ok = await sendAll(retried.batcher, [body('x'), body('y')]);
    expect(retried.sqs.bodies()).toEqual([['x', 'y'], ['x', 'y']]);
    expect(ok.map((result) => [result.status, result.attempts])).toEqual([['ok', 2], ['ok', 2]]);

    const refused = sqsBatcher(() => {
      throw missing;
    });
    const failed = await sendAll(refused.batcher, [body('x'), body('y')]);
    expect(refused.sqs.requests).toHaveLength(1);
    for (const result of failed) {
      expect(result).toMatchObject({ status: 'failed', code: 'QueueDoesNotExist', attempts: 1 });
    }
  });

  it('an entry missing from the answer is retried (MissingResult), never resolved twice', async () => {
    const { sqs, batcher } = sqsBatcher((entries, call) => entries.map((entry) => (call === 1 && entry.MessageBody === 'b' ? 'omit' : 'ok')));
    const results = await sendAll(batcher, [body('a'), body('b'), body('c')]);
    expect(sqs.bodies()).toEqual([['a', 'b', 'c'], ['b']]);
    expect(results.map((result) => [result.status, result.attempts])).toEqual([['ok', 1], ['ok', 2], ['ok', 1]]);
    expect(batcher.stats()).toMatchObject({ succeeded: 3, failed: 0, queued: 0 });
  });
});

describe('SQS adapter: sizes (body + attribute names, types and values, in UTF-8)', () => {
  const attributes = { kind: { DataType: 'String', StringValue: 'exact' } }; // 4 + 6 + 5 = 15 bytes

  it('sends a message of exactly 262,144 bytes and refuses one byte more locally, never sent', async () => {
    const exact: SqsBatchEntry = { MessageBody: '€'.repeat(1_000) + 'x'.repeat(LIMIT - 15 - 3_000), MessageAttributes: attributes };
    const over: SqsBatchEntry = { MessageBody: '€'.repeat(1_000) + 'x'.repeat(LIMIT - 15 - 3_000 + 1), MessageAttributes: attributes };
    expect(sqsMessageSize(exact)).toBe(LIMIT);
    expect(sqsMessageSize(over)).toBe(LIMIT + 1);

    const { sqs, batcher } = sqsBatcher(undefined);
    const [sent, refused] = await sendAll(batcher, [exact, over]);
    expect(sent).toMatchObject({ status: 'ok', attempts: 1 });
    expect(refused).toMatchObject({ status: 'failed', code: 'MessageTooLarge', senderFault: true, attempts: 0 });
    expect(refused?.status === 'failed' && refused.message).toContain(`${LIMIT + 1} bytes`);
    expect(sqs.requests).toHaveLength(1);
    expect(sqs.requests[0]).toHaveLength(1);
  });

  it('fills a request up to exactly 262,144 bytes and starts a new one for the next byte', async () => {
    const half = (tag: string): SqsBatchEntry => ({ MessageBody: tag + 'h'.repeat(LIMIT / 2 - 1) });
    const { sqs, batcher } = sqsBatcher(undefined);
    const results = await sendAll(batcher, [half('a'), half('b'), half('c'), body('d')]);
    expect(results.every((result) => result.status === 'ok')).toBe(true);
    expect(sqs.requests.map((request) => request.map((entry) => entry.MessageBody?.[0]))).toEqual([['a', 'b'], ['c', 'd']]);
  });

  it('counts Binary values by bytes and Number values as text; maxMessageBytes follows the queue up to 1 MiB', () => {
    expect(
      sqsMessageSize({
        MessageBody: 'a',
        MessageAttributes: {
          n: { DataType: 'Number', StringValue: '12' },
          b: { DataType: 'Binary', BinaryValue: new Uint8Array(5) },
        },
      }),
    ).toBe(1 + (1 + 6 + 2) + (1 + 6 + 5));
    const client = scriptedSqsClient().client;
    expect(() => createSqsAdapter({ client, queueUrl: QUEUE_URL, fifo: false, maxMessageBytes: 1_048_576 })).not.toThrow();
    expect(() => createSqsAdapter({ client, queueUrl: QUEUE_URL, fifo: false, maxMessageBytes: 1_048_577 })).toThrow(RangeError);
  });
});

describe('SQS adapter: FIFO queues', () => {
  it('keeps each group in order, one entry per group per request, and fails a group behind its failure', async () => {
    const { sqs, batcher } = sqsBatcher(
      (entries) => entries.map((entry) => (entry.MessageBody === 'a1' ? { Code: 'InvalidParameterValue', SenderFault: true } : 'ok')),
      { fifo: true },
    );
    const message = (group: string, text: string): SqsBatchEntry => ({ MessageBody: text, MessageGroupId: group, MessageDeduplicationId: text });
    const results = await sendAll(batcher, [
      message('A', 'a1'),
      message('B', 'b1'),
      message('A', 'a2'),
      message('B', 'b2'),
      message('B', 'b3'),
      message('A', 'a3'),
    ]);
    // Group B's messages go one per request, in order; group A stops at its failure.
    expect(sqs.bodies()).toEqual([['a1', 'b1'], ['b2'], ['b3']]);
    expect(results.map((result) => (result.status === 'ok' ? 'ok' : result.code))).toEqual([
      'InvalidParameterValue',
      'ok',
      'PrecedingMessageFailed',
      'ok',
      'ok',
      'PrecedingMessageFailed',
    ]);
    const sequence = results.flatMap((result) => (result.status === 'ok' && result.value.sequenceNumber !== undefined ? [result.value.sequenceNumber] : []));
    expect(sequence).toEqual([...sequence].sort());
    expect(sequence).toHaveLength(3);
  });

  it('refuses locally what a FIFO queue would: no group, per-message delay, missing deduplication id without content-based deduplication', async () => {
    const { sqs, batcher } = sqsBatcher(undefined, { fifo: true, contentBasedDeduplication: false });
    const results = await sendAll(batcher, [
      { MessageBody: 'no group', MessageDeduplicationId: 'd1' },
      { MessageBody: 'delayed', MessageGroupId: 'g', MessageDeduplicationId: 'd2', DelaySeconds: 5 },
      { MessageBody: 'no dedup', MessageGroupId: 'h' },
      { MessageBody: 'fine', MessageGroupId: 'k', MessageDeduplicationId: 'd3' },
    ]);
    expect(results.map((result) => (result.status === 'ok' ? 'ok' : result.code))).toEqual([
      'MissingParameter',
      'InvalidParameterValue',
      'MissingParameter',
      'ok',
    ]);
    expect(sqs.bodies()).toEqual([['fine']]);
  });
});

describe('validateSqsMessage', () => {
  const standard = { fifo: false };
  const cases: Array<[string, SqsBatchEntry, string | undefined]> = [
    ['plain text', body('hello'), undefined],
    ['tab, line feed, carriage return and an emoji', body('a\tb\nc\rd 😀 \ud7ff \ue000 \ufffd'), undefined],
    ['an empty body', body(''), 'MissingParameter'],
    ['a NUL character', body('a\u0000b'), 'InvalidMessageContents'],
    ['a vertical tab', body('a\u000bb'), 'InvalidMessageContents'],
    ['U+FFFE', body('a\ufffeb'), 'InvalidMessageContents'],
    ['U+FFFF', body('\uffff'), 'InvalidMessageContents'],
    ['an unpaired high surrogate', body('😀'.slice(0, 1)), 'InvalidMessageContents'],
    ['an unpaired low surrogate', body('x\ude00'), 'InvalidMessageContents'],
    [
      '10 attributes',
      { MessageBody: 'x', MessageAttributes: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }])) },
      undefined,
    ],
    [
      '11 attributes',
      { MessageBody: 'x', MessageAttributes: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }])) },
      'InvalidParameterValue',
    ],
    ['an attribute named AWS.trace', { MessageBody: 'x', MessageAttributes: { 'AWS.trace': { DataType: 'String', StringValue: 'v' } } }, 'InvalidParameterValue'],
    ['an attribute named amazon.x', { MessageBody: 'x', MessageAttributes: { 'amazon.x': { DataType: 'String', StringValue: 'v' } } }, 'InvalidParameterValue'],
    ['an attribute name with two periods', { MessageBody: 'x', MessageAttributes: { 'a..b': { DataType: 'String', StringValue: 'v' } } }, 'InvalidParameterValue'],
    ['an attribute name ending with a period', { MessageBody: 'x', MessageAttributes: { 'a.': { DataType: 'String', StringValue: 'v' } } }, 'InvalidParameterValue'],
    ['an attribute name with a space', { MessageBody: 'x', MessageAttributes: { 'a b': { DataType: 'String', StringValue: 'v' } } }, 'InvalidParameterValue'],
    ['a custom label', { MessageBody: 'x', MessageAttributes: { n: { DataType: 'Number.float', StringValue: '1.5' } } }, undefined],
    ['String.Array (to SQS, a String with the custom label Array)', { MessageBody: 'x', MessageAttributes: { l: { DataType: 'String.Array', StringValue: '["a"]' } } }, undefined],
    ['an unknown base type', { MessageBody: 'x', MessageAttributes: { l: { DataType: 'Text', StringValue: 'a' } } }, 'InvalidParameterValue'],
    ['a DataType ending with a period', { MessageBody: 'x', MessageAttributes: { l: { DataType: 'String.', StringValue: 'a' } } }, 'InvalidParameterValue'],
    ['an empty String value', { MessageBody: 'x', MessageAttributes: { s: { DataType: 'String', StringValue: '' } } }, 'InvalidParameterValue'],
    ['a String value with a control character', { MessageBody: 'x', MessageAttributes: { s: { DataType: 'String', StringValue: 'a\u0001' } } }, 'InvalidMessageContents'],
    ['a Number that is not a number', { MessageBody: 'x', MessageAttributes: { n: { DataType: 'Number', StringValue: '12abc' } } }, 'InvalidParameterValue'],
    ['a Number with 38 digits', { MessageBody: 'x', MessageAttributes: { n: { DataType: 'Number', StringValue: '1'.repeat(38) } } }, undefined],
    ['a Number with 39 digits', { MessageBody: 'x', MessageAttributes: { n: { DataType: 'Number', StringValue: '1'.repeat(39) } } }, 'InvalidParameterValue'],
    ['a Number of 1e126', { MessageBody: 'x', MessageAttributes: { n: { DataType: 'Number', StringValue: '-1e126' } } }, undefined],
    ['a Number of 1e127', { MessageBody: 'x', MessageAttributes: { n: { DataType: 'Number', StringValue: '1e127' } } }, 'InvalidParameterValue'],
    ['a Number of 1e-129', { MessageBody: 'x', MessageAttributes: { n: { DataType: 'Number', StringValue: '1e-129' } } }, 'InvalidParameterValue'],
    ['an empty Binary value', { MessageBody: 'x', MessageAttributes: { b: { DataType: 'Binary', BinaryValue: new Uint8Array(0) } } }, 'InvalidParameterValue'],
    ['a Binary value', { MessageBody: 'x', MessageAttributes: { b: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 255]) } } }, undefined],
    ['DelaySeconds 900', { MessageBody: 'x', DelaySeconds: 900 }, undefined],
    ['DelaySeconds 901', { MessageBody: 'x', DelaySeconds: 901 }, 'InvalidParameterValue'],
    ['DelaySeconds -1', { MessageBody: 'x', DelaySeconds: -1 }, 'InvalidParameterValue'],
    ['DelaySeconds 1.5', { MessageBody: 'x', DelaySeconds: 1.5 }, 'InvalidParameterValue'],
    ['a deduplication id on a standard queue', { MessageBody: 'x', MessageDeduplicationId: 'd' }, 'InvalidParameterValue'],
    ['a group id on a standard queue (fair queues)', { MessageBody: 'x', MessageGroupId: 'tenant-1' }, undefined],
    ['a group id with a space', { MessageBody: 'x', MessageGroupId: 'tenant 1' }, 'InvalidParameterValue'],
    ['a group id of 129 characters', { MessageBody: 'x', MessageGroupId: 'g'.repeat(129) }, 'InvalidParameterValue'],
    ['an AWSTraceHeader', { MessageBody: 'x', MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793' } } }, undefined],
  ];
  it.each(cases)('%s', (_name, message, code) => {
    const problem = validateSqsMessage(message, standard);
    expect(problem?.code).toBe(code);
    if (problem !== undefined) expect(problem.message).not.toContain('hello');
  });

  it('never quotes the body in its messages', () => {
    const secret = 'card=4111111111111111\u0000';
    expect(validateSqsMessage(body(secret), standard)?.message).not.toContain('4111');
  });
});
