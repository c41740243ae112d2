import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { PushPlatform } from '../platform/platform-application.js';
import { RegistryItemError } from './registry-errors.js';
import {
  DISABLED_AT_ATTRIBUTE,
  DISABLED_PARTITION_ATTRIBUTE,
  DISABLED_PARTITION_VALUE,
  deviceKeyOf,
  tokenKeyOf,
} from './registry-table.js';

/** Why a device was marked inactive. */
export type DisabledReason =
  /** SNS answered `EndpointDisabled`: the push service reported the token invalid (app uninstalled, token expired). */
  | 'endpoint-disabled'
  /** The endpoint no longer exists in SNS (deleted outside the registry). */
  | 'endpoint-deleted';

/** A device as the registry stores it: one SNS endpoint of one user. Never holds the token itself. */
export interface RegisteredDevice {
  /** The user the device belongs to. */
  readonly userId: string;
  /** The device's key within the user: `id:<deviceId>`, or `token:<hash>` when registered without a device id. */
  readonly deviceKey: string;
  /** The device id given at registration, if any. */
  readonly deviceId: string | undefined;
  /** The platform name it was registered with (a key of `platformApplications`, e.g. `ios`). */
  readonly platform: string;
  /** The SNS platform of its application. */
  readonly platformType: PushPlatform;
  /** The platform application's ARN. */
  readonly applicationArn: string;
  /** The SNS endpoint's ARN. */
  readonly endpointArn: string;
  /** The device token, redacted to its last 6 characters (`…3f9a2c`). */
  readonly token: string;
  /** `active`: notifications are sent; `inactive`: SNS reported the endpoint disabled or gone, sends skip it. */
  readonly status: 'active' | 'inactive';
  /** When it was first registered (epoch ms). */
  readonly registeredAt: number;
  /** When its record last changed (epoch ms). */
  readonly updatedAt: number;
  /** When it was marked inactive (epoch ms), if it is. */
  readonly disabledAt: number | undefined;
  /** Why it was marked inactive, if it is. */
  readonly disabledReason: DisabledReason | undefined;
}

/** A device item as read, with the fields the registry needs to write it back conditionally. */
export interface DeviceItem extends RegisteredDevice {
  /** SHA-256 (hex) of the token. */
  readonly tokenHash: string;
  /** Incremented by every write; conditional writes compare it. */
  readonly version: number;
}

/** The item naming which device owns a token of an application (so a token has one owner). */
export interface TokenItem {
  /** The application's ARN. */
  readonly applicationArn: string;
  /** SHA-256 (hex) of the token. */
  readonly tokenHash: string;
  /** The endpoint with this token. */
  readonly endpointArn: string;
  /** The owning user. */
  readonly userId: string;
  /** The owning device's key. */
  readonly deviceKey: string;
  /** Incremented by every write. */
  readonly version: number;
}

type Item = Record<string, AttributeValue>;

function text(item: Item, name: string, what: string): string {
  const value = item[name]?.S;
  if (value === undefined) throw new RegistryItemError(`The registry item ${what} has no string attribute "${name}"; is the table shared with other data?`);
  return value;
}

function number(item: Item, name: string, what: string): number {
  const value = Number(item[name]?.N);
  if (item[name]?.N === undefined || !Number.isFinite(value)) {
    throw new RegistryItemError(`The registry item ${what} has no number attribute "${name}"; is the table shared with other data?`);
  }
  return value;
}

/**
 * Reads a device item.
 *
 * @param item - The DynamoDB item.
 * @returns The device. Throws {@link RegistryItemError} for an item the registry did not write.
 */
