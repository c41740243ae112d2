import { describe, expect, it } from 'vitest';
import {
  buildApnsPayload,
  buildFcmPayload,
  buildPlatformMessage,
  InvalidNotificationError,
  MAX_PLATFORM_PAYLOAD_BYTES,
  type PushNotification,
  validateNotification,
} from '../src/index.js';

describe('buildPlatformMessage', () => {
  it('APNs: default plus the platform key holding the payload as a JSON string', () => {
    const built = buildPlatformMessage('APNS', { title: 'Hi', body: 'There', badge: 3, sound: 'default', data: { orderId: '17' } });
    const message = JSON.parse(built.message) as Record<string, string>;
    expect(Object.keys(message)).toEqual(['default', 'APNS']);
    expect(message['default']).toBe('There');
    expect(JSON.parse(message['APNS'] ?? '')).toEqual({ aps: { alert: { title: 'Hi', body: 'There' }, badge: 3, sound: 'default' }, orderId: '17' });
    expect(built.messageStructure).toBe('json');
    expect(built.messageAttributes).toEqual({});
  });

  it('uses the sandbox key and TTL attribute for APNS_SANDBOX', () => {
    const built = buildPlatformMessage('APNS_SANDBOX', { body: 'x', ttlSeconds: 0 });
    expect(Object.keys(JSON.parse(built.message) as object)).toEqual(['default', 'APNS_SANDBOX']);
    expect(built.messageAttributes).toEqual({ 'AWS.SNS.MOBILE.APNS_SANDBOX.TTL': { DataType: 'String', StringValue: '0' } });
  });

  it('FCM: an fcmV1Message under GCM and the FCM TTL attribute', () => {
    const built = buildPlatformMessage('GCM', { body: 'Hello', ttlSeconds: 600, data: { k: 'v' } });
    const message = JSON.parse(built.message) as Record<string, string>;
    expect(Object.keys(message)).toEqual(['default', 'GCM']);
    expect(JSON.parse(message['GCM'] ?? '')).toEqual({ fcmV1Message: { message: { notification: { body: 'Hello' }, data: { k: 'v' } } } });
    expect(built.messageAttributes).toEqual({ 'AWS.SNS.MOBILE.FCM.TTL': { DataType: 'String', StringValue: '600' } });
  });

  it('leaves out what was not given', () => {
    expect(buildApnsPayload({ body: 'b' })).toEqual({ aps: { alert: { body: 'b' } } });
    expect(buildFcmPayload({ body: 'b' })).toEqual({ fcmV1Message: { message: { notification: { body: 'b' } } } });
    expect(buildFcmPayload({ body: 'b', data: {} })).toEqual({ fcmV1Message: { message: { notification: { body: 'b' } } } });
  });

  it('maps badge and sound onto FCM Android fields', () => {
    expect(buildFcmPayload({ body: 'b', badge: 0, sound: 'ping' })).toEqual({
      fcmV1Message: { message: { notification: { body: 'b' }, android: { notification: { sound: 'ping', notification_count: 0 } } } },
    });
  });

  it('escapes text so the payload stays valid JSON inside JSON', () => {
    const body = 'quote " backslash \\ newline \n emoji 🚀';
    const built = buildPlatformMessage('APNS', { body });
    const inner = JSON.parse((JSON.parse(built.message) as Record<string, string>)['APNS'] ?? '') as { aps: { alert: { body: string } } };
    expect(inner.aps.alert.body).toBe(body);
  });

  it('refuses a platform payload over 4,096 bytes, counting UTF-8 bytes', () => {
    const overhead = Buffer.byteLength(JSON.stringify(buildApnsPayload({ body: '' })), 'utf8');
    const fits = 'a'.repeat(MAX_PLATFORM_PAYLOAD_BYTES - overhead);
    expect(() => buildPlatformMessage('APNS', { body: fits })).not.toThrow();
    expect(() => buildPlatformMessage('APNS', { body: `${fits}a` })).toThrow(InvalidNotificationError);
    // 'é' is 2 bytes: half as many characters reach the limit.
    expect(() => buildPlatformMessage('APNS', { body: 'é'.repeat(Math.ceil((MAX_PLATFORM_PAYLOAD_BYTES - overhead + 1) / 2)) })).toThrow(
      /payload is \d+ bytes/,
    );
  });
});

describe('validateNotification', () => {
  const refused: [string, PushNotification][] = [
    ['an empty body', { body: ' ' }],
    ['a negative badge', { body: 'b', badge: -1 }],
    ['a fractional badge', { body: 'b', badge: 1.5 }],
    ['a fractional TTL', { body: 'b', ttlSeconds: 0.5 }],
    ['an infinite TTL', { body: 'b', ttlSeconds: Number.POSITIVE_INFINITY }],
    ['an empty sound', { body: 'b', sound: '' }],
    ['a data value that is not a string', { body: 'b', data: { n: 1 as unknown as string } }],
    ['the aps data key', { body: 'b', data: { aps: 'x' } }],
    ['an FCM reserved data key', { body: 'b', data: { from: 'x' } }],
    ['a google-prefixed data key', { body: 'b', data: { 'google.sent_time': 'x' } }],
    ['a gcm-prefixed data key', { body: 'b', data: { gcmThing: 'x' } }],
    // From JSON input: a null, a string (its characters would become keys "0", "1", ...) or an array.
    ['data that is null', { body: 'b', data: null as unknown as Record<string, string> }],
    ['data that is a string', { body: 'b', data: 'abc' as unknown as Record<string, string> }],
    ['data that is an array', { body: 'b', data: ['a'] as unknown as Record<string, string> }],
  ];
  for (const [what, notification] of refused) {
    it(`refuses ${what}`, () => {
      expect(() => validateNotification(notification)).toThrow(InvalidNotificationError);
      for (const platform of ['APNS', 'GCM'] as const) expect(() => buildPlatformMessage(platform, notification)).toThrow(InvalidNotificationError);
    });
  }

  it('accepts a full notification', () => {
    expect(() => validateNotification({ title: 't', body: 'b', badge: 0, sound: 'default', data: { a: '1' }, ttlSeconds: 0 })).not.toThrow();
  });

  it('gives the error a stable code', () => {
    expect(() => validateNotification({ body: '' })).toThrow(expect.objectContaining({ code: 'InvalidPushNotification', retryable: false }));
  });
});
