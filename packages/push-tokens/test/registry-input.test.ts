import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SNSClient } from '@aws-sdk/client-sns';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createPushRegistry, InvalidRegistrationError, UnknownPlatformError } from '../src/index.js';

/** A client that records requests and refuses them all: input checks must come before any call. */
function refusingClient(): { client: { send: (command: unknown) => Promise<never> }; calls: unknown[] } {
  const calls: unknown[] = [];
  return {
    calls,
    client: {
      send: (command) => {
        calls.push(command);
        return Promise.reject(new Error('no AWS call expected'));
      },
    },
  };
}

function registry() {
  const sns = refusingClient();
  const dynamodb = refusingClient();
  const instance = createPushRegistry({
    sns: sns.client as unknown as SNSClient,
    dynamodb: dynamodb.client as unknown as DynamoDBClient,
    tableName: 'push-registry',
    platformApplications: {
      ios: 'arn:aws:sns:us-east-1:123456789012:app/APNS/shop-ios',
      android: 'arn:aws:sns:us-east-1:123456789012:app/GCM/shop-android',
    },
  });
  return { instance, calls: () => [...sns.calls, ...dynamodb.calls] };
}

describe('register input', () => {
  it('a token passed as the platform (fields swapped) is not shown by UnknownPlatformError', async () => {
    const { instance, calls } = registry();
    const token = '740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad';
    const error = await instance.register({ userId: 'u-1', platform: token, token: 'ios' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownPlatformError);
    const shown = [String(error), inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error)].join('\n');
    expect(shown).not.toContain(token.slice(0, 20));
    expect(shown).toContain('…bb78ad');
    expect(calls()).toEqual([]);
  });

  it('a platform name that is merely unknown is shown as given', async () => {
    const { instance } = registry();
    const error = await instance.register({ userId: 'u-1', platform: 'windows-phone', token: 'abc' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ platform: 'windows-phone', message: expect.stringContaining('"windows-phone"') });
  });

  it('refuses the token itself as the device id: the device id is stored, returned and logged in full', async () => {
    const { instance, calls } = registry();
    const token = '740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad';
    const fcm = 'dGhpcyBpcyBub3QgYSByZWFsIHRva2Vu:APA91bHPRgkFLJu6GUa8xYz0123456789abcdefghijk';
    for (const [platform, registration] of [
      ['ios', { userId: 'u-1', platform: 'ios', token, deviceId: token }],
      ['ios', { userId: 'u-1', platform: 'ios', token, deviceId: token.toUpperCase() }],
      ['android', { userId: 'u-1', platform: 'android', token: fcm, deviceId: fcm }],
    ] as const) {
      const error = await instance.register(registration).catch((e: unknown) => e);
      expect(error, platform).toBeInstanceOf(InvalidRegistrationError);
      expect(inspect(error, { depth: 10, showHidden: true })).not.toContain(registration.token.slice(0, 20));
    }
    expect(calls()).toEqual([]);
  });
});
