import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalAws, startLocalAws } from '@herald/local-aws';
import {
  createApnsTokenPlatformApplication,
  createFcmPlatformApplication,
  createPushRegistry,
  type PlatformApplication,
  type PushRegistry,
  type PushRegistryOptions,
  PushAwsCallError,
} from '../src/index.js';
import {
  apnsToken,
  createRegistryTable,
  fcmToken,
  generateServiceAccountJson,
  generateSigningKey,
  listEndpoints,
  makeTestClients,
  type TestClients,
  unique,
} from './push-test-kit.js';

// Faults in the middle of a registry operation: AWS calls that fail after others succeeded.
// Each test checks what the caller gets and that SNS and DynamoDB end consistent (or are
// repaired by the next call), never with an endpoint nobody knows of.

let local: LocalAws;
let clients: TestClients;

beforeAll(async () => {
  local = await startLocalAws({ dynamodbEndpoint: inject('heraldDynamoDbEndpoint') });
  clients = makeTestClients(local);
});

afterEach(() => {
  local.setFaults(undefined);
});

afterAll(async () => {
  clients.destroy();
  await local.stop();
});

interface Setup {
  registry: PushRegistry;
  ios: PlatformApplication;
  android: PlatformApplication;
}

async function setup(extra: Partial<PushRegistryOptions> = {}): Promise<Setup> {
  const tableName = await createRegistryTable(clients.dynamodb);
  const ios = await createApnsTokenPlatformApplication({
    sns: clients.sns,
    name: unique('ios'),
    signingKey: generateSigningKey(),
    keyId: 'ABCDE12345',
    teamId: 'TEAM123456',
    bundleId: 'com.example.shop',
    sandbox: false,
  });
  const android = await createFcmPlatformApplication({ sns: clients.sns, name: unique('android'), serviceAccountJson: generateServiceAccountJson() });
  const registry = createPushRegistry({
    sns: clients.sns,
    dynamodb: clients.dynamodb,
    tableName,
    platformApplications: { ios, android },
    random: () => 0.5,
    retry: { baseMs: 1, capMs: 5 },
    ...extra,
  });
  return { registry, ios, android };
}

describe('sendToUser when DynamoDB fails', () => {
  it('still returns one result per device when marking a disabled device inactive fails', async () => {
    const { registry } = await setup();
    const stale = fcmToken();
    await registry.register({ userId: 'olga', platform: 'android', token: stale, deviceId: 'old' });
    await registry.register({ userId: 'olga', platform: 'ios', token: apnsToken(), deviceId: 'new' });
    local.push.rejectToken(stale);
    await registry.sendToUser('olga', { body: 'one' }); // accepted; the push service disables the endpoint

    // DynamoDB refuses every write now (the SDK's own retries included).
    local.setFaults({ seed: 1, serverError: 1, services: ['dynamodb'], actions: ['UpdateItem'] });
    const results = await registry.sendToUser('olga', { body: 'two' });
    // The publishes happened: the caller must learn what each device got, not just an error
    // (retrying the call would notify the working device twice).
    expect(results.map((r) => [r.device.deviceKey, r.status])).toEqual([
      ['id:new', 'sent'],
      ['id:old', 'disabled'],
    ]);
    local.setFaults(undefined);

    // Not marked: the next send finds the endpoint disabled again and marks it then.
    expect((await registry.devicesOf('olga')).map((d) => d.status)).toEqual(['active', 'active']);
    const again = await registry.sendToUser('olga', { body: 'three' });
    expect(again.map((r) => r.status)).toEqual(['sent', 'disabled']);
    expect((await registry.devicesOf('olga')).map((d) => d.status)).toEqual(['active', 'inactive']);
  });
});

