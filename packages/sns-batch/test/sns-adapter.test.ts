import type { PublishBatchCommand, PublishBatchCommandOutput } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { createSnsAdapter, snsMessageSize, type SnsMessage, type SnsPublishBatchClient } from '@herald/sns-batch';
import { FIFO_TOPIC_ARN, TOPIC_ARN } from './scripted-sns-client.js';

/** A client answering every request with the given Failed entries (by batch id) and the rest successful. */
function answering(failed: Array<{ Id: string; Code?: string; SenderFault?: boolean }>): SnsPublishBatchClient {
  return {
    async send(command: PublishBatchCommand): Promise<PublishBatchCommandOutput> {
      const ids = (command.input.PublishBatchRequestEntries ?? []).map((entry) => entry.Id ?? '');
      const failedIds = new Set(failed.map((f) => f.Id));
      return {
        $metadata: { httpStatusCode: 200 },
        Successful: ids.filter((id) => !failedIds.has(id)).map((id) => ({ Id: id, MessageId: `m-${id}` })),
        Failed: failed.map((f) => ({ Id: f.Id, Code: f.Code, SenderFault: f.SenderFault, Message: 'from SNS' })),
      };
    },
  };
}

const entries = ['0', '1', '2', '3', '4', '5'].map((id) => ({ id, entry: { Message: 'x' } }));

describe('createSnsAdapter', () => {
  it('never retries an entry SNS marks SenderFault: true, whatever its code (B2)', async () => {
    const adapter = createSnsAdapter({
      fifo: false,
      topicArn: TOPIC_ARN,
      client: answering([
        { Id: '0', Code: 'InternalError', SenderFault: true },
        { Id: '1', Code: 'Throttling', SenderFault: true },
        { Id: '2', Code: 'InvalidParameter', SenderFault: false },
        { Id: '3', Code: 'InternalError' },
        { Id: '4', Code: 'InvalidParameter' },
      ]),
    });
    const outcomes = await adapter.send(entries, undefined);
    const byId = new Map(outcomes.map((o) => [o.id, o]));
    expect(byId.get('0')).toMatchObject({ ok: false, code: 'InternalError', senderFault: true, retryable: false });
    expect(byId.get('1')).toMatchObject({ ok: false, code: 'Throttling', senderFault: true, retryable: false });
    // SenderFault false: SNS says resending may work, whatever the code.
    expect(byId.get('2')).toMatchObject({ ok: false, senderFault: false, retryable: true });
    // No SenderFault at all: the code decides.
    expect(byId.get('3')).toMatchObject({ ok: false, senderFault: false, retryable: true });
    expect(byId.get('4')).toMatchObject({ ok: false, senderFault: false, retryable: false });
    expect(byId.get('5')).toMatchObject({ ok: true, value: { messageId: 'm-5' } });
  });

  it('accepts maxMessageBytes up to the largest topic MaximumMessageSize (1 MiB) and no more (B5)', () => {
    const client = answering([]);
    expect(createSnsAdapter({ client, topicArn: TOPIC_ARN, fifo: false }).maxRequestBytes).toBe(262_144);
    const large = createSnsAdapter({ client, topicArn: TOPIC_ARN, fifo: false, maxMessageBytes: 1_048_576 });
    expect(large.maxEntryBytes).toBe(1_048_576);
    expect(large.maxRequestBytes).toBe(1_048_576);
    const body = 'x'.repeat(1_048_576);
    expect(large.prepare({ id: 'big', message: { Message: body } })).toMatchObject({ ok: true, bytes: 1_048_576 });
    expect(large.prepare({ id: 'bigger', message: { Message: `${body}x` } })).toMatchObject({ ok: false, code: 'MessageTooLarge' });
    for (const maxMessageBytes of [0, 1_048_577, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createSnsAdapter({ client, topicArn: TOPIC_ARN, fifo: false, maxMessageBytes }), String(maxMessageBytes)).toThrow(
        RangeError,
      );
    }
  });

  it('refuses a String attribute carrying a BinaryValue as ParameterValueInvalid, not as an adapter bug (B3)', () => {
    const adapter = createSnsAdapter({ client: answering([]), topicArn: TOPIC_ARN, fifo: false });
    const message = {
      Message: 'x',
      MessageAttributes: { a: { DataType: 'String', StringValue: 'v', BinaryValue: 'abc' as unknown as Uint8Array } },
    };
    expect(Number.isNaN(snsMessageSize(message))).toBe(false);
    expect(snsMessageSize(message)).toBe(1 + 1 + 6 + 1);
    const prepared = adapter.prepare({ id: 'a', message });
    expect(prepared).toMatchObject({ ok: false, code: 'ParameterValueInvalid' });
    expect(prepared.ok === false && prepared.message).toContain('must not also have a BinaryValue');
  });

  it('on a FIFO topic, a locally refused message still names its MessageGroupId as ordering key', () => {
    const adapter = createSnsAdapter({ client: answering([]), topicArn: FIFO_TOPIC_ARN, fifo: true, maxMessageBytes: 10 });
    const invalid: SnsMessage = { Message: 'x', MessageGroupId: 'A', MessageAttributes: { 'bad name': { DataType: 'String', StringValue: 'v' } } };
    expect(adapter.prepare({ id: 'a2', message: invalid })).toMatchObject({ ok: false, code: 'ParameterValueInvalid', orderingKey: 'A' });
    expect(adapter.prepare({ id: 'a3', message: { Message: 'x'.repeat(11), MessageGroupId: 'A' } })).toMatchObject({
      ok: false,
      code: 'MessageTooLarge',
      orderingKey: 'A',
    });
    // Without a group there is no key to carry; on a standard topic a group is not an ordering key.
    expect(adapter.prepare({ id: 'b', message: { Message: '' } })).not.toHaveProperty('orderingKey');
    const standard = createSnsAdapter({ client: answering([]), topicArn: TOPIC_ARN, fifo: false });
    expect(standard.prepare({ id: 'c', message: { Message: '', MessageGroupId: 'A' } })).not.toHaveProperty('orderingKey');
  });
});
