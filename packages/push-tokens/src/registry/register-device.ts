import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { redactToken } from '../redact-token.js';
import {
  createPlatformEndpoint,
  deletePlatformEndpoint,
  readPlatformEndpoint,
  setPlatformEndpoint,
} from './platform-endpoint-calls.js';
import { type RegistryContext, readDevice, readToken, toKey, writeTransaction } from './registry-context.js';
import { RegistrationConflictError } from './registry-errors.js';
import {
  type DeviceItem,
  deviceToItem,
  publicDevice,
  type RegisteredDevice,
  type TokenItem,
  tokenToItem,
} from './registry-items.js';
import { deviceKeyOf, tokenKeyOf } from './registry-table.js';
import { type ResolvedRegistration, resolveRegistration } from './registration-input.js';

/** What `register` is given: the app reports its current token after every launch and token refresh. */
export interface DeviceRegistration {
  /** The signed-in user. */
  readonly userId: string;
  /** A key of the registry's `platformApplications`, e.g. `'ios'` or `'android'`. */
  readonly platform: string;
  /** The device token the push service gave the app (APNs: hex digits, either case, stored and sent in lower case; FCM: the registration token, as given). */
  readonly token: string;
  /**
   * A stable id of the app installation (e.g. the Firebase installation id, or a UUID the app
   * keeps). With it, a new token of the same installation updates the same endpoint; without
   * it, a new token looks like a new device (the old endpoint is then disabled by SNS in time
   * and removed by `sweepDisabled`). Scoped to the user: another user cannot claim it.
   */
  readonly deviceId?: string;
}

/** Where the endpoint of a registration came from. */
export type EndpointSource =
  /** The endpoint the registry already had for this device or token. */
  | 'stored'
  /** `CreatePlatformEndpoint` returned it (new, or SNS's existing one with the same token and attributes). */
  | 'created'
  /** SNS answered that an endpoint with this token exists with other attributes; its ARN was taken from the answer. */
  | 'adopted'
  /** The stored endpoint was deleted in SNS; a new one was created. */
  | 'recreated';

/** An endpoint attribute `register` may set. */
export type EndpointAttributeName = 'Token' | 'Enabled' | 'CustomUserData';

/** Names one device record. */
export interface DeviceRecordKey {
  /** The user. */
  readonly userId: string;
  /** The device key within the user. */
  readonly deviceKey: string;
}

/** What `register` did. */
export interface RegistrationResult {
  /** The device as now stored. */
  readonly device: RegisteredDevice;
  /** Where its endpoint came from. */
  readonly endpoint: EndpointSource;
  /** Endpoint attributes set with `SetEndpointAttributes` (empty when the endpoint was current). */
  readonly updatedAttributes: readonly EndpointAttributeName[];
  /**
   * The device record removed because its token or endpoint now belongs to this device: another
   * user's (the device changed hands) or this user's under another key.
   */
  readonly movedFrom: DeviceRecordKey | undefined;
  /** The endpoint this device used before and that was deleted (its token is no longer the device's). */
  readonly replacedEndpointArn: string | undefined;
  /** `true` when nothing changed, in SNS or DynamoDB (a repeated call). */
  readonly unchanged: boolean;
}

/** How many times the SNS part re-checks an endpoint that disappears while it works on it. */
const MAX_ENDPOINT_ROUNDS = 3;

interface SyncedEndpoint {
  readonly arn: string;
  readonly source: EndpointSource;
  readonly updated: EndpointAttributeName[];
  /** Endpoints found deleted on the way. */
  readonly gone: readonly string[];
}

/**
 * The SNS half of AWS's token-management algorithm, from a known ARN or none: create when there
 * is none (taking the ARN from an "already exists" answer), read the attributes, create again
 * when the endpoint is gone, and set the token, `Enabled=true` and `CustomUserData` when they differ.
 */
