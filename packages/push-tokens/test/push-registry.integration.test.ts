import { CreatePlatformEndpointCommand, DeleteEndpointCommand, DeletePlatformApplicationCommand, GetEndpointAttributesCommand, SetEndpointAttributesCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { inspect } from 'node:util';
import { type LocalAws, startLocalAws } from '@herald/local-aws';
import {
  createApnsTokenPlatformApplication,
  createFcmPlatformApplication,
  createPushRegistry,
  type PlatformApplication,
  type PushRegistry,
  type PushRegistryOptions,
  PushAwsCallError,
  InvalidRegistrationError,
  UnknownPlatformError,
  buildPlatformMessage,
  InvalidNotificationError,
} from '../src/index.js';
import {
  apnsToken,
  createRegistryTable,
  fcmToken,
  generateServiceAccountJson,
  generateSigningKey,
  listEndpoints,
  makeTestClients,
  scanTable,
  type TestClients,
  unique,
} from './push-test-kit.js';

let local: LocalAws;
let clients: TestClients;

beforeAll(async () => {
  local = await startLocalAws({ dynamodbEndpoint: inject('heraldDynamoDbEndpoint') });
  clients = makeTestClients(local);
});

afterAll(async () => {
  clients.destroy();
  await local.stop();
});

interface Setup {
  registry: PushRegistry;
  tableName: string;
  ios: PlatformApplication;
  android: PlatformApplication;
  now: { value: number };
}

/** A fresh table, fresh APNs (sandbox) and FCM applications, and a registry with a settable clock. */
async function setup(extra: Partial<PushRegistryOptions> = {}): Promise<Setup> {
  const tableName = await createRegistryTable(clients.dynamodb);
  const ios = await createApnsTokenPlatformApplication({
    sns: clients.sns,
    name: unique('ios'),
    signingKey: generateSigningKey(),
    keyId: 'ABCDE12345',
    teamId: 'TEAM123456',
    bundleId: 'com.example.shop',
    sandbox: true,
  });
  const android = await createFcmPlatformApplication({ sns: clients.sns, name: unique('android'), serviceAccountJson: generateServiceAccountJson() });
  const now = { value: Date.UTC(2025, 0, 1) };
  const registry = createPushRegistry({
    sns: clients.sns,
    dynamodb: clients.dynamodb,
    tableName,
    platformApplications: { ios, android: android.arn },
    clock: { now: () => now.value },
    random: () => 0.5,
    retry: { baseMs: 1, capMs: 5 },
    ...extra,
  });
  return { registry, tableName, ios, android, now };
}

async function endpointAttributes(arn: string): Promise<Record<string, string>> {
  return (await clients.sns.send(new GetEndpointAttributesCommand({ EndpointArn: arn }))).Attributes ?? {};
}

function itemTypes(items: Awaited<ReturnType<typeof scanTable>>): string[] {
  return items.map((item) => `${item['itemType']?.S}:${item['userId']?.S}`).sort();
}

describe('register', () => {
  it('first registration creates one endpoint and one mapping; a repeat changes nothing and makes one SNS call', async () => {
    const { registry, tableName, ios } = await setup();
    const token = apnsToken();
    const first = await registry.register({ userId: 'alice', platform: 'ios', token, deviceId: 'phone-1' });
    expect(first).toMatchObject({ endpoint: 'created', unchanged: false, movedFrom: undefined });
    expect(first.device).toMatchObject({ userId: 'alice', deviceKey: 'id:phone-1', platform: 'ios', platformType: 'APNS_SANDBOX', status: 'active', token: `…${token.slice(-6)}` });
    const endpoints = await listEndpoints(clients.sns, ios.arn);
    expect(endpoints.map((e) => e.arn)).toEqual([first.device.endpointArn]);
    expect(endpoints[0]?.attributes).toEqual({ Enabled: 'true', Token: token, CustomUserData: 'alice' });
    const itemsBefore = await scanTable(clients.dynamodb, tableName);
    expect(itemTypes(itemsBefore)).toEqual(['device:alice', 'token:alice']);
    // The table never holds the token itself.
    expect(JSON.stringify(itemsBefore)).not.toContain(token);

    clients.resetCounts();
    const repeat = await registry.register({ userId: 'alice', platform: 'ios', token, deviceId: 'phone-1' });
    expect(clients.snsCalls).toEqual({ GetEndpointAttributes: 1 });
    expect(clients.dynamodbCalls).toEqual({ GetItem: 2 });
    expect(repeat).toMatchObject({ unchanged: true, endpoint: 'stored', updatedAttributes: [] });
    expect(repeat.device).toEqual(first.device);
    expect(await scanTable(clients.dynamodb, tableName)).toEqual(itemsBefore);
    expect(await listEndpoints(clients.sns, ios.arn)).toEqual(endpoints);
  });

  it('token rotation updates the same endpoint, no new one', async () => {
    const { registry, tableName, android } = await setup();
    const oldToken = fcmToken();
    const newToken = fcmToken();
    const first = await registry.register({ userId: 'bob', platform: 'android', token: oldToken, deviceId: 'pixel' });
    const rotated = await registry.register({ userId: 'bob', platform: 'android', token: newToken, deviceId: 'pixel' });
    expect(rotated).toMatchObject({ endpoint: 'stored', updatedAttributes: ['Token', 'Enabled'], replacedEndpointArn: undefined });
    expect(rotated.device.endpointArn).toBe(first.device.endpointArn);
    expect(rotated.device.token).toBe(`…${newToken.slice(-6)}`);
    const endpoints = await listEndpoints(clients.sns, android.arn);
    expect(endpoints).toEqual([{ arn: first.device.endpointArn, attributes: { Enabled: 'true', Token: newToken, CustomUserData: 'bob' } }]);
    // One device, one token ownership (the old token's was released).
    expect(itemTypes(await scanTable(clients.dynamodb, tableName))).toEqual(['device:bob', 'token:bob']);
    // The old token, registered again (say by a restored backup), is a new endpoint, not the rotated one.
    const restored = await registry.register({ userId: 'bob', platform: 'android', token: oldToken });
    expect(restored.device.endpointArn).not.toBe(first.device.endpointArn);
  });

  it('user A then user B on the same token: one endpoint, mapped to B only, CustomUserData updated', async () => {
    const { registry, tableName, ios } = await setup();
    const token = apnsToken();
    const a = await registry.register({ userId: 'user-a', platform: 'ios', token });
    const b = await registry.register({ userId: 'user-b', platform: 'ios', token });
    expect(b.device.endpointArn).toBe(a.device.endpointArn);
    expect(b).toMatchObject({ endpoint: 'stored', movedFrom: { userId: 'user-a', deviceKey: a.device.deviceKey }, updatedAttributes: ['CustomUserData'] });
    expect(await listEndpoints(clients.sns, ios.arn)).toEqual([{ arn: a.device.endpointArn, attributes: { Enabled: 'true', Token: token, CustomUserData: 'user-b' } }]);
    expect(await registry.devicesOf('user-a')).toEqual([]);
    expect((await registry.devicesOf('user-b')).map((d) => d.endpointArn)).toEqual([a.device.endpointArn]);
    expect(itemTypes(await scanTable(clients.dynamodb, tableName))).toEqual(['device:user-b', 'token:user-b']);

    // With device ids too (ids are per user, the token decides).
    const other = apnsToken();
    await registry.register({ userId: 'user-a', platform: 'ios', token: other, deviceId: 'ipad' });
    const moved = await registry.register({ userId: 'user-b', platform: 'ios', token: other, deviceId: 'her-ipad' });
    expect(moved.movedFrom).toEqual({ userId: 'user-a', deviceKey: 'id:ipad' });
    expect(await registry.devicesOf('user-a')).toEqual([]);
    expect((await registry.devicesOf('user-b')).map((d) => d.deviceKey).sort()).toEqual(['id:her-ipad', b.device.deviceKey].sort());
  });

  it('an APNs token in upper-case hex is the same device as in lower case: one endpoint, one owner', async () => {
    const { registry, tableName, ios } = await setup();
    const token = apnsToken();
    const sam = await registry.register({ userId: 'sam', platform: 'ios', token });
    // The phone passes to Tess, whose app version formats the token with %02X.
    const tess = await registry.register({ userId: 'tess', platform: 'ios', token: token.toUpperCase() });
    expect(tess.device.endpointArn).toBe(sam.device.endpointArn);
    expect(tess.movedFrom).toEqual({ userId: 'sam', deviceKey: sam.device.deviceKey });
    expect(await registry.devicesOf('sam')).toEqual([]);
    expect((await listEndpoints(clients.sns, ios.arn)).map((e) => e.attributes['Token'])).toEqual([token]);
    expect(itemTypes(await scanTable(clients.dynamodb, tableName))).toEqual(['device:tess', 'token:tess']);
    // Sam's notifications no longer reach the phone.
    local.push.clearDeliveries();
    expect(await registry.sendToUser('sam', { body: 'for sam' })).toEqual([]);
    expect(local.push.deliveries()).toEqual([]);
  });

  it('an endpoint deleted behind the registry’s back is recreated on the next register', async () => {
    const { registry, ios } = await setup();
    const token = apnsToken();
    const first = await registry.register({ userId: 'carol', platform: 'ios', token, deviceId: 'phone' });
    await clients.sns.send(new DeleteEndpointCommand({ EndpointArn: first.device.endpointArn }));
    const again = await registry.register({ userId: 'carol', platform: 'ios', token, deviceId: 'phone' });
    expect(again.endpoint).toBe('recreated');
    expect(again.device.endpointArn).not.toBe(first.device.endpointArn);
    expect(await endpointAttributes(again.device.endpointArn)).toEqual({ Enabled: 'true', Token: token, CustomUserData: 'carol' });
    expect((await listEndpoints(clients.sns, ios.arn)).map((e) => e.arn)).toEqual([again.device.endpointArn]);
    expect((await registry.devicesOf('carol')).map((d) => d.endpointArn)).toEqual([again.device.endpointArn]);
  });

  it('takes the ARN from SNS’s "already exists with the same Token, but different attributes" answer', async () => {
    const { registry, ios } = await setup();
    const token = apnsToken();
    // Created outside the registry, with other CustomUserData.
    const outside = await clients.sns.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn: ios.arn, Token: token, CustomUserData: 'legacy-system' }));
    const registered = await registry.register({ userId: 'dave', platform: 'ios', token });
    expect(registered).toMatchObject({ endpoint: 'adopted', updatedAttributes: ['CustomUserData'] });
    expect(registered.device.endpointArn).toBe(outside.EndpointArn);
    expect(await listEndpoints(clients.sns, ios.arn)).toHaveLength(1);
  });

  it('re-enables an endpoint SNS disabled when the app registers its token again', async () => {
    const { registry } = await setup();
    const token = fcmToken();
    const first = await registry.register({ userId: 'erin', platform: 'android', token });
    await clients.sns.send(new SetEndpointAttributesCommand({ EndpointArn: first.device.endpointArn, Attributes: { Enabled: 'false' } }));
    const again = await registry.register({ userId: 'erin', platform: 'android', token });
    expect(again).toMatchObject({ unchanged: false, updatedAttributes: ['Enabled'] });
    expect((await endpointAttributes(first.device.endpointArn))['Enabled']).toBe('true');
  });

  it('a rotation onto a token another user holds leaves every endpoint with one owner', async () => {
    const { registry, ios } = await setup();
    const t1 = apnsToken();
    const t2 = apnsToken();
    const frank = await registry.register({ userId: 'frank', platform: 'ios', token: t1, deviceId: 'shared-phone' });
    // Grace signs in on the same phone: the app got a new token (t2) meanwhile.
    const grace = await registry.register({ userId: 'grace', platform: 'ios', token: t2, deviceId: 'shared-phone' });
    // Frank signs in again: his device record still names t1's endpoint; the token is now t2.
    const back = await registry.register({ userId: 'frank', platform: 'ios', token: t2, deviceId: 'shared-phone' });
    expect(back.device.endpointArn).toBe(grace.device.endpointArn);
    expect(back.movedFrom).toEqual({ userId: 'grace', deviceKey: 'id:shared-phone' });
    expect(back.replacedEndpointArn).toBe(frank.device.endpointArn);
    expect(await registry.devicesOf('grace')).toEqual([]);
    const endpoints = await listEndpoints(clients.sns, ios.arn);
    expect(endpoints.map((e) => e.attributes['Token'])).toEqual([t2]);
    // Grace's notifications reach nobody now; Frank's reach the phone once.
    local.push.clearDeliveries();
    expect(await registry.sendToUser('grace', { body: 'for grace' })).toEqual([]);
    const sent = await registry.sendToUser('frank', { body: 'for frank' });
    expect(sent.map((r) => r.status)).toEqual(['sent']);
    expect(local.push.deliveries().map((d) => d.token)).toEqual([t2]);
  });

  it('concurrent registrations of one token by different users end with exactly one owner', async () => {
    let lostRaces = 0;
    const { registry, tableName, ios } = await setup({
      logger: { debug: (message) => void (message.includes('lost a race') && (lostRaces += 1)), info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    for (let round = 0; round < 5; round += 1) {
      const token = apnsToken();
      const users = ['u1', 'u2', 'u3'].map((u) => `${u}-${round}`);
      const settled = await Promise.allSettled(users.map((userId) => registry.register({ userId, platform: 'ios', token })));
      expect(settled.every((s) => s.status === 'fulfilled')).toBe(true);
      const owners = (await Promise.all(users.map((u) => registry.devicesOf(u)))).flat();
      expect(owners).toHaveLength(1);
      const tokenItems = (await scanTable(clients.dynamodb, tableName)).filter((i) => i['itemType']?.S === 'token' && i['endpointArn']?.S === owners[0]?.endpointArn);
      expect(tokenItems.map((i) => i['userId']?.S)).toEqual([owners[0]?.userId]);
    }
    // One endpoint per token, never more.
    expect(await listEndpoints(clients.sns, ios.arn)).toHaveLength(5);
    // The conditional writes did the work: registrations read the same state and some lost.
    expect(lostRaces).toBeGreaterThan(0);
  });

  it('refuses bad input before any AWS call', async () => {
    const { registry } = await setup();
    clients.resetCounts();
    await expect(registry.register({ userId: 'x', platform: 'windows-phone', token: apnsToken() })).rejects.toBeInstanceOf(UnknownPlatformError);
    await expect(registry.register({ userId: '', platform: 'ios', token: apnsToken() })).rejects.toBeInstanceOf(InvalidRegistrationError);
    const spaced = '<740f4707 bebcf74f 9b7c25d4 8e335894 5f6aa01d a5ddb387 462c7eaf 61bb78ad>';
    const error = await registry.register({ userId: 'x', platform: 'ios', token: spaced }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRegistrationError);
    expect((error as Error).message).not.toContain('bebcf74f');
    expect(clients.snsCalls).toEqual({});
    expect(clients.dynamodbCalls).toEqual({});
  });

  it('an SNS failure surfaces as PushAwsCallError without the token', async () => {
    const { registry, ios } = await setup();
    await clients.sns.send(new DeletePlatformApplicationCommand({ PlatformApplicationArn: ios.arn }));
    const token = apnsToken();
    const error = await registry.register({ userId: 'x', platform: 'ios', token }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushAwsCallError);
    expect(error).toMatchObject({ operation: 'CreatePlatformEndpoint', awsErrorName: 'NotFoundException', retryable: false, httpStatusCode: 404 });
    expect(inspect(error, { depth: 10 })).not.toContain(token);
  });
});

describe('unregister and devicesOf', () => {
  it('removes the record, the token ownership and the endpoint', async () => {
    const { registry, tableName, android } = await setup();
    const token = fcmToken();
    await registry.register({ userId: 'hank', platform: 'android', token, deviceId: 'tablet' });
    await registry.register({ userId: 'hank', platform: 'ios', token: apnsToken(), deviceId: 'phone' });
    expect((await registry.devicesOf('hank')).map((d) => d.deviceKey)).toEqual(['id:phone', 'id:tablet']);
    const removed = await registry.unregister({ userId: 'hank', deviceId: 'tablet' });
    expect(removed).toMatchObject({ endpointDeleted: true, removed: { deviceKey: 'id:tablet' } });
    expect(await listEndpoints(clients.sns, android.arn)).toEqual([]);
    expect((await registry.devicesOf('hank')).map((d) => d.deviceKey)).toEqual(['id:phone']);
    expect(itemTypes(await scanTable(clients.dynamodb, tableName))).toEqual(['device:hank', 'token:hank']);
    expect(await registry.unregister({ userId: 'hank', deviceId: 'tablet' })).toEqual({ removed: undefined, endpointDeleted: false });
    const byToken = await registry.unregister({ userId: 'hank', platform: 'android', token }, { deleteEndpoint: false });
    expect(byToken.removed).toBeUndefined();
  });
});

describe('sendToUser', () => {
  it('sends each platform its payload shape and returns one result per device', async () => {
    const { registry, ios, android } = await setup();
    const iosToken = apnsToken();
    const androidToken = fcmToken();
    await registry.register({ userId: 'ivy', platform: 'ios', token: iosToken, deviceId: 'iphone' });
    await registry.register({ userId: 'ivy', platform: 'android', token: androidToken, deviceId: 'pixel' });
    await registry.register({ userId: 'someone-else', platform: 'android', token: fcmToken() });
    local.push.clearDeliveries();

    const results = await registry.sendToUser('ivy', {
      title: 'Order shipped',
      body: 'Arrives Friday',
      badge: 2,
      sound: 'default',
      data: { orderId: 'o-17' },
      ttlSeconds: 3600,
    });
    expect(results.map((r) => [r.status, r.device.deviceKey])).toEqual([
      ['sent', 'id:iphone'],
      ['sent', 'id:pixel'],
    ]);
    const deliveries = local.push.deliveries();
    expect(deliveries.map((d) => d.messageId).sort()).toEqual(results.map((r) => (r.status === 'sent' ? r.messageId : '')).sort());
    const toIos = deliveries.find((d) => d.applicationArn === ios.arn);
    const toAndroid = deliveries.find((d) => d.applicationArn === android.arn);
    expect(toIos).toMatchObject({ platform: 'APNS_SANDBOX', token: iosToken, messageAttributes: { 'AWS.SNS.MOBILE.APNS_SANDBOX.TTL': '3600' } });
    expect(JSON.parse(toIos?.payload ?? '')).toEqual({
      aps: { alert: { title: 'Order shipped', body: 'Arrives Friday' }, badge: 2, sound: 'default' },
      orderId: 'o-17',
    });
    expect(toAndroid).toMatchObject({ platform: 'GCM', token: androidToken, messageAttributes: { 'AWS.SNS.MOBILE.FCM.TTL': '3600' } });
    expect(JSON.parse(toAndroid?.payload ?? '')).toEqual({
      fcmV1Message: {
        message: {
          notification: { title: 'Order shipped', body: 'Arrives Friday' },
          data: { orderId: 'o-17' },
          android: { notification: { sound: 'default', notification_count: 2 } },
        },
      },
    });
    expect(await registry.sendToUser('nobody', { body: 'x' })).toEqual([]);
  });

  it('a notification too big for one device\'s platform is refused before anything is sent, even for a platform the registry was not configured with', async () => {
    const { registry, tableName, ios } = await setup();
    await registry.register({ userId: 'uma', platform: 'ios', token: apnsToken(), deviceId: 'iphone' });
    await registry.register({ userId: 'uma', platform: 'android', token: fcmToken(), deviceId: 'pixel' });
    // A service that only knows the iOS application, on the same table.
    const iosOnly = createPushRegistry({ sns: clients.sns, dynamodb: clients.dynamodb, tableName, platformApplications: { ios } });
    // Fits APNs' 4,096 bytes, not FCM's (its envelope is larger).
    const notification = { body: 'x'.repeat(4040) };
    expect(() => buildPlatformMessage('APNS_SANDBOX', notification)).not.toThrow();
    expect(() => buildPlatformMessage('GCM', notification)).toThrow(InvalidNotificationError);
    local.push.clearDeliveries();
    await expect(iosOnly.sendToUser('uma', notification)).rejects.toBeInstanceOf(InvalidNotificationError);
    // "Raised before anything is published": a caller that fixes and resends must not notify the iPhone twice.
    expect(local.push.deliveries()).toEqual([]);
  });

  it('a token the push service rejects: sent, then disabled and marked inactive, then skipped; swept after the grace', async () => {
    const { registry, tableName, ios, now } = await setup();
    const good = apnsToken();
    const stale = apnsToken();
    await registry.register({ userId: 'jack', platform: 'ios', token: good, deviceId: 'new-phone' });
    const old = await registry.register({ userId: 'jack', platform: 'ios', token: stale, deviceId: 'old-phone' });
    local.push.rejectToken(stale);

    const first = await registry.sendToUser('jack', { body: 'one' });
    expect(first.map((r) => r.status)).toEqual(['sent', 'sent']); // SNS accepts; APNs refuses later
    const second = await registry.sendToUser('jack', { body: 'two' });
    expect(second.map((r) => [r.device.deviceKey, r.status])).toEqual([
      ['id:new-phone', 'sent'],
      ['id:old-phone', 'disabled'],
    ]);
    expect(second[1]).toMatchObject({ reason: 'endpoint-disabled', attempts: 1 });
    const devices = await registry.devicesOf('jack');
    expect(devices.map((d) => [d.deviceKey, d.status, d.disabledReason, d.disabledAt])).toEqual([
      ['id:new-phone', 'active', undefined, undefined],
      ['id:old-phone', 'inactive', 'endpoint-disabled', now.value],
    ]);
    clients.resetCounts();
    const third = await registry.sendToUser('jack', { body: 'three' });
    expect(third.map((r) => r.status)).toEqual(['sent', 'skipped']);
    expect(clients.snsCalls).toEqual({ Publish: 1 });

    // Not old enough yet.
    now.value += 29 * 86_400_000;
    expect((await registry.sweepDisabled({ olderThanDays: 30 })).outcomes).toEqual([]);
    now.value += 2 * 86_400_000;
    const swept = await registry.sweepDisabled({ olderThanDays: 30 });
    expect(swept.deleted).toBe(1);
    expect(swept.outcomes).toMatchObject([{ status: 'deleted', endpointAlreadyGone: false, device: { deviceKey: 'id:old-phone' } }]);
    expect((await listEndpoints(clients.sns, ios.arn)).map((e) => e.attributes['Token'])).toEqual([good]);
    expect((await registry.devicesOf('jack')).map((d) => d.deviceKey)).toEqual(['id:new-phone']);
    expect(itemTypes(await scanTable(clients.dynamodb, tableName))).toEqual(['device:jack', 'token:jack']);
    expect(old.device.endpointArn).not.toBe((await registry.devicesOf('jack'))[0]?.endpointArn);
  });

  it('a device that registers again before the sweep is active again and kept', async () => {
    const { registry, now } = await setup();
    const token = fcmToken();
    await registry.register({ userId: 'kim', platform: 'android', token });
    local.push.rejectToken(token);
    await registry.sendToUser('kim', { body: 'one' });
    await registry.sendToUser('kim', { body: 'two' });
    expect((await registry.devicesOf('kim'))[0]?.status).toBe('inactive');
    // The app was reinstalled and got the same token; the push service accepts it again.
    local.push.acceptToken(token);
    const again = await registry.register({ userId: 'kim', platform: 'android', token });
    expect(again.updatedAttributes).toEqual(['Enabled']);
    expect((await registry.devicesOf('kim'))[0]).toMatchObject({ status: 'active', disabledAt: undefined });
    now.value += 60 * 86_400_000;
    expect((await registry.sweepDisabled({ olderThanDays: 30 })).outcomes).toEqual([]);
    expect((await registry.sendToUser('kim', { body: 'three' })).map((r) => r.status)).toEqual(['sent']);
  });

  it('the sweep keeps an endpoint enabled again outside the registry, and removes records of deleted endpoints', async () => {
    const { registry, now } = await setup();
    const a = fcmToken();
    const b = fcmToken();
    const first = await registry.register({ userId: 'lee', platform: 'android', token: a, deviceId: 'a' });
    const second = await registry.register({ userId: 'lee', platform: 'android', token: b, deviceId: 'b' });
    await clients.sns.send(new SetEndpointAttributesCommand({ EndpointArn: first.device.endpointArn, Attributes: { Enabled: 'false' } }));
    await clients.sns.send(new DeleteEndpointCommand({ EndpointArn: second.device.endpointArn }));
    const results = await registry.sendToUser('lee', { body: 'x' });
    expect(results.map((r) => (r.status === 'disabled' ? r.reason : r.status))).toEqual(['endpoint-disabled', 'endpoint-deleted']);
    await clients.sns.send(new SetEndpointAttributesCommand({ EndpointArn: first.device.endpointArn, Attributes: { Enabled: 'true' } }));
    now.value += 1;
    const swept = await registry.sweepDisabled({ olderThanDays: 0 });
    expect(swept.outcomes.map((o) => [o.device.deviceKey, o.status, o.status === 'kept' ? o.reason : o.status === 'deleted' ? o.endpointAlreadyGone : ''])).toEqual(
      expect.arrayContaining([
        ['id:a', 'kept', 're-enabled'],
        ['id:b', 'deleted', true],
      ]),
    );
    expect((await registry.devicesOf('lee')).map((d) => [d.deviceKey, d.status])).toEqual([['id:a', 'active']]);
  });

  it('retries a throttled publish with backoff, and reports the failure when throttling persists', async () => {
    const { registry } = await setup();
    await registry.register({ userId: 'mia', platform: 'android', token: fcmToken() });
    local.setFaults({ seed: 3, throttle: 1, services: ['sns'], actions: ['Publish'] });
    try {
      const failed = await registry.sendToUser('mia', { body: 'x' });
      // SNS's throttling code is `Throttling` (not modelled, so the SDK keeps the code as the name).
      expect(failed).toMatchObject([{ status: 'failed', code: 'Throttling', retryable: true, attempts: 3 }]);
    } finally {
      local.setFaults(undefined);
    }
    // Throttled once, then the faults stop: the retry gets it through.
    const warnings: string[] = [];
    const { registry: retrying } = await setup({
      logger: {
        debug: () => undefined,
        info: () => undefined,
        error: () => undefined,
        warn: (message) => {
          warnings.push(message);
          local.setFaults(undefined);
        },
      },
    });
    await retrying.register({ userId: 'mia', platform: 'android', token: fcmToken() });
    local.setFaults({ seed: 3, throttle: 1, services: ['sns'], actions: ['Publish'] });
    try {
      const sent = await retrying.sendToUser('mia', { body: 'x' });
      expect(sent).toMatchObject([{ status: 'sent', attempts: 2 }]);
      expect(warnings).toEqual(['push-tokens: publish failed, retrying']);
    } finally {
      local.setFaults(undefined);
    }
  });

  it('keeps at most maxConcurrency publishes in flight', async () => {
    const { registry } = await setup({ maxConcurrency: 2 });
    for (let i = 0; i < 6; i += 1) await registry.register({ userId: 'ned', platform: 'android', token: fcmToken(), deviceId: `d${i}` });
    let inFlight = 0;
    let most = 0;
    clients.sns.middlewareStack.add(
      (next) => async (args) => {
        const body = (args.request as { body?: unknown }).body;
        if (typeof body !== 'string' || !body.includes('Action=Publish')) return next(args);
        inFlight += 1;
        most = Math.max(most, inFlight);
        try {
          return await next(args);
        } finally {
          inFlight -= 1;
        }
      },
      { step: 'finalizeRequest', name: 'concurrencyProbe' },
    );
    try {
      local.setLatency(20);
      const results = await registry.sendToUser('ned', { body: 'x' });
      expect(results.map((r) => r.status)).toEqual(Array(6).fill('sent'));
      expect(most).toBe(2);
    } finally {
      local.setLatency(undefined);
      clients.sns.middlewareStack.remove('concurrencyProbe');
    }
  });
});
