import { describe, expect, it, vi } from 'vitest';
import { processSqsBatch, unwrapSqsRecord, type SqsRecord } from '@herald/core';
import { capturingLogger, eventOf, fifoRecord, findLeak, ids, sqsRecord, turns } from './fixtures.js';

/** Bodies with text that must never reach a log: no 8-character piece of them may show up. */
const SECRET_JSON = '{"customer":"Zebedee Quixote","card":"4929-7215-0388-6613","cvv":"917"}';
const SECRET_TEXT = 'Zebedee Quixote paid with 4929-7215-0388-6613, cvv 917, and asked for gift wrap';

/** An SNS envelope, as SNS delivers it to SQS without raw delivery, carrying `message`. */
function snsBody(message: string): string {
  return JSON.stringify({
    Type: 'Notification',
    MessageId: '5f0c6d0e-8a4b-5e61-9c7d-3b1a2f4e6d88',
    TopicArn: 'arn:aws:sns:eu-west-1:123456789012:payments',
    Message: message,
    Timestamp: '2025-03-14T09:26:53.589Z',
    SignatureVersion: '1',
    Signature: 'kX0b3cQ1mR9fLr2hT8wN5yB7vD4jS6eA1uZ0oP3iK9gH2lC5xV8nM7qW4tY1rE6sF3dJ0aU9bG2zI5cO8pL7vK4h==',
    SigningCertURL: 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem',
    UnsubscribeURL:
      'https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:eu-west-1:123456789012:payments:0b3c1d2e-4f5a-6b7c-8d9e-0f1a2b3c4d5e',
  });
}

async function logsOf(records: SqsRecord[], handler: (record: SqsRecord) => unknown, fifo = false): Promise<{ text: string; response: string[] }> {
  const { logger, text } = capturingLogger();
  const response = await processSqsBatch(eventOf(records), handler, { logger, fifo });
  await turns();
  return { text: text(), response: ids(response) };
}

