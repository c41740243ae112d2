import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PushAwsCallError, redactToken } from '../src/index.js';
import { scrubSecrets } from '../src/aws-call-error.js';

describe('redactToken', () => {
  it('keeps the last 6 characters of a real-length token', () => {
    expect(redactToken('740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad')).toBe('…bb78ad');
  });

  it('hides short tokens completely', () => {
    expect(redactToken('abcdef123456')).toBe('…');
    expect(redactToken('')).toBe('…');
    expect(redactToken('abcdef1234567')).toBe('…234567');
  });
});

describe('scrubSecrets', () => {
  const token = 'f'.repeat(40) + 'abc123';
  const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

  it('redacts every occurrence of a token', () => {
    expect(scrubSecrets(`Token ${token} is bad; ${token}`, [{ kind: 'token', value: token }])).toBe('Token …abc123 is bad; …abc123');
  });

  it('removes a credential, its lines, and any PEM private key block', () => {
    const line = pem.split('\n')[1] ?? '';
    const text = `bad key ${pem} / line ${line} / escaped ${JSON.stringify(pem)}`;
    const scrubbed = scrubSecrets(text, [{ kind: 'credential', value: pem }]);
    expect(scrubbed).not.toContain(line);
    expect(scrubbed).toContain('[redacted]');
    expect(scrubSecrets(`unknown key ${pem.trim()}`, [])).toBe('unknown key [redacted]');
  });
});

describe('PushAwsCallError', () => {
  it('keeps a scrubbed copy of the SDK error, not the error itself', () => {
    const token = 'a'.repeat(58) + 'xyz789';
    const sdkError = Object.assign(new Error(`Invalid parameter: Token Reason: ${token} is not valid`), {
      name: 'InvalidParameterException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400, requestId: 'req-1', attempts: 1 },
      input: { Token: token },
    });
    const error = new PushAwsCallError('SNS', 'CreatePlatformEndpoint', sdkError, [{ kind: 'token', value: token }]);
    expect(error).toMatchObject({ code: 'PushAwsCallFailed', operation: 'CreatePlatformEndpoint', awsErrorName: 'InvalidParameterException', httpStatusCode: 400, retryable: false });
    expect(error.message).toBe('SNS CreatePlatformEndpoint failed with InvalidParameterException (HTTP 400): Invalid parameter: Token Reason: …xyz789 is not valid');
    expect(error.cause).not.toBe(sdkError);
    expect(JSON.stringify(error.cause)).not.toContain(token);
    expect((error.cause as Error).message).not.toContain(token);
    expect(Object.keys(error.cause as object)).not.toContain('input');
  });

  it('is retryable when the cause is throttling or a 5xx', () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });
    expect(new PushAwsCallError('SNS', 'Publish', throttled).retryable).toBe(true);
    const internal = Object.assign(new Error('oops'), { name: 'InternalErrorException', $metadata: { httpStatusCode: 500 } });
    expect(new PushAwsCallError('SNS', 'Publish', internal)).toMatchObject({ retryable: true, message: expect.stringContaining('retry the call') });
  });
});
