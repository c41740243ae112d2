import type { SNSClient } from '@aws-sdk/client-sns';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createApnsTokenPlatformApplication,
  InvalidApnsBundleIdError,
  InvalidApnsKeyIdError,
  InvalidApnsSigningKeyError,
  InvalidApnsTeamIdError,
  InvalidPlatformApplicationArnError,
  platformApplicationFromArn,
  validateApnsBundleId,
  validateApnsKeyId,
  validateApnsSigningKey,
  validateApnsTeamId,
} from '../src/index.js';

describe('APNs credential checks', () => {
  it('accepts a P-256 PKCS#8 key with surrounding whitespace and CRLF line ends', () => {
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => validateApnsSigningKey(`\n  ${pem}\n`)).not.toThrow();
    expect(() => validateApnsSigningKey(pem.replaceAll('\n', '\r\n'))).not.toThrow();
  });

  it('names the real problem of a .p8 key whose line breaks were lost or escaped (environment variables, YAML)', () => {
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const mangled = {
      'escaped line breaks': pem.replaceAll('\n', '\\n'),
      'one line': pem.replaceAll('\n', ' '),
      'indented lines': pem.split('\n').map((line) => `  ${line}`).join('\n'),
    };
    for (const [what, key] of Object.entries(mangled)) {
      const error = catchError(() => validateApnsSigningKey(key));
      // It is the PKCS#8 block Apple gives: saying it is not would send the user looking for another key.
      expect(error, what).toMatchObject({ problem: 'unreadable' });
      expect((error as Error).message, what).toMatch(/line breaks/);
    }
  });

  it('tells a missing key and a key that is not text (a Buffer from readFile without an encoding) from an empty one', () => {
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(catchError(() => validateApnsSigningKey('  \n'))).toMatchObject({ problem: 'empty' });
    const buffer = catchError(() => validateApnsSigningKey(Buffer.from(pem) as unknown as string));
    expect(buffer).toBeInstanceOf(InvalidApnsSigningKeyError);
    expect(buffer).toMatchObject({ problem: 'not-string', message: expect.stringContaining("'utf8'") });
    expect(catchError(() => validateApnsSigningKey(undefined as unknown as string))).toMatchObject({ problem: 'not-string' });
  });

  it('says an id or bundle id is missing or not a string, instead of describing the word "undefined"', () => {
    for (const check of [validateApnsKeyId, validateApnsTeamId, validateApnsBundleId]) {
      const missing = catchError(() => check(undefined as unknown as string)) as Error;
      expect(missing.message).toMatch(/is missing/);
      expect(missing.message).not.toMatch(/9 characters/);
      const buffer = catchError(() => check(Buffer.from('ABCDE12345') as unknown as string)) as Error;
      expect(buffer.message).toMatch(/not a string/);
      expect(buffer.message).not.toMatch(/10 characters/);
    }
  });

  it('accepts 10 uppercase letters and digits for key and team ids, nothing else', () => {
    expect(() => validateApnsKeyId('2X9R4HXF34')).not.toThrow();
    expect(() => validateApnsTeamId('A1B2C3D4E5')).not.toThrow();
    for (const bad of ['', '2x9r4hxf34', '2X9R4HXF3', '2X9R4HXF345', '2X9R4 XF34', '2X9R4HXF3Ä']) {
      expect(() => validateApnsKeyId(bad)).toThrow(InvalidApnsKeyIdError);
      expect(() => validateApnsTeamId(bad)).toThrow(InvalidApnsTeamIdError);
    }
  });

  it('says what is wrong with an id without showing it', () => {
    expect(() => validateApnsKeyId('abc-def')).toThrow(/7 characters, lower-case letters, characters other than letters and digits/);
    expect(() => validateApnsKeyId('abc-def')).not.toThrow(/abc-def/);
  });

  it('accepts reverse-DNS bundle ids only', () => {
    for (const good of ['com.example.app', 'com.example.my-app', 'io.x.App2', 'a.b']) expect(() => validateApnsBundleId(good)).not.toThrow();
    for (const bad of ['app', '.com.example', 'com.example.', 'com..example', 'com.example.app_1', 'com.exämple.app', `com.${'a'.repeat(160)}`]) {
      expect(() => validateApnsBundleId(bad)).toThrow(InvalidApnsBundleIdError);
    }
  });
});

describe('platformApplicationFromArn', () => {
  it('reads the platform and name', () => {
    expect(platformApplicationFromArn('arn:aws:sns:eu-west-1:123456789012:app/APNS_SANDBOX/shop.ios')).toEqual({
      arn: 'arn:aws:sns:eu-west-1:123456789012:app/APNS_SANDBOX/shop.ios',
      platform: 'APNS_SANDBOX',
      name: 'shop.ios',
    });
    expect(platformApplicationFromArn('arn:aws-cn:sns:cn-north-1:123456789012:app/GCM/a').platform).toBe('GCM');
  });

  it('refuses topics, endpoints and other platforms', () => {
    for (const bad of [
      'arn:aws:sns:us-east-1:123456789012:my-topic',
      'arn:aws:sns:us-east-1:123456789012:endpoint/GCM/app/0f4a',
      'arn:aws:sns:us-east-1:123456789012:app/ADM/app',
      'app/APNS/x',
    ]) {
      expect(() => platformApplicationFromArn(bad)).toThrow(InvalidPlatformApplicationArnError);
    }
  });
});

function catchError(run: () => void): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected it to throw');
}

describe('createApnsTokenPlatformApplication options', () => {
  it('refuses a sandbox flag that is not a boolean before any call (the string "false" would make a sandbox application)', async () => {
    const calls: unknown[] = [];
    const sns = { send: (command: unknown) => (calls.push(command), Promise.reject(new Error('no call expected'))) } as unknown as SNSClient;
    const signingKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    for (const sandbox of ['false', 'true', undefined, 0]) {
      const options = { sns, name: 'shop-ios', signingKey, keyId: 'ABCDE12345', teamId: 'TEAM123456', bundleId: 'com.example.shop', sandbox };
      const error = await createApnsTokenPlatformApplication(options as unknown as Parameters<typeof createApnsTokenPlatformApplication>[0]).catch((e: unknown) => e);
      expect(error, String(sandbox)).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/sandbox must be true .*APNS_SANDBOX.* or false .*APNS/);
    }
    expect(calls).toEqual([]);
  });
});