describe('unregister when SNS fails', () => {
  it('a DeleteEndpoint that fails leaves the device registered, so retrying unregister removes the endpoint', async () => {
    const { registry, android } = await setup();
    await registry.register({ userId: 'pia', platform: 'android', token: fcmToken(), deviceId: 'tablet' });

    local.setFaults({ seed: 1, serverError: 1, services: ['sns'], actions: ['DeleteEndpoint'] });
    const error = await registry.unregister({ userId: 'pia', deviceId: 'tablet' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushAwsCallError);
    expect(error).toMatchObject({ operation: 'DeleteEndpoint', retryable: true });
    local.setFaults(undefined);

    // The caller retries, as the retryable error says: nothing may be left behind in SNS.
    await registry.unregister({ userId: 'pia', deviceId: 'tablet' });
    expect(await listEndpoints(clients.sns, android.arn)).toEqual([]);
    expect(await registry.devicesOf('pia')).toEqual([]);
  });
});

describe('register when SNS fails', () => {
  it('a device moving onto another endpoint: a failed DeleteEndpoint of its old one is retried by the next register', async () => {
    const { registry, ios } = await setup();
    const t1 = apnsToken();
    const t2 = apnsToken();
    const quinn = await registry.register({ userId: 'quinn', platform: 'ios', token: t1, deviceId: 'phone' });
    // Rosa's registration gives t2 an endpoint of its own.
    const rosa = await registry.register({ userId: 'rosa', platform: 'ios', token: t2, deviceId: 'phone' });
    // Quinn's phone now reports t2: the device moves to t2's endpoint, its old one must go.
    local.setFaults({ seed: 1, serverError: 1, services: ['sns'], actions: ['DeleteEndpoint'] });
    const error = await registry.register({ userId: 'quinn', platform: 'ios', token: t2, deviceId: 'phone' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushAwsCallError);
    local.setFaults(undefined);

    const retried = await registry.register({ userId: 'quinn', platform: 'ios', token: t2, deviceId: 'phone' });
    expect(retried.device.endpointArn).toBe(rosa.device.endpointArn);
    // Exactly one endpoint left, t2's; t1's endpoint is not forgotten in SNS.
    expect((await listEndpoints(clients.sns, ios.arn)).map((e) => e.arn)).toEqual([rosa.device.endpointArn]);
    expect(quinn.device.endpointArn).not.toBe(rosa.device.endpointArn);
    expect(await registry.devicesOf('rosa')).toEqual([]);
  });
});

describe('register repairs what a failed register left behind', () => {
  const steps: [string, 'sns' | 'dynamodb', string][] = [
    ['CreatePlatformEndpoint', 'sns', 'CreatePlatformEndpoint'],
    ['GetEndpointAttributes', 'sns', 'GetEndpointAttributes'],
    ['SetEndpointAttributes', 'sns', 'SetEndpointAttributes'],
    ['TransactWriteItems', 'dynamodb', 'TransactWriteItems'],
  ];
  for (const [what, service, action] of steps) {
    it(`${what} failing during a first registration, then during a token rotation`, async () => {
      const { registry, android } = await setup();
      const first = fcmToken();
      const rotated = fcmToken();
      local.setFaults({ seed: 1, serverError: 1, services: [service], actions: [action] });
      // A first registration of this token never calls SetEndpointAttributes; the others fail.
      const failedFirst = await registry.register({ userId: 'vic', platform: 'android', token: first, deviceId: 'phone' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (action !== 'SetEndpointAttributes') expect(failedFirst).toBeInstanceOf(PushAwsCallError);
      local.setFaults(undefined);
      const registered = await registry.register({ userId: 'vic', platform: 'android', token: first, deviceId: 'phone' });

      local.setFaults({ seed: 1, serverError: 1, services: [service], actions: [action] });
      // A rotation updates the stored endpoint: it never calls CreatePlatformEndpoint; the others fail.
      const failedRotation = await registry.register({ userId: 'vic', platform: 'android', token: rotated, deviceId: 'phone' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (action !== 'CreatePlatformEndpoint') expect(failedRotation).toBeInstanceOf(PushAwsCallError);
      local.setFaults(undefined);
      const repaired = await registry.register({ userId: 'vic', platform: 'android', token: rotated, deviceId: 'phone' });

      // One endpoint, with the current token, and the registry's one device points at it.
      const endpoints = await listEndpoints(clients.sns, android.arn);
      expect(endpoints).toEqual([{ arn: repaired.device.endpointArn, attributes: { Enabled: 'true', Token: rotated, CustomUserData: 'vic' } }]);
      expect(repaired.device.endpointArn).toBe(registered.device.endpointArn);
      expect((await registry.devicesOf('vic')).map((d) => [d.endpointArn, d.token])).toEqual([[repaired.device.endpointArn, `…${rotated.slice(-6)}`]]);
      local.push.clearDeliveries();
      expect((await registry.sendToUser('vic', { body: 'x' })).map((r) => r.status)).toEqual(['sent']);
      expect(local.push.deliveries().map((d) => d.token)).toEqual([rotated]);
    });
  }
});
