import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { createSnsPublisher } from '@herald/sns-batch';
import { TOPIC_ARN } from './scripted-sns-client.js';

/**
 * A real SNSClient (the SDK's own request serialisation) whose transport answers in memory:
 * every entry of a PublishBatch request succeeds. Requests are counted after serialisation.
 */
function inMemorySns(): { client: SNSClient; entriesPerRequest: number[] } {
  const entriesPerRequest: number[] = [];
  const client = new SNSClient({
    region: 'us-east-1',
    endpoint: 'http://sns.local.test',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
    requestHandler: {
      async handle(request: { body?: unknown }) {
        const body = typeof request.body === 'string' ? request.body : '';
        const ids = [...body.matchAll(/PublishBatchRequestEntries\.member\.\d+\.Id=([^&]+)/g)].map((m) => m[1] ?? '');
        entriesPerRequest.push(ids.length);
        const members = ids.map((id) => `<member><Id>${id}</Id><MessageId>mid-${id}</MessageId></member>`).join('');
        const xml =
          '<PublishBatchResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishBatchResult>' +
          `<Successful>${members}</Successful><Failed/></PublishBatchResult>` +
          '<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishBatchResponse>';
        return {
          response: { statusCode: 200, reason: 'OK', headers: { 'content-type': 'text/xml' }, body: new TextEncoder().encode(xml) },
        };
      },
    },
  });
  return { client, entriesPerRequest };
}

describe('text the SDK cannot encode (B1)', () => {
  it('the SDK itself refuses a lone surrogate for the whole request', async () => {
    const { client, entriesPerRequest } = inMemorySns();
    const command = new PublishBatchCommand({
      TopicArn: TOPIC_ARN,
      PublishBatchRequestEntries: [
        { Id: '0', Message: 'fine' },
        { Id: '1', Message: 'bad \ud800' },
      ],
    });
    // This is why the publisher must catch it per message: otherwise every batch mate fails.
    await expect(client.send(command)).rejects.toThrow(URIError);
    expect(entriesPerRequest).toEqual([]);
  });

  it('a message with a lone surrogate fails alone and locally; its batch mates are published in one request', async () => {
    const { client, entriesPerRequest } = inMemorySns();
    const publisher = createSnsPublisher({ client, topicArn: TOPIC_ARN });
    const results = await publisher.publishAll([
      { id: 'good1', Message: 'hello' },
      { id: 'lone', Message: 'bad \ud800 surrogate' },
      { id: 'loneAttribute', Message: 'ok', MessageAttributes: { a: { DataType: 'String', StringValue: '\udc00' } } },
      { id: 'loneSubject', Message: 'ok', Subject: 'x\ud83d' },
      { id: 'good2', Message: 'world 😀', MessageAttributes: { a: { DataType: 'String', StringValue: 'x' } } },
    ]);
    await publisher.close();
    expect(results.map((r) => [r.id, r.status === 'failed' ? r.code : r.status])).toEqual([
      ['good1', 'published'],
      ['lone', 'InvalidParameter'],
      ['loneAttribute', 'ParameterValueInvalid'],
      ['loneSubject', 'InvalidParameter'],
      ['good2', 'published'],
    ]);
    for (const result of results) {
      if (result.status === 'failed') {
        expect(result).toMatchObject({ senderFault: true, attempts: 0 });
        expect(result.message).toContain('unpaired UTF-16 surrogate');
      }
    }
    expect(entriesPerRequest).toEqual([2]);
  });
});
