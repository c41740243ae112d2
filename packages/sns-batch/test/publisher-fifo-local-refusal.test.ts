import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSnsPublisher, type SnsMessage } from '@herald/sns-batch';
import { FIFO_TOPIC_ARN, scriptedSnsClient } from './scripted-sns-client.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const badAttribute = { 'bad name!': { DataType: 'String', StringValue: 'x' } };

function message(id: string, group: string, extra: Partial<SnsMessage> = {}): SnsMessage {
  return { id, Message: `body of ${id}`, MessageGroupId: group, MessageDeduplicationId: `dedup-${id}`, ...extra };
}

const codes = (results: ReadonlyArray<{ status: string; code?: string }>) => results.map((r) => r.code ?? r.status);

describe('FIFO: a message refused locally fails the later messages of its group, like one SNS refused (A4)', () => {
  it('a refused a2 fails a3 (not sent), as an SNS-side failure of a2 would; group B goes on', async () => {
    const sns = scriptedSnsClient();
    const publisher = createSnsPublisher({ client: sns.client, topicArn: FIFO_TOPIC_ARN });
    const all = publisher.publishAll([
      message('a1', 'A'),
      message('a2', 'A', { MessageAttributes: badAttribute }),
      message('a3', 'A'),
      message('b1', 'B'),
    ]);
    await vi.runAllTimersAsync();
    const results = await all;
    expect(codes(results)).toEqual(['published', 'ParameterValueInvalid', 'PrecedingMessageFailed', 'published']);
    expect(results[2]).toMatchObject({ id: 'a3', attempts: 0, senderFault: false });
    expect((results[2] as { message: string }).message).toContain('ParameterValueInvalid');
    expect(sns.bodies().flat()).toEqual(['body of a1', 'body of b1']);
  });

  it('a group whose first message is refused: the group\'s messages published in the same burst fail; later ones are sent', async () => {
    const sns = scriptedSnsClient();
    const publisher = createSnsPublisher({ client: sns.client, topicArn: FIFO_TOPIC_ARN });
    const burst = publisher.publishAll([message('a1', 'A', { MessageAttributes: badAttribute }), message('a2', 'A'), message('b1', 'B')]);
    await vi.runAllTimersAsync();
    expect(codes(await burst)).toEqual(['ParameterValueInvalid', 'PrecedingMessageFailed', 'published']);
    const later = publisher.publish(message('a3', 'A'));
    await vi.runAllTimersAsync();
    expect(await later).toMatchObject({ status: 'published', id: 'a3' });
    expect(sns.bodies().flat()).toEqual(['body of b1', 'body of a3']);
  });
});
