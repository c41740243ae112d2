import {
  CreatePlatformApplicationCommand,
  CreatePlatformEndpointCommand,
  CreateTopicCommand,
  DeleteEndpointCommand,
  DeletePlatformApplicationCommand,
  GetEndpointAttributesCommand,
  GetPlatformApplicationAttributesCommand,
  ListEndpointsByPlatformApplicationCommand,
  ListPlatformApplicationsCommand,
  PublishCommand,
  SetEndpointAttributesCommand,
  SetPlatformApplicationAttributesCommand,
} from '@aws-sdk/client-sns';
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUSH_CONTROL_ACTIONS, startLocalAws, type LocalAws } from '@herald/local-aws';
import { makeClients, type SdkClients } from './sdk-clients.js';

let local: LocalAws;
let clients: SdkClients;

beforeAll(async () => {
  local = await startLocalAws({ dynamodb: false });
  clients = makeClients(local.endpoint, 1);
});

afterAll(async () => {
  clients.destroy();
  await local.stop();
});

const unique = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;
const deviceToken = (): string => createHash('sha256').update(randomUUID()).digest('hex');

/** A .p8-style key made for this run (never committed). */
function signingKey(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

async function createApnsApp(name = unique('apns'), platform = 'APNS'): Promise<string> {
  const out = await clients.sns.send(
    new CreatePlatformApplicationCommand({
      Name: name,
      Platform: platform,
      Attributes: {
        PlatformCredential: signingKey(),
        PlatformPrincipal: 'ABCDE12345',
        ApplePlatformTeamID: 'TEAM123456',
        ApplePlatformBundleID: 'com.example.app',
      },
    }),
  );
  return out.PlatformApplicationArn ?? '';
}

async function createFcmApp(name = unique('fcm')): Promise<string> {
  const out = await clients.sns.send(
    new CreatePlatformApplicationCommand({ Name: name, Platform: 'GCM', Attributes: { PlatformCredential: '{"type":"service_account"}' } }),
  );
  return out.PlatformApplicationArn ?? '';
}

async function createEndpoint(applicationArn: string, token: string, customUserData?: string): Promise<string> {
  const out = await clients.sns.send(
    new CreatePlatformEndpointCommand({
      PlatformApplicationArn: applicationArn,
      Token: token,
      ...(customUserData === undefined ? {} : { CustomUserData: customUserData }),
    }),
  );
  return out.EndpointArn ?? '';
}

async function attributesOf(endpointArn: string): Promise<Record<string, string>> {
  const out = await clients.sns.send(new GetEndpointAttributesCommand({ EndpointArn: endpointArn }));
  return out.Attributes ?? {};
}

async function failure(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

function publishTo(endpointArn: string, message: string, structure?: 'json') {
  return clients.sns.send(
    new PublishCommand({ TargetArn: endpointArn, Message: message, ...(structure ? { MessageStructure: structure } : {}) }),
  );
}

describe('platform applications', () => {
  it('creates an APNs token-auth application whose credential never comes back', async () => {
    const name = unique('apns');
    const key = signingKey();
    const created = await clients.sns.send(
      new CreatePlatformApplicationCommand({
        Name: name,
        Platform: 'APNS_SANDBOX',
        Attributes: {
          PlatformCredential: key,
          PlatformPrincipal: 'ABCDE12345',
          ApplePlatformTeamID: 'TEAM123456',
          ApplePlatformBundleID: 'com.example.app',
        },
      }),
    );
    expect(created.PlatformApplicationArn).toBe(`arn:aws:sns:us-east-1:000000000000:app/APNS_SANDBOX/${name}`);
    const arn = created.PlatformApplicationArn ?? '';
    const read = await clients.sns.send(new GetPlatformApplicationAttributesCommand({ PlatformApplicationArn: arn }));
    expect(read.Attributes).toEqual({
      Enabled: 'true',
      ApplePlatformTeamID: 'TEAM123456',
      ApplePlatformBundleID: 'com.example.app',
    });
    expect(local.push.credentialFingerprint(arn)).toEqual({
      principal: 'ABCDE12345',
      credentialSha256: createHash('sha256').update(key).digest('hex'),
    });
  });

  it('rotates credentials with SetPlatformApplicationAttributes', async () => {
    const arn = await createApnsApp();
    const before = local.push.credentialFingerprint(arn);
    const next = signingKey();
    await clients.sns.send(
      new SetPlatformApplicationAttributesCommand({
        PlatformApplicationArn: arn,
        Attributes: { PlatformCredential: next, PlatformPrincipal: 'ZYXWV98765' },
      }),
    );
    const after = local.push.credentialFingerprint(arn);
    expect(after).toEqual({ principal: 'ZYXWV98765', credentialSha256: createHash('sha256').update(next).digest('hex') });
    expect(after.credentialSha256).not.toBe(before.credentialSha256);
  });

  it('refuses what SNS refuses, with its messages', async () => {
    const credentialOnly = await failure(
      clients.sns.send(
        new CreatePlatformApplicationCommand({ Name: unique('x'), Platform: 'APNS', Attributes: { PlatformCredential: 'k' } }),
      ),
    );
    expect(credentialOnly.name).toBe('InvalidParameterException');
    expect(credentialOnly.message).toBe(
      'Invalid parameter: Attributes Reason: PlatformCredential attribute provided without PlatformPrincipal',
    );
    const principalOnly = await failure(
      clients.sns.send(
        new CreatePlatformApplicationCommand({ Name: unique('x'), Platform: 'APNS', Attributes: { PlatformPrincipal: 'p' } }),
      ),
    );
    expect(principalOnly.message).toBe(
      'Invalid parameter: Attributes Reason: PlatformPrincipal attribute provided without PlatformCredential',
    );
    const unsupported = await failure(
      clients.sns.send(new CreatePlatformApplicationCommand({ Name: unique('x'), Platform: 'PIGEON', Attributes: {} })),
    );
    expect(unsupported.message).toBe('Invalid parameter: Platform Reason: PIGEON is not supported');
    const badName = await failure(
      clients.sns.send(new CreatePlatformApplicationCommand({ Name: 'has space', Platform: 'GCM', Attributes: { PlatformCredential: 'k' } })),
    );
    expect(badName.name).toBe('InvalidParameterException');
    const unknown = await failure(
      clients.sns.send(
        new GetPlatformApplicationAttributesCommand({ PlatformApplicationArn: 'arn:aws:sns:us-east-1:000000000000:app/GCM/nope' }),
      ),
    );
    expect(unknown.name).toBe('NotFoundException');
    expect(unknown.$metadata?.httpStatusCode).toBe(404);
  });

  it('lists applications 15 a page with NextToken', async () => {
    const mine = new Set<string>();
    for (let i = 0; i < 17; i += 1) mine.add(await createFcmApp());
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await clients.sns.send(new ListPlatformApplicationsCommand(nextToken === undefined ? {} : { NextToken: nextToken }));
      const apps = page.PlatformApplications ?? [];
      expect(apps.length).toBeLessThanOrEqual(15);
      for (const app of apps) seen.push(app.PlatformApplicationArn ?? '');
      nextToken = page.NextToken;
      pages += 1;
    } while (nextToken !== undefined);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(new Set(seen).size).toBe(seen.length);
    for (const arn of mine) expect(seen).toContain(arn);
  });

  it('deleting an application deletes its endpoints; deleting twice succeeds', async () => {
    const arn = await createFcmApp();
    const endpoint = await createEndpoint(arn, deviceToken());
    await clients.sns.send(new DeletePlatformApplicationCommand({ PlatformApplicationArn: arn }));
    await clients.sns.send(new DeletePlatformApplicationCommand({ PlatformApplicationArn: arn }));
    expect((await failure(attributesOf(endpoint))).name).toBe('NotFoundException');
  });
});

describe('CreatePlatformEndpoint', () => {
  it('returns the same ARN for the same token and attributes', async () => {
    const app = await createApnsApp();
    const token = deviceToken();
    const first = await createEndpoint(app, token);
    expect(first).toMatch(new RegExp(`^${app.replace(':app/', ':endpoint/')}/[0-9a-f-]{36}$`));
    expect(await createEndpoint(app, token)).toBe(first);
    const other = deviceToken();
    const withData = await createEndpoint(app, other, 'user-1');
    expect(await createEndpoint(app, other, 'user-1')).toBe(withData);
    expect(withData).not.toBe(first);
  });

  it('refuses the same token with another CustomUserData, naming the existing ARN as AWS does', async () => {
    const app = await createApnsApp();
    const token = deviceToken();
    const existing = await createEndpoint(app, token, 'user-a');
    for (const customUserData of ['user-b', undefined]) {
      const error = await failure(createEndpoint(app, token, customUserData));
      expect(error.name).toBe('InvalidParameterException');
      expect(error.$metadata?.httpStatusCode).toBe(400);
      expect(error.message).toBe(
        `Invalid parameter: Token Reason: Endpoint ${existing} already exists with the same Token, but different attributes.`,
      );
      // The pattern AWS's registration sample uses to take the ARN from the message.
      expect(/.*Endpoint (arn:aws:sns[^ ]+) already exists with the same [Tt]oken.*/.exec(error.message)?.[1]).toBe(existing);
    }
  });

  it('takes CustomUserData from Attributes too (they are SetEndpointAttributes\' attributes), and compares it for idempotency', async () => {
    const app = await createFcmApp();
    const token = deviceToken();
    const create = (attributes: Record<string, string>) =>
      clients.sns.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn: app, Token: token, Attributes: attributes }));
    const arn = (await create({ CustomUserData: 'user-1' })).EndpointArn ?? '';
    expect(await attributesOf(arn)).toEqual({ Enabled: 'true', Token: token, CustomUserData: 'user-1' });
    expect((await create({ CustomUserData: 'user-1' })).EndpointArn).toBe(arn);
    expect(await createEndpoint(app, token, 'user-1')).toBe(arn);
    const error = await failure(create({ CustomUserData: 'user-2' }));
    expect(error.message).toBe(`Invalid parameter: Token Reason: Endpoint ${arn} already exists with the same Token, but different attributes.`);
  });

  it('keeps tokens per application', async () => {
    const token = deviceToken();
    const a = await createEndpoint(await createFcmApp(), token);
    const b = await createEndpoint(await createFcmApp(), token);
    expect(a).not.toBe(b);
  });

  it('returns a disabled endpoint without enabling it (why the registration algorithm reads attributes after creating)', async () => {
    const app = await createFcmApp();
    const token = deviceToken();
    const arn = await createEndpoint(app, token);
    await clients.sns.send(new SetEndpointAttributesCommand({ EndpointArn: arn, Attributes: { Enabled: 'false' } }));
    expect(await createEndpoint(app, token)).toBe(arn);
    expect((await attributesOf(arn))['Enabled']).toBe('false');
  });

  it('creates an endpoint disabled when asked, and refuses an unknown application', async () => {
    const app = await createFcmApp();
    const out = await clients.sns.send(
      new CreatePlatformEndpointCommand({ PlatformApplicationArn: app, Token: deviceToken(), Attributes: { Enabled: 'false' } }),
    );
    expect((await attributesOf(out.EndpointArn ?? ''))['Enabled']).toBe('false');
    const missing = await failure(createEndpoint(`${app}-gone`, deviceToken()));
    expect(missing.name).toBe('NotFoundException');
  });
});