async function syncEndpoint(
  context: RegistryContext,
  registration: ResolvedRegistration,
  knownArn: string | undefined,
  customUserData: string | undefined,
): Promise<SyncedEndpoint> {
  let arn = knownArn;
  let source: EndpointSource = 'stored';
  const goneArns: string[] = [];
  if (arn === undefined) {
    const created = await createPlatformEndpoint(context, registration.application.arn, registration.token, customUserData);
    arn = created.arn;
    source = created.how;
  }
  for (let round = 1; ; round += 1) {
    const state = await readPlatformEndpoint(context, arn, registration.token);
    let gone = state === 'gone';
    const updated: EndpointAttributeName[] = [];
    if (state !== 'gone') {
      const attributes: Record<string, string> = {};
      if (state.token !== registration.token) {
        attributes['Token'] = registration.token;
        updated.push('Token');
      }
      if (!state.enabled || updated.includes('Token')) {
        attributes['Enabled'] = 'true';
        updated.push('Enabled');
      }
      if (customUserData !== undefined && state.customUserData !== customUserData) {
        attributes['CustomUserData'] = customUserData;
        updated.push('CustomUserData');
      }
      if (updated.length > 0) gone = (await setPlatformEndpoint(context, arn, attributes)) === 'gone';
      if (!gone) return { arn, source, updated, gone: goneArns };
    }
    goneArns.push(arn);
    if (round >= MAX_ENDPOINT_ROUNDS) {
      throw new RegistrationConflictError(round);
    }
    context.logger.info('push-tokens: endpoint gone, creating it again', { endpointArn: arn, token: redactToken(registration.token) });
    const created = await createPlatformEndpoint(context, registration.application.arn, registration.token, customUserData);
    arn = created.arn;
    source = 'recreated';
  }
}

function sameOwner(token: TokenItem | undefined, userId: string, deviceKey: string): boolean {
  return token !== undefined && token.userId === userId && token.deviceKey === deviceKey;
}

/**
 * Registers a device token for a user, following AWS's token-management algorithm (see
 * `PushRegistry.register`).
 *
 * @param context - The registry.
 * @param input - The registration.
 * @returns What was done.
 */
