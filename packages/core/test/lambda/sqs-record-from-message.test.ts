import { describe, expect, it } from 'vitest';
import { processSqsBatch, sqsRecordFromMessage, unwrapSqsRecord } from '../../src/index.js';

const queueArn = 'arn:aws:sqs:eu-west-1:123456789012:orders.fifo';

describe('sqsRecordFromMessage', () => {
  it('builds the record Lambda would deliver: ids, body, system and message attributes, source', () => {
    const record = sqsRecordFromMessage(
      {
        MessageId: 'm-1',
        ReceiptHandle: 'rh-1',
        Body: '{"a":1}',
        MD5OfBody: 'abc',
        Attributes: { ApproximateReceiveCount: '2', MessageGroupId: 'g', SentTimestamp: '1700000000000' },
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: 'refund' },
          blob: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 255, 1]) },
        },
      },
      queueArn,
    );
    expect(record).toEqual({
      messageId: 'm-1',
      receiptHandle: 'rh-1',
      body: '{"a":1}',
      md5OfBody: 'abc',
      attributes: { ApproximateReceiveCount: '2', MessageGroupId: 'g', SentTimestamp: '1700000000000' },
      messageAttributes: {
        kind: { dataType: 'String', stringValue: 'refund', stringListValues: [], binaryListValues: [] },
        blob: { dataType: 'Binary', binaryValue: 'AP8B', stringListValues: [], binaryListValues: [] },
      },
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: 'eu-west-1',
    });
  });

  it('leaves out what the message does not have, and refuses a message without id or body', () => {
    expect(sqsRecordFromMessage({ MessageId: 'm', Body: 'x' }, 'arn:aws:sqs:us-east-1:1:q')).toEqual({
      messageId: 'm',
      body: 'x',
      attributes: {},
      messageAttributes: {},
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:1:q',
      awsRegion: 'us-east-1',
    });
    expect(() => sqsRecordFromMessage({ Body: 'x' }, queueArn)).toThrow(TypeError);
    expect(() => sqsRecordFromMessage({ MessageId: 'm' }, queueArn)).toThrow(/MessageId and a Body/);
  });

  it('feeds processSqsBatch and unwrapSqsRecord: a FIFO queue ARN stops the batch at the first failure', async () => {
    const records = ['ok', 'fail', 'later'].map((body, index) =>
      sqsRecordFromMessage({ MessageId: `m-${index}`, Body: body, Attributes: { MessageGroupId: 'g' } }, queueArn),
    );
    expect(unwrapSqsRecord(records[0]!)).toMatchObject({ kind: 'raw', body: 'ok' });
    const response = await processSqsBatch({ Records: records }, (record) => {
      if (record.body === 'fail') throw new Error('no');
    });
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(['m-1', 'm-2']);
  });
});
