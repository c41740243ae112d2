import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  InvalidApnsBundleIdError,
  InvalidApnsKeyIdError,
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