describe('endpoint attributes', () => {
  it('reads, sets and deletes', async () => {
    const app = await createFcmApp();
    const token = deviceToken();
    const arn = await createEndpoint(app, token, 'user-1');
    expect(await attributesOf(arn)).toEqual({ Enabled: 'true', Token: token, CustomUserData: 'user-1' });
    const rotated = deviceToken();
    await clients.sns.send(
      new SetEndpointAttributesCommand({ EndpointArn: arn, Attributes: { Token: rotated, Enabled: 'false', CustomUserData: 'user-2' } }),
    );
    expect(await attributesOf(arn)).toEqual({ Enabled: 'false', Token: rotated, CustomUserData: 'user-2' });
    await clients.sns.send(new DeleteEndpointCommand({ EndpointArn: arn }));
    await clients.sns.send(new DeleteEndpointCommand({ EndpointArn: arn }));
    const gone = await failure(attributesOf(arn));
    expect(gone.name).toBe('NotFoundException');
    expect(gone.message).toBe('Endpoint does not exist');
    expect(gone.$metadata?.httpStatusCode).toBe(404);
    const setGone = await failure(
      clients.sns.send(new SetEndpointAttributesCommand({ EndpointArn: arn, Attributes: { Enabled: 'true' } })),
    );
    expect(setGone.name).toBe('NotFoundException');
  });

  it('a refused SetEndpointAttributes changes nothing', async () => {
    const app = await createFcmApp();
    const token = deviceToken();
    const arn = await createEndpoint(app, token);
    const error = await failure(
      clients.sns.send(new SetEndpointAttributesCommand({ EndpointArn: arn, Attributes: { Token: deviceToken(), Enabled: 'yes' } })),
    );
    expect(error.name).toBe('InvalidParameterException');
    expect(await attributesOf(arn)).toEqual({ Enabled: 'true', Token: token });
  });
});

