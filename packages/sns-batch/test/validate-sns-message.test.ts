import { describe, expect, it } from 'vitest';
import { validateSnsMessage, type SnsMessage, type SnsMessageRules } from '@herald/sns-batch';

const standard: SnsMessageRules = { fifo: false };
const fifo: SnsMessageRules = { fifo: true };

function codeOf(message: SnsMessage, rules: SnsMessageRules = standard): string | undefined {
  return validateSnsMessage(message, rules)?.code;
}

function attribute(name: string, value: Record<string, unknown>): SnsMessage {
  return { Message: 'x', MessageAttributes: { [name]: value as never } };
}

describe('validateSnsMessage', () => {
  it('accepts a plain message and messages with valid attributes of every type', () => {
    expect(validateSnsMessage({ Message: 'hello' }, standard)).toBeUndefined();
    expect(
      validateSnsMessage(
        {
          Message: 'x',
          Subject: 'Order placed!',
          MessageAttributes: {
            s: { DataType: 'String', StringValue: 'v' },
            'n.custom_1-2': { DataType: 'Number.float', StringValue: '-1.5e3' },
            b: { DataType: 'Binary.gif', BinaryValue: new Uint8Array([1]) },
            l: { DataType: 'String.Array', StringValue: '["a", 1, true, null]' },
            'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          },
        },
        standard,
      ),
    ).toBeUndefined();
  });

  it('refuses an empty or missing body', () => {
    expect(codeOf({ Message: '' })).toBe('InvalidParameter');
    expect(codeOf({ Message: undefined })).toBe('InvalidParameter');
    expect(codeOf(null as unknown as SnsMessage)).toBe('InvalidParameter');
    expect(validateSnsMessage({ Message: '' }, standard)?.message).toMatch(/non-empty/);
  });

  it('refuses more than 10 attributes (configurable)', () => {
    const attributes = Object.fromEntries(
      Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }]),
    );
    const message = { Message: 'x', MessageAttributes: attributes };
    expect(codeOf(message)).toBe('InvalidParameter');
    expect(validateSnsMessage(message, standard)?.message).toContain('11 message attributes');
    expect(codeOf(message, { fifo: false, maxMessageAttributes: 11 })).toBeUndefined();
  });

  it('checks attribute names', () => {
    const value = { DataType: 'String', StringValue: 'v' };
    for (const bad of ['', 'with space', 'é', '.lead', 'trail.', 'a..b', 'AWS.thing', 'aws.thing', 'Amazon.x', 'AMAZON.x', 'n'.repeat(257)]) {
      expect(codeOf(attribute(bad, value)), bad).toBe('ParameterValueInvalid');
    }
    for (const good of ['a', 'A-b_c.d', 'n'.repeat(256), 'AWSish', 'AWS.SNS.MOBILE.APNS.TTL', 'AWS.MM.SMS.OriginationNumber']) {
      expect(codeOf(attribute(good, value)), good).toBeUndefined();
    }
  });

  it('checks data types and values', () => {
    const bad: Array<Record<string, unknown>> = [
      { StringValue: 'v' },
      { DataType: 'string', StringValue: 'v' },
      { DataType: 'Text', StringValue: 'v' },
      { DataType: 'String.', StringValue: 'v' },
      { DataType: `String.${'x'.repeat(250)}`, StringValue: 'v' },
      { DataType: 'String' },
      { DataType: 'String', StringValue: '' },
      { DataType: 'Number', StringValue: 'twelve' },
      { DataType: 'Number', StringValue: '1e999' },
      { DataType: 'Number', StringValue: '' },
      { DataType: 'Binary', StringValue: 'AAAA' },
      { DataType: 'Binary', BinaryValue: new Uint8Array(0) },
      { DataType: 'String.Array', StringValue: 'a,b' },
      { DataType: 'String.Array', StringValue: '{"a":1}' },
    ];
    for (const value of bad) expect(codeOf(attribute('a', value)), JSON.stringify(value)).toBe('ParameterValueInvalid');
    for (const number of ['0', '-12', '+3.25', '.5', '1e10', '6.02E23']) {
      expect(codeOf(attribute('n', { DataType: 'Number', StringValue: number })), number).toBeUndefined();
    }
  });

  it('names the attribute but never quotes its value', () => {
    const problem = validateSnsMessage(attribute('price', { DataType: 'Number', StringValue: 'secret-value' }), standard);
    expect(problem?.message).toContain('"price"');
    expect(problem?.message).not.toContain('secret-value');
  });

  it('checks Subject and MessageStructure', () => {
    expect(codeOf({ Message: 'x', Subject: '' })).toBe('InvalidParameter');
    expect(codeOf({ Message: 'x', Subject: 'line\nbreak' })).toBe('InvalidParameter');
    expect(codeOf({ Message: 'x', Subject: 's'.repeat(101) })).toBe('InvalidParameter');
    expect(codeOf({ Message: 'x', Subject: 's'.repeat(100) })).toBeUndefined();
    expect(codeOf({ Message: 'x', MessageStructure: 'xml' })).toBe('InvalidParameter');
    expect(codeOf({ Message: 'not json', MessageStructure: 'json' })).toBe('InvalidParameter');
    expect(codeOf({ Message: '{"email":"x"}', MessageStructure: 'json' })).toBe('InvalidParameter');
    expect(codeOf({ Message: '{"default":"x","sqs":"y"}', MessageStructure: 'json' })).toBeUndefined();
  });

  it('applies the FIFO rules for group and deduplication ids', () => {
    expect(codeOf({ Message: 'x' }, fifo)).toBe('InvalidParameter');
    expect(codeOf({ Message: 'x', MessageGroupId: 'g' }, fifo)).toBeUndefined();
    expect(codeOf({ Message: 'x', MessageGroupId: 'g'.repeat(129) }, fifo)).toBe('InvalidParameter');
    expect(codeOf({ Message: 'x', MessageGroupId: 'has space' }, fifo)).toBe('InvalidParameter');
    expect(codeOf({ Message: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd'.repeat(128) }, fifo)).toBeUndefined();
    expect(codeOf({ Message: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd'.repeat(129) }, fifo)).toBe('InvalidParameter');
    expect(codeOf({ Message: 'x', MessageGroupId: 'g' }, { fifo: true, contentBasedDeduplication: false })).toBe('InvalidParameter');
    expect(codeOf({ Message: 'x', MessageGroupId: 'g' }, { fifo: true, contentBasedDeduplication: true })).toBeUndefined();
  });

  it('refuses a deduplication id on a standard topic but allows a group id (SQS fair queues)', () => {
    expect(codeOf({ Message: 'x', MessageDeduplicationId: 'd' })).toBe('InvalidParameter');
    expect(validateSnsMessage({ Message: 'x', MessageDeduplicationId: 'd' }, standard)?.message).toContain('FIFO');
    expect(codeOf({ Message: 'x', MessageGroupId: 'tenant-1' })).toBeUndefined();
  });
});
