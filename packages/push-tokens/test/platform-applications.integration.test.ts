import { GetPlatformApplicationAttributesCommand } from '@aws-sdk/client-sns';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '@herald/local-aws';
import {
  createApnsTokenPlatformApplication,
  createFcmPlatformApplication,
  InvalidApnsBundleIdError,
  InvalidApnsKeyIdError,
  InvalidApnsSigningKeyError,
  InvalidApnsTeamIdError,
  InvalidFcmServiceAccountError,
  InvalidPlatformApplicationArnError,
  InvalidPlatformApplicationNameError,
  PushAwsCallError,
  updatePlatformApplicationCredentials,
} from '../src/index.js';
import { generateServiceAccountJson, generateSigningKey, makeTestClients, type TestClients, unique } from './push-test-kit.js';

let local: LocalAws;
let clients: TestClients;

beforeAll(async () => {
  local = await startLocalAws({ dynamodb: false });
  clients = makeTestClients(local);
});

afterAll(async () => {
  clients.destroy();
  await local.stop();
});

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Every way an error could show its contents: message, stack, inspect (with causes), JSON. */
function everythingIn(error: unknown): string {
  return [String(error), (error as Error).stack ?? '', inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error)].join('\n');
}

/** The base64 body lines of a PEM key: none of them may leak. */
function keyLines(pem: string): string[] {
  return pem.split('\n').filter((line) => line.length > 16 && !line.startsWith('-----'));
}

const valid = { keyId: 'ABCDE12345', teamId: 'TEAM123456', bundleId: 'com.example.shop' };