describe('ListEndpointsByPlatformApplication', () => {
  it('pages 100 at a time with NextToken, and skips nothing when endpoints are deleted between pages', async () => {
    const app = await createFcmApp();
    const created: string[] = [];
    for (let i = 0; i < 205; i += 1) created.push(await createEndpoint(app, `token-${i}-${randomUUID()}`));
    const seen: string[] = [];
    const sizes: number[] = [];
    let nextToken: string | undefined;
    do {
      const page = await clients.sns.send(
        new ListEndpointsByPlatformApplicationCommand({ PlatformApplicationArn: app, ...(nextToken ? { NextToken: nextToken } : {}) }),
      );
      const endpoints = page.Endpoints ?? [];
      sizes.push(endpoints.length);
      for (const endpoint of endpoints) {
        seen.push(endpoint.EndpointArn ?? '');
        expect(endpoint.Attributes?.['Enabled']).toBe('true');
      }
      nextToken = page.NextToken;
      // Delete an endpoint already listed: the next page must still start where it should.
      if (sizes.length === 1) await clients.sns.send(new DeleteEndpointCommand({ EndpointArn: created[0] }));
    } while (nextToken !== undefined);
    expect(sizes).toEqual([100, 100, 5]);
    expect(seen).toEqual(created);
  });

  it('refuses an unknown application and a made-up NextToken', async () => {
    const app = await createFcmApp();
    expect(
      (await failure(clients.sns.send(new ListEndpointsByPlatformApplicationCommand({ PlatformApplicationArn: `${app}x` })))).name,
    ).toBe('NotFoundException');
    expect(
      (
        await failure(
          clients.sns.send(new ListEndpointsByPlatformApplicationCommand({ PlatformApplicationArn: app, NextToken: 'nonsense' })),
        )
      ).name,
    ).toBe('InvalidParameterException');
  });
});

