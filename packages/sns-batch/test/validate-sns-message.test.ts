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
    expect(codeOf({ Message: undefined } as unknown as SnsMessage)).toBe('InvalidParameter');
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
      { DataType: 'Binary', BinaryValue: 'AAAA' },
      { DataType: 'Binary', BinaryValue: [1, 2] },
      { DataType: 'Binary', BinaryValue: new Uint16Array(2) },
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
    expect(codeOf({ Message: 'x', Subject: 's'.repeat(99) })).toBeUndefined();
    expect(codeOf({ Message: 'x', MessageStructure: 'xml' })).toBe('InvalidParameter');
    expect(codeOf({ Message: 'not json', MessageStructure: 'json' })).toBe('InvalidParameter');
    expect(codeOf({ Message: '{"email":"x"}', MessageStructure: 'json' })).toBe('InvalidParameter');
    expect(codeOf({ Message: '{"default":"x","sqs":"y"}', MessageStructure: 'json' })).toBeUndefined();
  });

  it('allows any UTF-8 Subject under 100 characters without line breaks or control characters (B4)', () => {
    // SNS: "UTF-8 text with no line breaks or control characters, and less than 100 characters long".
    for (const good of ['Bestellung für Jürgen', ' leading space', '注文を受け付けました', '😀 party', 's'.repeat(99), '😀'.repeat(99)]) {
      expect(codeOf({ Message: 'x', Subject: good }), good).toBeUndefined();
    }
    for (const bad of ['s'.repeat(100), '😀'.repeat(100), 'tab\there', 'cr\rhere', 'bell\u0007', 'del\u007f', 'c1\u0085', 'ls\u2028x', 'lone \ud800']) {
      expect(codeOf({ Message: 'x', Subject: bad }), JSON.stringify(bad)).toBe('InvalidParameter');
    }
    expect(validateSnsMessage({ Message: 'x', Subject: 's'.repeat(100) }, standard)?.message).toContain('less than 100 characters');
    expect(validateSnsMessage({ Message: 'x', Subject: 'a\nb' }, standard)?.message).toContain('line breaks');
  });

  it('refuses text with an unpaired surrogate anywhere it would be sent, naming the field (B1)', () => {
    const lone = 'bad \ud800 text';
    const trailing = 'bad \udc00 text';
    for (const body of [lone, trailing, '\ud83d', 'end \ud83d']) {
      const found = validateSnsMessage({ Message: body }, standard);
      expect(found?.code, JSON.stringify(body)).toBe('InvalidParameter');
      expect(found?.message).toContain('unpaired UTF-16 surrogate');
      expect(found?.message).toMatch(/^Message /);
    }
    expect(codeOf({ Message: 'a well-formed pair 😀 is fine' })).toBeUndefined();
    expect(codeOf({ Message: 'x', Subject: lone })).toBe('InvalidParameter');
    expect(codeOf(attribute('a', { DataType: 'String', StringValue: lone }))).toBe('ParameterValueInvalid');
    expect(codeOf(attribute('a', { DataType: 'String.Array', StringValue: `["${lone}"]` }))).toBe('ParameterValueInvalid');
    expect(codeOf(attribute('a', { DataType: `String.${lone}`, StringValue: 'v' }))).toBe('ParameterValueInvalid');
    expect(validateSnsMessage(attribute('a', { DataType: 'String', StringValue: lone }), standard)?.message).toContain(
      'unpaired UTF-16 surrogate',
    );
    expect(codeOf(attribute(`n${lone}`, { DataType: 'String', StringValue: 'v' }))).toBe('ParameterValueInvalid');
    expect(validateSnsMessage(attribute(`n${lone}`, { DataType: 'String', StringValue: 'v' }), standard)?.message).toContain(
      'not well-formed',
    );
    expect(codeOf({ Message: 'x', MessageGroupId: lone }, fifo)).toBe('InvalidParameter');
    expect(codeOf({ Message: 'x', MessageGroupId: 'g', MessageDeduplicationId: lone }, fifo)).toBe('InvalidParameter');
  });

  it('refuses characters beyond U+FFFF (emoji) in String attribute values, as SNS does', () => {
    const problem = validateSnsMessage(attribute('mood', { DataType: 'String', StringValue: 'happy 😀' }), standard);
    expect(problem?.code).toBe('ParameterValueInvalid');
    expect(problem?.message).toContain('beyond U+FFFF');
    expect(problem?.message).toContain('"mood"');
    expect(codeOf(attribute('l', { DataType: 'String.Array', StringValue: '["😀"]' }))).toBe('ParameterValueInvalid');
    // Characters inside the Basic Multilingual Plane are fine.
    expect(codeOf(attribute('s', { DataType: 'String', StringValue: 'é € 注 ﬀ \uffff' }))).toBeUndefined();
  });

  it('requires exactly the value field that matches the data type (B3)', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    for (const value of [
      { DataType: 'String', StringValue: 'v', BinaryValue: bytes },
      { DataType: 'String', StringValue: 'v', BinaryValue: 'abc' },
      { DataType: 'Number', StringValue: '1', BinaryValue: bytes },
      { DataType: 'String.Array', StringValue: '["a"]', BinaryValue: bytes },
      { DataType: 'String', BinaryValue: bytes },
      { DataType: 'Binary', BinaryValue: bytes, StringValue: 'v' },
      { DataType: 'Binary.png', BinaryValue: bytes, StringValue: '' },
      { DataType: 'Binary', StringValue: 'v' },
    ]) {
      const problem = validateSnsMessage(attribute('a', value), standard);
      expect(problem?.code, JSON.stringify(value)).toBe('ParameterValueInvalid');
      expect(problem?.message).toContain('"a"');
    }
    expect(validateSnsMessage(attribute('a', { DataType: 'String', StringValue: 'v', BinaryValue: bytes }), standard)?.message).toContain(
      'must not also have a BinaryValue',
    );
    // A Buffer is a Uint8Array; an explicitly absent (undefined or null) other field is fine.
    expect(codeOf(attribute('b', { DataType: 'Binary', BinaryValue: Buffer.from('hi') }))).toBeUndefined();
    expect(codeOf(attribute('b', { DataType: 'Binary', BinaryValue: bytes, StringValue: undefined }))).toBeUndefined();
    expect(codeOf(attribute('s', { DataType: 'String', StringValue: 'v', BinaryValue: null }))).toBeUndefined();
  });

  it('allows only strings, numbers, true, false and null inside a String.Array (B8)', () => {
    expect(codeOf(attribute('l', { DataType: 'String.Array', StringValue: '[]' }))).toBeUndefined();
    expect(codeOf(attribute('l', { DataType: 'String.Array', StringValue: '["a", -1.5, true, false, null]' }))).toBeUndefined();
    for (const bad of ['[["nested"]]', '[{"a":1}]', '["ok", {"no": true}]']) {
      const problem = validateSnsMessage(attribute('l', { DataType: 'String.Array', StringValue: bad }), standard);
      expect(problem?.code, bad).toBe('ParameterValueInvalid');
      expect(problem?.message).toContain('only strings, numbers, true, false and null');
    }
  });

  it('applies the FIFO rules for group and deduplication ids', () => {
    expect(codeOf({ Message: 'x' }, fifo)).toBe('InvalidParameter');
    expect(codeOf({ Message: 'x', MessageGroupId: 'g' }, fifo)).toBeUndefined();
    expect(codeOf({ Message: 'x', MessageGroupId: 'g'.repeat(129) }, fifo)).toBe('InvalidParameter');
    expect(codeOf({ Message: 'x', MessageGroupId: 'has space' }, fifo)).toBe('InvalidParameter');
    // Alphanumerics and every ASCII punctuation character are allowed; nothing else is.
    const punctuation = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
    expect(codeOf({ Message: 'x', MessageGroupId: `aZ09${punctuation}` }, fifo)).toBeUndefined();
    expect(codeOf({ Message: 'x', MessageGroupId: 'g', MessageDeduplicationId: `aZ09${punctuation}` }, fifo)).toBeUndefined();
    for (const bad of ['é', 'tab\t', 'ü-group', '😀', '']) {
      expect(codeOf({ Message: 'x', MessageGroupId: bad }, fifo), JSON.stringify(bad)).toBe('InvalidParameter');
      expect(codeOf({ Message: 'x', MessageGroupId: 'g', MessageDeduplicationId: bad }, fifo), JSON.stringify(bad)).toBe(
        'InvalidParameter',
      );
    }
    expect(codeOf({ Message: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd'.repeat(128) }, fifo)).toBeUndefined();
    expect(codeOf({ Message: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd'.repeat(129) }, fifo)).toBe('InvalidParameter');
    expect(codeOf({ Message: 'x', MessageGroupId: 'g' }, { fifo: true, contentBasedDeduplication: false })).toBe('InvalidParameter');
    expect(codeOf({ Message: 'x', MessageGroupId: 'g' }, { fifo: true, contentBasedDeduplication: true })).toBeUndefined();
  });

  it('refuses a deduplication id on a standard topic but allows a group id (SQS fair queues)', () => {
    expect(codeOf({ Message: 'x', MessageDeduplicationId: 'd' })).toBe('InvalidParameter');
    expect(validateSnsMessage({ Message: 'x', MessageDeduplicationId: 'd' }, standard)?.message).toContain('FIFO');
    expect(codeOf({ Message: 'x', MessageGroupId: 'tenant-1' })).toBeUndefined();
    // "When provided, the same validation rules apply as for FIFO topics."
    expect(codeOf({ Message: 'x', MessageGroupId: 'tenant 1' })).toBe('InvalidParameter');
    expect(codeOf({ Message: 'x', MessageGroupId: 'g'.repeat(129) })).toBe('InvalidParameter');
  });
});