export function deviceFromItem(item: Item): DeviceItem {
  const what = `${item['pk']?.S ?? '?'} / ${item['sk']?.S ?? '?'}`;
  const status = text(item, 'status', what);
  if (status !== 'active' && status !== 'inactive') throw new RegistryItemError(`The registry item ${what} has an unknown status "${status}".`);
  const platformType = text(item, 'platformType', what);
  if (platformType !== 'APNS' && platformType !== 'APNS_SANDBOX' && platformType !== 'GCM') {
    throw new RegistryItemError(`The registry item ${what} has an unknown platformType "${platformType}".`);
  }
  const reason = item['disabledReason']?.S;
  return {
    userId: text(item, 'userId', what),
    deviceKey: text(item, 'deviceKey', what),
    deviceId: item['deviceId']?.S,
    platform: text(item, 'platform', what),
    platformType,
    applicationArn: text(item, 'applicationArn', what),
    endpointArn: text(item, 'endpointArn', what),
    token: text(item, 'token', what),
    tokenHash: text(item, 'tokenHash', what),
    status,
    registeredAt: number(item, 'registeredAt', what),
    updatedAt: number(item, 'updatedAt', what),
    disabledAt: item[DISABLED_AT_ATTRIBUTE]?.N === undefined ? undefined : number(item, DISABLED_AT_ATTRIBUTE, what),
    disabledReason: reason === 'endpoint-disabled' || reason === 'endpoint-deleted' ? reason : undefined,
    version: number(item, 'version', what),
  };
}

/**
 * Writes a device item: an active one without the disabled-index attributes, an inactive one
 * with them (so it appears in the sparse index `sweepDisabled` reads).
 *
 * @param device - The device.
 * @returns The DynamoDB item.
 */
export function deviceToItem(device: DeviceItem): Item {
  const key = deviceKeyOf(device.userId, device.deviceKey);
  const item: Item = {
    pk: { S: key.pk },
    sk: { S: key.sk },
    itemType: { S: 'device' },
    userId: { S: device.userId },
    deviceKey: { S: device.deviceKey },
    platform: { S: device.platform },
    platformType: { S: device.platformType },
    applicationArn: { S: device.applicationArn },
    endpointArn: { S: device.endpointArn },
    token: { S: device.token },
    tokenHash: { S: device.tokenHash },
    status: { S: device.status },
    registeredAt: { N: String(device.registeredAt) },
    updatedAt: { N: String(device.updatedAt) },
    version: { N: String(device.version) },
  };
  if (device.deviceId !== undefined) item['deviceId'] = { S: device.deviceId };
  if (device.status === 'inactive') {
    item[DISABLED_PARTITION_ATTRIBUTE] = { S: DISABLED_PARTITION_VALUE };
    item[DISABLED_AT_ATTRIBUTE] = { N: String(device.disabledAt ?? device.updatedAt) };
    if (device.disabledReason !== undefined) item['disabledReason'] = { S: device.disabledReason };
  }
  return item;
}

/**
 * The public view of a device item (without the token hash and version).
 *
 * @param device - The stored device.
 * @returns The device as callers see it.
 */
export function publicDevice(device: DeviceItem): RegisteredDevice {
  const { tokenHash: _hash, version: _version, ...visible } = device;
  return visible;
}

/**
 * Reads a token item.
 *
 * @param item - The DynamoDB item.
 * @returns The token ownership.
 */
export function tokenFromItem(item: Item): TokenItem {
  const what = `${item['pk']?.S ?? '?'} / ${item['sk']?.S ?? '?'}`;
  return {
    applicationArn: text(item, 'applicationArn', what),
    tokenHash: text(item, 'tokenHash', what),
    endpointArn: text(item, 'endpointArn', what),
    userId: text(item, 'userId', what),
    deviceKey: text(item, 'deviceKey', what),
    version: number(item, 'version', what),
  };
}

/**
 * Writes a token item.
 *
 * @param token - The token ownership.
 * @param now - Current time (epoch ms), stored as `updatedAt`.
 * @returns The DynamoDB item.
 */
export function tokenToItem(token: TokenItem, now: number): Item {
  const key = tokenKeyOf(token.applicationArn, token.tokenHash);
  return {
    pk: { S: key.pk },
    sk: { S: key.sk },
    itemType: { S: 'token' },
    applicationArn: { S: token.applicationArn },
    tokenHash: { S: token.tokenHash },
    endpointArn: { S: token.endpointArn },
    userId: { S: token.userId },
    deviceKey: { S: token.deviceKey },
    updatedAt: { N: String(now) },
    version: { N: String(token.version) },
  };
}