describe('Publish to a platform endpoint', () => {
  it('hands each platform its own payload, records TTL attributes, and leaves topic publishes to fauxqs', async () => {
    const apns = await createApnsApp(unique('apns'), 'APNS_SANDBOX');
    const fcm = await createFcmApp();
    const iosToken = deviceToken();
    const androidToken = deviceToken();
    const ios = await createEndpoint(apns, iosToken);
    const android = await createEndpoint(fcm, androidToken);
    const message = JSON.stringify({
      default: 'plain',
      APNS_SANDBOX: JSON.stringify({ aps: { alert: 'hi ios' } }),
      GCM: JSON.stringify({ fcmV1Message: { message: { notification: { body: 'hi android' } } } }),
    });
    const sentIos = await clients.sns.send(
      new PublishCommand({
        TargetArn: ios,
        Message: message,
        MessageStructure: 'json',
        MessageAttributes: { 'AWS.SNS.MOBILE.APNS_SANDBOX.TTL': { DataType: 'String', StringValue: '60' } },
      }),
    );
    const sentAndroid = await publishTo(android, message, 'json');
    const defaultOnly = await publishTo(android, JSON.stringify({ default: 'fallback' }), 'json');
    const raw = await publishTo(android, 'raw text');
    const topic = await clients.sns.send(new CreateTopicCommand({ Name: unique('topic') }));
    await clients.sns.send(new PublishCommand({ TopicArn: topic.TopicArn, Message: 'to the topic' }));

    const mine = local.push.deliveries().filter((d) => d.endpointArn === ios || d.endpointArn === android);
    expect(mine.map((d) => [d.messageId, d.platform, d.token, d.payload, d.outcome])).toEqual([
      [sentIos.MessageId, 'APNS_SANDBOX', iosToken, JSON.stringify({ aps: { alert: 'hi ios' } }), 'delivered'],
      [
        sentAndroid.MessageId,
        'GCM',
        androidToken,
        JSON.stringify({ fcmV1Message: { message: { notification: { body: 'hi android' } } } }),
        'delivered',
      ],
      [defaultOnly.MessageId, 'GCM', androidToken, 'fallback', 'delivered'],
      [raw.MessageId, 'GCM', androidToken, 'raw text', 'delivered'],
    ]);
    expect(mine[0]?.messageAttributes).toEqual({ 'AWS.SNS.MOBILE.APNS_SANDBOX.TTL': '60' });
    expect(local.push.deliveries().some((d) => d.payload === 'to the topic')).toBe(false);
  });

  it('refuses unknown endpoints and malformed structured messages with SNS messages', async () => {
    const app = await createFcmApp();
    const arn = await createEndpoint(app, deviceToken());
    const before = local.push.deliveries().length;
    const gone = await failure(publishTo(`${app.replace(':app/', ':endpoint/')}/${randomUUID()}`, 'x'));
    expect(gone.name).toBe('InvalidParameterException');
    expect(gone.message).toBe('Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified');
    expect((await failure(publishTo(arn, JSON.stringify({ GCM: '{}' }), 'json'))).message).toBe(
      'Invalid parameter: Message Structure - No default entry in JSON message body',
    );
    expect((await failure(publishTo(arn, '{not json', 'json'))).message).toBe(
      'Invalid parameter: Message Structure - JSON message body failed to parse',
    );
    expect((await failure(publishTo(arn, 'x'.repeat(262_145)))).message).toBe('Invalid parameter: Message too long');
    expect(local.push.deliveries().length).toBe(before);
  });

  it('fails with EndpointDisabled on a disabled endpoint', async () => {
    const app = await createFcmApp();
    const arn = await createEndpoint(app, deviceToken());
    await clients.sns.send(new SetEndpointAttributesCommand({ EndpointArn: arn, Attributes: { Enabled: 'false' } }));
    const error = await failure(publishTo(arn, 'x'));
    expect(error.name).toBe('EndpointDisabledException');
    expect(error.message).toBe('Endpoint is disabled');
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it('a token the push service rejects: accepted once, not delivered, endpoint disabled; re-enabling alone does not help', async () => {
    const app = await createApnsApp();
    const token = deviceToken();
    const arn = await createEndpoint(app, token);
    local.push.rejectToken(token);
    expect((await attributesOf(arn))['Enabled']).toBe('true');

    const accepted = await publishTo(arn, 'first');
    expect(accepted.MessageId).toBeTruthy();
    expect(local.push.deliveries().find((d) => d.messageId === accepted.MessageId)?.outcome).toBe('rejected');
    expect((await attributesOf(arn))['Enabled']).toBe('false');
    expect((await failure(publishTo(arn, 'second'))).name).toBe('EndpointDisabledException');

    // SNS docs: re-enabling without a valid token only gets the endpoint disabled again.
    await clients.sns.send(new SetEndpointAttributesCommand({ EndpointArn: arn, Attributes: { Enabled: 'true' } }));
    await publishTo(arn, 'third');
    expect((await attributesOf(arn))['Enabled']).toBe('false');

    // A new token and Enabled=true make it work again.
    const fresh = deviceToken();
    await clients.sns.send(new SetEndpointAttributesCommand({ EndpointArn: arn, Attributes: { Token: fresh, Enabled: 'true' } }));
    const delivered = await publishTo(arn, 'fourth');
    expect(local.push.deliveries().find((d) => d.messageId === delivered.MessageId)).toMatchObject({ outcome: 'delivered', token: fresh });

    // Accepting the old token again (app reinstalled, same token) works the same way.
    local.push.acceptToken(token);
    const again = await createEndpoint(app, token);
    const sent = await publishTo(again, 'fifth');
    expect(local.push.deliveries().find((d) => d.messageId === sent.MessageId)?.outcome).toBe('delivered');
  });

  it('applies injected faults to platform publishes like to any SNS action', async () => {
    const app = await createFcmApp();
    const arn = await createEndpoint(app, deviceToken());
    const before = local.push.deliveries().length;
    local.setFaults({ seed: 1, throttle: 1, services: ['sns'], actions: ['Publish'] });
    try {
      const error = await failure(publishTo(arn, 'x'));
      expect(error.name).toMatch(/^Throttl/);
    } finally {
      local.setFaults(undefined);
    }
    expect(local.push.deliveries().length).toBe(before);
  });
});

describe('control actions over HTTP (for examples in child processes)', () => {
  async function control(action: string, fields: Record<string, string> = {}): Promise<unknown> {
    const response = await fetch(local.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ Action: action, ...fields }).toString(),
    });
    expect(response.status).toBe(200);
    return response.json();
  }

  it('rejects a token and lists deliveries', async () => {
    const app = await createFcmApp();
    const token = deviceToken();
    const arn = await createEndpoint(app, token);
    expect(await control(PUSH_CONTROL_ACTIONS.rejectToken, { Token: token })).toEqual({ ok: true });
    const sent = await publishTo(arn, 'x');
    const listed = (await control(PUSH_CONTROL_ACTIONS.deliveries)) as { deliveries: { messageId: string; outcome: string }[] };
    expect(listed.deliveries.find((d) => d.messageId === sent.MessageId)?.outcome).toBe('rejected');
    expect(await control(PUSH_CONTROL_ACTIONS.acceptToken, { Token: token })).toEqual({ ok: true });
  });
});
