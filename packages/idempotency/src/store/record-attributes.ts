import { utf8ByteLength } from '@herald/core';
import type { IdempotencyRecord } from '../record.js';

/** DynamoDB's item size limit: 400 KB, counted as 409,600 bytes. */
export const DYNAMODB_MAX_ITEM_BYTES = 400 * 1024;

/** Names of the attributes a record is stored in. Only the key and TTL names are configurable. */
export interface RecordAttributeNames {
  readonly key: string;
  readonly expiresAt: string;
  readonly status: string;
  readonly inProgressExpiresAt: string;
  readonly payloadHash: string;
  readonly result: string;
  readonly lockToken: string;
}

/** The attribute names used unless `keyAttr` / `ttlAttr` say otherwise. */
export const DEFAULT_ATTRIBUTE_NAMES: RecordAttributeNames = {
  key: 'id',
  expiresAt: 'expiration',
  status: 'status',
  inProgressExpiresAt: 'inProgressExpiration',
  payloadHash: 'payloadHash',
  result: 'result',
  lockToken: 'lockToken',
};

/** One record as attribute name → string or number, leaving out absent fields. */
export function recordToAttributes(
  record: IdempotencyRecord,
  names: RecordAttributeNames,
): Record<string, string | number> {
  const attributes: Record<string, string | number> = {
    [names.key]: record.key,
    [names.status]: record.status,
    [names.expiresAt]: record.expiresAt,
    [names.lockToken]: record.lockToken,
  };
  if (record.inProgressExpiresAt !== undefined) attributes[names.inProgressExpiresAt] = record.inProgressExpiresAt;
  if (record.payloadHash !== undefined) attributes[names.payloadHash] = record.payloadHash;
  if (record.result !== undefined) attributes[names.result] = record.result;
  return attributes;
}

/**
 * Size of a record the way DynamoDB counts an item: UTF-8 bytes of every attribute name plus
 * its value; a number takes about one byte per two significant digits, plus one.
 */
export function recordSizeBytes(record: IdempotencyRecord, names: RecordAttributeNames): number {
  let size = 0;
  for (const [name, value] of Object.entries(recordToAttributes(record, names))) {
    size += utf8ByteLength(name);
    size += typeof value === 'number' ? Math.ceil(String(Math.abs(value)).replace('.', '').length / 2) + 1 : utf8ByteLength(value);
  }
  return size;
}