describe('createApnsTokenPlatformApplication', () => {
  it('creates an APNS or APNS_SANDBOX application with token auth attributes', async () => {
    const signingKey = generateSigningKey();
    const name = unique('shop');
    const production = await createApnsTokenPlatformApplication({ sns: clients.sns, name, signingKey, ...valid, sandbox: false });
    expect(production).toEqual({ arn: `arn:aws:sns:us-east-1:000000000000:app/APNS/${name}`, platform: 'APNS', name });
    const sandbox = await createApnsTokenPlatformApplication({ sns: clients.sns, name, signingKey, ...valid, sandbox: true });
    expect(sandbox.platform).toBe('APNS_SANDBOX');
    const attributes = await clients.sns.send(new GetPlatformApplicationAttributesCommand({ PlatformApplicationArn: production.arn }));
    expect(attributes.Attributes).toEqual({ Enabled: 'true', ApplePlatformTeamID: 'TEAM123456', ApplePlatformBundleID: 'com.example.shop' });
    expect(local.push.credentialFingerprint(production.arn)).toEqual({ principal: 'ABCDE12345', credentialSha256: sha256(signingKey.trim()) });
  });

  describe('refuses malformed credentials before any AWS call, without the key text anywhere', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const good = generateSigningKey();
    const cases: [string, string, string][] = [
      ['empty', '   ', 'empty'],
      ['not PEM', 'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg', 'not-pem'],
      ['SEC1 instead of PKCS#8', p256.export({ type: 'sec1', format: 'pem' }).toString(), 'not-pkcs8'],
      [
        'encrypted PKCS#8',
        p256.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret-passphrase' }).toString(),
        'not-pkcs8',
      ],
      ['truncated', good.replace(/\n[^\n]{10,}\n-----END/, '\n-----END'), 'unreadable'],
      ['an RSA key', rsa.export({ type: 'pkcs8', format: 'pem' }).toString(), 'not-ec'],
      ['a P-384 key', p384.export({ type: 'pkcs8', format: 'pem' }).toString(), 'wrong-curve'],
    ];
    for (const [what, signingKey, problem] of cases) {
      it(`a signing key that is ${what}`, async () => {
        clients.resetCounts();
        const error = await createApnsTokenPlatformApplication({ sns: clients.sns, name: unique('x'), signingKey, ...valid, sandbox: false }).catch(
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(InvalidApnsSigningKeyError);
        expect(error).toMatchObject({ code: 'InvalidApnsSigningKey', problem, retryable: false });
        expect((error as Error).cause).toBeUndefined();
        const shown = everythingIn(error);
        if (signingKey.trim() !== '') expect(shown).not.toContain(signingKey.trim());
        for (const line of keyLines(signingKey)) expect(shown).not.toContain(line);
        expect(clients.snsCalls).toEqual({});
      });
    }

    const idCases: [string, Record<string, string>, new (...args: never[]) => Error, string][] = [
      ['a lower-case key id', { keyId: 'abcde12345' }, InvalidApnsKeyIdError, 'InvalidApnsKeyId'],
      ['a 9-character key id', { keyId: 'ABCDE1234' }, InvalidApnsKeyIdError, 'InvalidApnsKeyId'],
      ['a team id with a dash', { teamId: 'TEAM-23456' }, InvalidApnsTeamIdError, 'InvalidApnsTeamId'],
      ['a team id of 11 characters', { teamId: 'TEAM1234567' }, InvalidApnsTeamIdError, 'InvalidApnsTeamId'],
      ['a one-part bundle id', { bundleId: 'shop' }, InvalidApnsBundleIdError, 'InvalidApnsBundleId'],
      ['a bundle id with an empty part', { bundleId: 'com..shop' }, InvalidApnsBundleIdError, 'InvalidApnsBundleId'],
      ['a bundle id with a space', { bundleId: 'com.example shop' }, InvalidApnsBundleIdError, 'InvalidApnsBundleId'],
      ['a bundle id ending in a dot', { bundleId: 'com.example.' }, InvalidApnsBundleIdError, 'InvalidApnsBundleId'],
    ];
    for (const [what, override, type, code] of idCases) {
      it(`${what}`, async () => {
        const signingKey = generateSigningKey();
        clients.resetCounts();
        const error = await createApnsTokenPlatformApplication({
          sns: clients.sns,
          name: unique('x'),
          signingKey,
          ...valid,
          ...override,
          sandbox: true,
        }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(type);
        expect(error).toMatchObject({ code });
        const shown = everythingIn(error);
        for (const line of keyLines(signingKey)) expect(shown).not.toContain(line);
        expect(clients.snsCalls).toEqual({});
      });
    }

    it('a key passed by mistake as the key id is not echoed either', async () => {
      const signingKey = generateSigningKey();
      const error = await createApnsTokenPlatformApplication({ sns: clients.sns, name: unique('x'), signingKey, ...valid, keyId: signingKey, sandbox: true }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InvalidApnsKeyIdError);
      for (const line of keyLines(signingKey)) expect(everythingIn(error)).not.toContain(line);
    });

    it('an application name SNS would refuse', async () => {
      clients.resetCounts();
      await expect(
        createApnsTokenPlatformApplication({ sns: clients.sns, name: 'my app', signingKey: generateSigningKey(), ...valid, sandbox: true }),
      ).rejects.toBeInstanceOf(InvalidPlatformApplicationNameError);
      expect(clients.snsCalls).toEqual({});
    });
  });

  it('wraps an SNS refusal without the key in message or cause', async () => {
    const signingKey = generateSigningKey();
    local.setFaults({ seed: 1, serverError: 1, services: ['sns'], actions: ['CreatePlatformApplication'] });
    let error: unknown;
    try {
      error = await createApnsTokenPlatformApplication({ sns: clients.sns, name: unique('x'), signingKey, ...valid, sandbox: true }).catch((e: unknown) => e);
    } finally {
      local.setFaults(undefined);
    }
    expect(error).toBeInstanceOf(PushAwsCallError);
    expect(error).toMatchObject({ operation: 'CreatePlatformApplication', awsErrorName: 'InternalFailure', retryable: true, httpStatusCode: 500 });
    const shown = everythingIn(error);
    for (const line of keyLines(signingKey)) expect(shown).not.toContain(line);
  });
});

describe('createFcmPlatformApplication', () => {
  it('creates a GCM application with the service-account key as credential', async () => {
    const serviceAccountJson = generateServiceAccountJson();
    const app = await createFcmPlatformApplication({ sns: clients.sns, name: unique('android'), serviceAccountJson });
    expect(app.platform).toBe('GCM');
    expect(local.push.credentialFingerprint(app.arn).credentialSha256).toBe(sha256(JSON.stringify(JSON.parse(serviceAccountJson))));
  });

  it('refuses what is not a service-account key, without showing it', async () => {
    const serviceAccount = JSON.parse(generateServiceAccountJson()) as Record<string, string>;
    const cases: [string, string][] = [
      ['{not json', 'not-json'],
      [JSON.stringify({ ...serviceAccount, type: 'authorized_user' }), 'not-service-account'],
      [JSON.stringify({ ...serviceAccount, client_email: '' }), 'missing-field'],
      [JSON.stringify({ ...serviceAccount, private_key: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' }), 'unreadable-private-key'],
    ];
    clients.resetCounts();
    for (const [serviceAccountJson, problem] of cases) {
      const error = await createFcmPlatformApplication({ sns: clients.sns, name: unique('x'), serviceAccountJson }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidFcmServiceAccountError);
      expect(error).toMatchObject({ problem });
      for (const line of keyLines(serviceAccount['private_key'] ?? '')) expect(everythingIn(error)).not.toContain(line);
    }
    expect(clients.snsCalls).toEqual({});
  });
});

describe('updatePlatformApplicationCredentials', () => {
  it('rotates an APNs key in place', async () => {
    const app = await createApnsTokenPlatformApplication({ sns: clients.sns, name: unique('ios'), signingKey: generateSigningKey(), ...valid, sandbox: false });
    const next = generateSigningKey();
    await updatePlatformApplicationCredentials({ sns: clients.sns, platformApplicationArn: app.arn, signingKey: next, keyId: 'NEWKEY0001', teamId: 'TEAM123456', bundleId: 'com.example.shop' });
    expect(local.push.credentialFingerprint(app.arn)).toEqual({ principal: 'NEWKEY0001', credentialSha256: sha256(next.trim()) });
  });

  it('rotates an FCM key, and refuses credentials of the other platform', async () => {
    const app = await createFcmPlatformApplication({ sns: clients.sns, name: unique('android'), serviceAccountJson: generateServiceAccountJson() });
    const next = generateServiceAccountJson();
    await updatePlatformApplicationCredentials({ sns: clients.sns, platformApplicationArn: app.arn, serviceAccountJson: next });
    expect(local.push.credentialFingerprint(app.arn).credentialSha256).toBe(sha256(JSON.stringify(JSON.parse(next))));
    await expect(
      updatePlatformApplicationCredentials({ sns: clients.sns, platformApplicationArn: app.arn, signingKey: generateSigningKey(), ...valid }),
    ).rejects.toBeInstanceOf(InvalidPlatformApplicationArnError);
    clients.resetCounts();
    await expect(
      updatePlatformApplicationCredentials({ sns: clients.sns, platformApplicationArn: app.arn.replace(':app/GCM/', ':app/APNS/'), signingKey: 'nope', ...valid }),
    ).rejects.toBeInstanceOf(InvalidApnsSigningKeyError);
    expect(clients.snsCalls).toEqual({});
  });
});
