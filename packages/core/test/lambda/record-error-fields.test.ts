import { describe, expect, it } from 'vitest';
import { recordErrorFields } from '../../src/lambda/record-error-fields.js';

describe('recordErrorFields', () => {
  it("uses an Error's name and message", () => {
    expect(recordErrorFields(new TypeError('x is not a function'), '{"a":1}')).toEqual({
      errorName: 'TypeError',
      errorMessage: 'x is not a function',
    });
  });

  it('uses the name when the message is empty', () => {
    expect(recordErrorFields(new RangeError(''), 'body text')).toEqual({ errorName: 'RangeError', errorMessage: 'RangeError' });
  });

  it.each<[unknown, string, string]>([
    ['plain', 'string', 'plain'],
    [undefined, 'undefined', 'no reason given'],
    [null, 'null', 'null'],
    [42, 'number', '42'],
    [{ code: 'E' }, 'object', '[object Object]'],
    [Object.create(null), 'object', '[object Object]'],
  ])('describes a thrown %s by its type', (value, errorName, errorMessage) => {
    expect(recordErrorFields(value, 'some body')).toEqual({ errorName, errorMessage });
  });

  it('never throws, even for an error whose name and message getters throw', () => {
    const hostile = new Error('hidden');
    Object.defineProperty(hostile, 'name', {
      get() {
        throw new Error('no name');
      },
    });
    Object.defineProperty(hostile, 'message', {
      get() {
        throw new Error('no message');
      },
    });
    const fields = recordErrorFields(hostile, 'some body');
    expect(fields.errorName).toBe('object');
    expect(typeof fields.errorMessage).toBe('string');
  });

  it('replaces every occurrence of the body', () => {
    expect(recordErrorFields(new Error('a SECRET-7 b SECRET-7 c'), 'SECRET-7').errorMessage).toBe(
      'a [body redacted] b [body redacted] c',
    );
  });

  it('leaves bodies shorter than 4 characters alone, as documented', () => {
    expect(recordErrorFields(new Error('the id is abc'), 'abc').errorMessage).toBe('the id is abc');
  });

  it("replaces the snippet V8's JSON.parse errors quote", () => {
    const body = 'hello there, this is not JSON';
    let caught: unknown;
    try {
      JSON.parse(body);
    } catch (error) {
      caught = error;
    }
    const fields = recordErrorFields(caught, body);
    expect(fields.errorName).toBe('SyntaxError');
    expect(fields.errorMessage).toBe(`Unexpected token 'h', "[body redacted]" is not valid JSON`);
  });

  it('replaces the published message of an SNS envelope body', () => {
    const message = 'order 7781 for Zebedee';
    const body = JSON.stringify({ Type: 'Notification', MessageId: 'x', TopicArn: 'arn:aws:sns:eu-west-1:123456789012:t', Message: message });
    expect(recordErrorFields(new Error(`failed: ${message}`), body).errorMessage).toBe('failed: [body redacted]');
  });

  it('replaces a body quoted as a JSON string', () => {
    const body = '{"card":"4929-7215"}';
    expect(recordErrorFields(new Error(`invalid ${JSON.stringify(body)}`), body).errorMessage).toBe('invalid "[body redacted]"');
  });
});
