import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSnsPublisher, snsMessageSize, type SnsMessage } from '@herald/sns-batch';
import { scriptedSnsClient, TOPIC_ARN } from './scripted-sns-client.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A message whose one attribute counts `attributeBytes` (name "a" + "String" + value). */
function withAttribute(body: string, attributeBytes: number): SnsMessage {
  return {
    Message: body,
    MessageAttributes: { a: { DataType: 'String', StringValue: 'v'.repeat(attributeBytes - 1 - 'String'.length) } },
  };
}

async function requestSizes(messages: SnsMessage[]): Promise<number[]> {
  const sns = scriptedSnsClient();
  const publisher = createSnsPublisher({ client: sns.client, topicArn: TOPIC_ARN });
  const all = publisher.publishAll(messages);
  await vi.runAllTimersAsync();
  expect((await all).every((r) => r.status === 'published')).toBe(true);
  return sns.requests.map((request) => request.length);
}

describe('createSnsPublisher: byte-aware splitting (issue case 2)', () => {
  it('four messages of 30,000 × "€" (90,000 bytes each) go in two requests of two', async () => {
    const body = '€'.repeat(30_000);
    expect(snsMessageSize({ Message: body })).toBe(90_000);
    expect(await requestSizes([1, 2, 3, 4].map(() => ({ Message: body })))).toEqual([2, 2]);
  });

  it('two 131,000-byte bodies with a 73-byte attribute (262,146 bytes together) go in two requests', async () => {
    const message = withAttribute('x'.repeat(131_000), 73);
    expect(snsMessageSize(message)).toBe(131_073);
    expect(await requestSizes([message, message])).toEqual([1, 1]);
  });

  it('the same with a 72-byte attribute (exactly 262,144 bytes) go in one request: the limit is inclusive', async () => {
    const message = withAttribute('x'.repeat(131_000), 72);
    expect(snsMessageSize(message)).toBe(131_072);
    expect(await requestSizes([message, message])).toEqual([2]);
  });

  it('counts "😀" as 4 bytes', async () => {
    expect(snsMessageSize({ Message: '😀' })).toBe(4);
    expect(snsMessageSize({ Message: 'a😀€é' })).toBe(1 + 4 + 3 + 2);
    // 262,140 + 4 = 262,144 fits exactly; one more byte does not.
    const sns = scriptedSnsClient();
    const publisher = createSnsPublisher({ client: sns.client, topicArn: TOPIC_ARN });
    const fits = publisher.publish({ id: 'fits', Message: `${'a'.repeat(262_140)}😀` });
    const tooBig = publisher.publish({ id: 'big', Message: `${'a'.repeat(262_141)}😀` });
    await vi.runAllTimersAsync();
    expect(await fits).toMatchObject({ status: 'published' });
    const failed = await tooBig;
    expect(failed).toMatchObject({ status: 'failed', id: 'big', code: 'MessageTooLarge', senderFault: true, attempts: 0 });
    expect((failed as { message: string }).message).toContain('262145 bytes');
    expect((failed as { message: string }).message).toContain('262144 bytes');
    expect(sns.requests).toHaveLength(1);
    expect(sns.requests[0]).toHaveLength(1);
  });

  it('counts attribute names, data types and values (string as UTF-8, binary by length), like Buffer.byteLength', () => {
    const message: SnsMessage = {
      Message: 'héllo',
      MessageAttributes: {
        'näme': { DataType: 'String', StringValue: '€uro' },
        count: { DataType: 'Number', StringValue: '12' },
        blob: { DataType: 'Binary', BinaryValue: new Uint8Array(7) },
        list: { DataType: 'String.Array', StringValue: '["a",1]' },
      },
    };
    const expected =
      Buffer.byteLength('héllo') +
      Buffer.byteLength('näme') + 6 + Buffer.byteLength('€uro') +
      5 + 6 + 2 +
      4 + 6 + 7 +
      4 + 12 + 7;
    expect(snsMessageSize(message)).toBe(expected);
  });

  it('honours a smaller maxMessageBytes for messages and requests', async () => {
    const sns = scriptedSnsClient();
    const publisher = createSnsPublisher({ client: sns.client, topicArn: TOPIC_ARN, maxMessageBytes: 10 });
    const results = publisher.publishAll([{ Message: '12345' }, { Message: '67890' }, { Message: 'x' }, { Message: '12345678901' }]);
    await vi.runAllTimersAsync();
    expect((await results).map((r) => (r.status === 'failed' ? r.code : r.status))).toEqual([
      'published',
      'published',
      'published',
      'MessageTooLarge',
    ]);
    expect(sns.bodies()).toEqual([['12345', '67890'], ['x']]);
  });
});