describe('processSqsBatch: the logger never sees a body', () => {
  it('cuts the body out of an error message that quotes it', async () => {
    const { text, response } = await logsOf([sqsRecord('m1', SECRET_JSON)], (record) => {
      throw new Error(`cannot handle ${record.body} right now`);
    });
    expect(response).toEqual(['m1']);
    expect(findLeak(text, SECRET_JSON)).toBeUndefined();
    expect(text).toContain('cannot handle [body redacted] right now');
  });

  it('cuts out every occurrence, also when the body itself is thrown', async () => {
    const { text } = await logsOf([sqsRecord('m1', SECRET_TEXT), sqsRecord('m2', SECRET_JSON)], (record) => {
      if (record.messageId === 'm1') throw record.body;
      throw new Error(`${record.body} / ${record.body}`);
    });
    expect(findLeak(text, SECRET_TEXT)).toBeUndefined();
    expect(findLeak(text, SECRET_JSON)).toBeUndefined();
    expect(text).toContain('[body redacted] / [body redacted]');
  });

  it.each([
    ['short text', 'zq9 pw=Hx7'],
    ['long text', SECRET_TEXT],
    ['broken JSON, cut in the middle', '{"customer":"Zebedee Quixote","card":4929-7215-0388-6613,"cvv":"917"}'],
    ['JSON with a bad token far in', `{"note":"${'x'.repeat(40)}","card":"4929-7215-0388-6613", oops}`],
    ['a multi-line body', 'Zebedee Quixote\npaid 4929-7215-0388-6613\ncvv 917'],
  ])('cuts out the piece a JSON.parse error quotes (%s)', async (_label, body) => {
    const { text } = await logsOf([sqsRecord('m1', body)], (record) => JSON.parse(record.body));
    expect(findLeak(text, body.replace(/x{8,}/, ''))).toBeUndefined();
    expect(text).toMatch(/is not valid JSON|in JSON at position/);
  });

  it('cuts out the published message of an SNS envelope when an error quotes it', async () => {
    const body = snsBody(SECRET_TEXT);
    const { text } = await logsOf([sqsRecord('m1', body)], (record) => {
      const unwrapped = unwrapSqsRecord(record);
      if (unwrapped.kind !== 'sns') throw new Error('expected SNS');
      throw new Error(`rejected payment: ${unwrapped.message}`);
    });
    expect(findLeak(text, SECRET_TEXT)).toBeUndefined();
    expect(text).toContain('rejected payment: [body redacted]');
  });

  it('cuts out the published JSON of an SNS envelope, quoted raw or as JSON text', async () => {
    const body = snsBody(SECRET_JSON);
    const { text } = await logsOf([sqsRecord('m1', body), sqsRecord('m2', body)], (record) => {
      const unwrapped = unwrapSqsRecord(record);
      if (unwrapped.kind !== 'sns') throw new Error('expected SNS');
      if (record.messageId === 'm1') throw new Error(`bad order ${unwrapped.message}`);
      throw new Error(`bad order ${JSON.stringify(unwrapped.message)}`);
    });
    expect(findLeak(text, SECRET_JSON)).toBeUndefined();
  });

  it('cuts out the snippet of a JSON.parse error on the published message of an SNS envelope', async () => {
    const { text } = await logsOf([sqsRecord('m1', snsBody(SECRET_TEXT))], (record) => {
      const unwrapped = unwrapSqsRecord(record);
      return JSON.parse(unwrapped.kind === 'sns' ? unwrapped.message : record.body);
    });
    expect(findLeak(text, SECRET_TEXT)).toBeUndefined();
    expect(text).toContain('"[body redacted]" is not valid JSON');
  });

  it('keeps the rest of the error message and the error name', async () => {
    const { logger, entries } = capturingLogger();
    class OrderRejectedError extends Error {
      override name = 'OrderRejectedError';
    }
    await processSqsBatch(
      eventOf([sqsRecord('m1', SECRET_JSON)]),
      () => {
        throw new OrderRejectedError('the warehouse is closed');
      },
      { logger },
    );
    const failure = entries.find((entry) => entry.message.includes('a record failed'));
    expect(failure?.level).toBe('warn');
    expect(failure?.data).toEqual({
      messageId: 'm1',
      index: 0,
      errorName: 'OrderRejectedError',
      errorMessage: 'the warehouse is closed',
    });
  });

  it('logs no body on success, on skips or in the summary', async () => {
    const records = [fifoRecord('a1', 'A', SECRET_JSON), fifoRecord('a2', 'A', SECRET_TEXT), fifoRecord('a3', 'A', SECRET_TEXT)];
    const { text } = await logsOf(
      records,
      (record) => {
        if (record.messageId === 'a2') throw new Error('no');
      },
      true,
    );
    expect(findLeak(text, SECRET_JSON)).toBeUndefined();
    expect(findLeak(text, SECRET_TEXT)).toBeUndefined();
    expect(text).toContain('a3'); // the skip is logged, by id
  });
});