export async function registerDevice(context: RegistryContext, input: DeviceRegistration): Promise<RegistrationResult> {
  const registration = resolveRegistration(context, input);
  const { userId, deviceKey, application, tokenHash } = registration;
  const customUserData = context.customUserData?.({ userId, deviceId: registration.deviceId, platform: registration.platform });

  for (let attempt = 1; attempt <= context.maxWriteAttempts; attempt += 1) {
    const [device, owner] = await Promise.all([
      readDevice(context, userId, deviceKey),
      readToken(context, application.arn, tokenHash),
    ]);
    const tokenChanged = device !== undefined && (device.applicationArn !== application.arn || device.tokenHash !== tokenHash);
    const previousOwner = tokenChanged ? await readToken(context, device.applicationArn, device.tokenHash) : undefined;

    // The endpoint to start from: the token's (one endpoint per token), else the device's own
    // (a token rotation updates the same endpoint), else none (create one).
    const knownArn = owner?.endpointArn ?? (device !== undefined && device.applicationArn === application.arn ? device.endpointArn : undefined);
    const synced = await syncEndpoint(context, registration, knownArn, customUserData);
    const now = context.clock.now();

    const nextDevice: DeviceItem = {
      userId,
      deviceKey,
      deviceId: registration.deviceId,
      platform: registration.platform,
      platformType: application.platform,
      applicationArn: application.arn,
      endpointArn: synced.arn,
      token: redactToken(registration.token),
      tokenHash,
      status: 'active',
      registeredAt: device?.registeredAt ?? now,
      updatedAt: now,
      disabledAt: undefined,
      disabledReason: undefined,
      version: (device?.version ?? 0) + 1,
    };
    const movedFrom = owner !== undefined && !sameOwner(owner, userId, deviceKey) ? { userId: owner.userId, deviceKey: owner.deviceKey } : undefined;
    const unchanged =
      synced.updated.length === 0 &&
      device !== undefined &&
      owner !== undefined &&
      movedFrom === undefined &&
      !tokenChanged &&
      device.status === 'active' &&
      device.endpointArn === synced.arn &&
      device.platform === registration.platform &&
      device.deviceId === registration.deviceId &&
      owner.endpointArn === synced.arn;
    if (unchanged) {
      return { device: publicDevice(device), endpoint: synced.source, updatedAttributes: [], movedFrom: undefined, replacedEndpointArn: undefined, unchanged: true };
    }

    const items: TransactWriteItem[] = [
      {
        Put: {
          TableName: context.tableName,
          Item: deviceToItem(nextDevice),
          ConditionExpression: device === undefined ? 'attribute_not_exists(pk)' : 'version = :version',
          ...(device === undefined ? {} : { ExpressionAttributeValues: { ':version': { N: String(device.version) } } }),
        },
      },
      {
        Put: {
          TableName: context.tableName,
          Item: tokenToItem({ applicationArn: application.arn, tokenHash, endpointArn: synced.arn, userId, deviceKey, version: (owner?.version ?? 0) + 1 }, now),
          ConditionExpression: owner === undefined ? 'attribute_not_exists(pk)' : 'version = :version',
          ...(owner === undefined ? {} : { ExpressionAttributeValues: { ':version': { N: String(owner.version) } } }),
        },
      },
    ];
    if (movedFrom !== undefined && owner !== undefined) {
      // The token belonged to another device record: remove it, unless it has moved on meanwhile.
      items.push({
        Delete: {
          TableName: context.tableName,
          Key: toKey(deviceKeyOf(owner.userId, owner.deviceKey)),
          ConditionExpression: 'attribute_not_exists(pk) OR endpointArn = :endpointArn',
          ExpressionAttributeValues: { ':endpointArn': { S: owner.endpointArn } },
        },
      });
    }
    const releasesOldToken = tokenChanged && sameOwner(previousOwner, userId, deviceKey) && previousOwner !== undefined;
    if (releasesOldToken) {
      items.push({
        Delete: {
          TableName: context.tableName,
          Key: toKey(tokenKeyOf(previousOwner.applicationArn, previousOwner.tokenHash)),
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': { N: String(previousOwner.version) } },
        },
      });
    }
    // The device's previous endpoint carries a token the device no longer has: delete it, so it
    // neither lingers until the account's endpoint limit nor reaches this device twice. Before
    // the write: if DeleteEndpoint fails, the record still names the endpoint and the next
    // `register` deletes it; deleted after the write, a failure would leave it unknown to the
    // registry for good. (If the write then loses a race, the next attempt reads again; an
    // endpoint found gone is created again, as always.)
    let replacedEndpointArn: string | undefined;
    if (
      device !== undefined &&
      device.endpointArn !== synced.arn &&
      !synced.gone.includes(device.endpointArn) &&
      (releasesOldToken || !tokenChanged)
    ) {
      await deletePlatformEndpoint(context, device.endpointArn);
      replacedEndpointArn = device.endpointArn;
    }
    if (!(await writeTransaction(context, items))) {
      context.logger.debug('push-tokens: registration lost a race, reading again', { userId, deviceKey, attempt });
      continue;
    }

    context.logger.info('push-tokens: device registered', {
      userId,
      deviceKey,
      endpointArn: synced.arn,
      endpoint: synced.source,
      updated: synced.updated,
      token: nextDevice.token,
      ...(movedFrom === undefined ? {} : { movedFromUserId: movedFrom.userId }),
    });
    return {
      device: publicDevice(nextDevice),
      endpoint: synced.source,
      updatedAttributes: synced.updated,
      movedFrom,
      replacedEndpointArn,
      unchanged: false,
    };
  }
  throw new RegistrationConflictError(context.maxWriteAttempts);
}