describe('processSqsBatch: onRecordError', () => {
  it('is called once per failed record, with what the handler threw and the record', async () => {
    const records = [sqsRecord('m0', '{}'), sqsRecord('m1', '{}'), sqsRecord('m2', '{}'), sqsRecord('m3', '{}')];
    const thrown = new Map<string, unknown>([
      ['m1', new TypeError('bad shape')],
      ['m3', 'plain string'],
    ]);
    const onRecordError = vi.fn();
    const response = await processSqsBatch(
      eventOf(records),
      (record) => {
        if (thrown.has(record.messageId)) throw thrown.get(record.messageId);
      },
      { onRecordError },
    );
    expect(ids(response)).toEqual(['m1', 'm3']);
    expect(onRecordError).toHaveBeenCalledTimes(2);
    expect(onRecordError.mock.calls[0]?.[0]).toBe(thrown.get('m1'));
    expect(onRecordError.mock.calls[0]?.[1]).toBe(records[1]);
    expect(onRecordError.mock.calls[1]?.[0]).toBe('plain string');
    expect(onRecordError.mock.calls[1]?.[1]).toBe(records[3]);
  });

  it('is not called for records skipped after a FIFO failure, nor for successes', async () => {
    const records = [fifoRecord('a1', 'A'), fifoRecord('a2', 'A'), fifoRecord('a3', 'A'), fifoRecord('a4', 'A')];
    const onRecordError = vi.fn();
    const response = await processSqsBatch(
      eventOf(records),
      (record) => {
        if (record.messageId === 'a2') throw new Error('no');
      },
      { onRecordError },
    );
    expect(ids(response)).toEqual(['a2', 'a3', 'a4']);
    expect(onRecordError).toHaveBeenCalledTimes(1);
    expect(onRecordError.mock.calls[0]?.[1]).toBe(records[1]);
  });

  it('swallows and logs what the hook throws, with the body cut out', async () => {
    const { logger, entries, text } = capturingLogger();
    const records = [sqsRecord('m0', SECRET_JSON), sqsRecord('m1', '{}')];
    const response = await processSqsBatch(
      eventOf(records),
      () => {
        throw new Error('handler failed');
      },
      {
        logger,
        onRecordError: (_error, record) => {
          throw new Error(`metrics down while counting ${record.body}`);
        },
      },
    );
    expect(ids(response)).toEqual(['m0', 'm1']);
    const hookLogs = entries.filter((entry) => entry.message.includes('onRecordError threw'));
    expect(hookLogs.map((entry) => [entry.level, entry.data?.['messageId']])).toEqual([
      ['warn', 'm0'],
      ['warn', 'm1'],
    ]);
    expect(hookLogs[0]?.data?.['errorMessage']).toBe('metrics down while counting [body redacted]');
    expect(findLeak(text(), SECRET_JSON)).toBeUndefined();
  });

  it('swallows and logs a rejection of an async hook, with no unhandled rejection', async () => {
    const { logger, entries } = capturingLogger();
    const response = await processSqsBatch(
      eventOf([sqsRecord('m0', '{}'), sqsRecord('m1', '{}')]),
      (record) => {
        if (record.messageId === 'm1') throw new Error('handler failed');
      },
      {
        logger,
        onRecordError: async () => {
          await Promise.resolve();
          throw new RangeError('counter overflow');
        },
      },
    );
    expect(ids(response)).toEqual(['m1']);
    await turns();
    const hookLogs = entries.filter((entry) => entry.message.includes('onRecordError threw'));
    expect(hookLogs).toHaveLength(1);
    expect(hookLogs[0]?.data).toMatchObject({ messageId: 'm1', index: 1, errorName: 'RangeError', errorMessage: 'counter overflow' });
  });

  it('swallows a hook that throws a non-Error value, or returns a thenable whose then throws', async () => {
    const { logger, entries } = capturingLogger();
    const hooks = [
      () => {
        throw undefined;
      },
      () => ({
        then() {
          throw new Error('broken thenable');
        },
      }),
    ];
    for (const hook of hooks) {
      const response = await processSqsBatch(
        eventOf([sqsRecord('m0', '{}')]),
        () => {
          throw new Error('handler failed');
        },
        { logger, onRecordError: hook as () => void },
      );
      expect(ids(response)).toEqual(['m0']);
    }
    const hookLogs = entries.filter((entry) => entry.message.includes('onRecordError threw'));
    expect(hookLogs.map((entry) => entry.data?.['errorMessage'])).toEqual(['no reason given', 'broken thenable']);
  });

  it('does not stop a FIFO batch from being answered when the hook throws', async () => {
    const records = [fifoRecord('a1', 'A'), fifoRecord('b1', 'B'), fifoRecord('a2', 'A')];
    const response = await processSqsBatch(
      eventOf(records),
      (record) => {
        if (record.messageId === 'a1') throw new Error('failed');
      },
      {
        fifoFailureMode: 'stop-group',
        onRecordError: () => {
          throw new Error('hook failed');
        },
      },
    );
    expect(ids(response)).toEqual(['a1', 'a2']);
  });
});
