import { randomUUID } from 'node:crypto';
import type { ServiceErrorDescription } from './error-responses.js';
import type { LocalResponse } from './local-response.js';
import { escapeXml } from './xml-escape.js';

/** One message attribute of a PublishBatch entry, as sent on the wire. */
export interface SnsWireAttribute {
  /** Attribute name. */
  readonly name: string;
  /** `String`, `Number`, `Binary`, `String.Array`, or a custom subtype. */
  readonly dataType: string;
  /** String value, if any. */
  readonly stringValue: string | undefined;
  /** Base64 binary value, if any. */
  readonly binaryValue: string | undefined;
}

/** One PublishBatch entry read from an awsQuery form body. */
export interface SnsBatchEntry {
  /** The member number in the form (`PublishBatchRequestEntries.member.N`). */
  readonly member: number;
  /** The entry's `Id` (empty string when missing). */
  readonly id: string;
  /** The entry's `Message` (empty string when missing). */
  readonly message: string;
  /** The entry's message attributes. */
  readonly attributes: readonly SnsWireAttribute[];
}

/** AWS's limits for one PublishBatch request. */
export const PUBLISH_BATCH_LIMITS = {
  /** Entries per request. */
  maxEntries: 10,
  /** Total payload bytes (bodies plus attribute names, types and values), inclusive. */
  maxTotalBytes: 262_144,
  /** Valid batch entry id. */
  idPattern: /^[A-Za-z0-9_-]{1,80}$/,
} as const;

const ENTRY_KEY = /^PublishBatchRequestEntries\.member\.(\d+)\.(.+)$/;
const ATTRIBUTE_KEY = /^MessageAttributes\.entry\.(\d+)\.(Name|Value\.DataType|Value\.StringValue|Value\.BinaryValue)$/;

/**
 * Reads the PublishBatch entries from an awsQuery form, in member order.
 *
 * @param form - The parsed form body.
 * @returns The entries.
 */
export function readPublishBatchEntries(form: URLSearchParams): SnsBatchEntry[] {
  const members = new Map<number, Map<string, string>>();
  for (const [key, value] of form) {
    const match = ENTRY_KEY.exec(key);
    if (match === null) continue;
    const member = Number(match[1]);
    const fields = members.get(member) ?? new Map<string, string>();
    fields.set(match[2] ?? '', value);
    members.set(member, fields);
  }
  return [...members.entries()]
    .sort(([a], [b]) => a - b)
    .map(([member, fields]) => ({
      member,
      id: fields.get('Id') ?? '',
      message: fields.get('Message') ?? '',
      attributes: readAttributes(fields),
    }));
}

function readAttributes(fields: Map<string, string>): SnsWireAttribute[] {
  const byIndex = new Map<number, Map<string, string>>();
  for (const [key, value] of fields) {
    const match = ATTRIBUTE_KEY.exec(key);
    if (match === null) continue;
    const index = Number(match[1]);
    const parts = byIndex.get(index) ?? new Map<string, string>();
    parts.set(match[2] ?? '', value);
    byIndex.set(index, parts);
  }
  return [...byIndex.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, parts]) => ({
      name: parts.get('Name') ?? '',
      dataType: parts.get('Value.DataType') ?? '',
      stringValue: parts.get('Value.StringValue'),
      binaryValue: parts.get('Value.BinaryValue'),
    }));
}

/**
 * The size AWS counts for one entry: UTF-8 bytes of the body plus, for every attribute,
 * the bytes of its name, data type and value (binary values counted decoded).
 *
 * @param entry - The entry.
 * @returns Its size in bytes.
 */
export function publishBatchEntryBytes(entry: SnsBatchEntry): number {
  let bytes = Buffer.byteLength(entry.message, 'utf8');
  for (const attribute of entry.attributes) {
    bytes += Buffer.byteLength(attribute.name, 'utf8') + Buffer.byteLength(attribute.dataType, 'utf8');
    if (attribute.stringValue !== undefined) bytes += Buffer.byteLength(attribute.stringValue, 'utf8');
    if (attribute.binaryValue !== undefined) bytes += Buffer.from(attribute.binaryValue, 'base64').length;
  }
  return bytes;
}

function senderError(code: string, message: string): ServiceErrorDescription {
  return { statusCode: 400, code, message, fault: 'Sender' };
}

/**
 * Checks the whole-request limits AWS enforces on PublishBatch and fauxqs 1.9.2 does not:
 * empty batch, more than 10 entries, duplicate or malformed ids, total size over 262,144 bytes.
 *
 * @param entries - The request's entries.
 * @returns The error AWS would answer with, or `undefined` when the request is within limits.
 */
export function checkPublishBatchLimits(entries: readonly SnsBatchEntry[]): ServiceErrorDescription | undefined {
  if (entries.length === 0) {
    return senderError('EmptyBatchRequest', 'The PublishBatch request has no entries; send between 1 and 10.');
  }
  if (entries.length > PUBLISH_BATCH_LIMITS.maxEntries) {
    return senderError(
      'TooManyEntriesInBatchRequest',
      `The PublishBatch request has ${entries.length} entries; at most ${PUBLISH_BATCH_LIMITS.maxEntries} are allowed. Split it into smaller requests.`,
    );
  }
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.id)) {
      return senderError(
        'BatchEntryIdsNotDistinct',
        `Two or more PublishBatch entries use the Id "${entry.id}"; Ids must be unique within a request.`,
      );
    }
    seen.add(entry.id);
  }
  for (const entry of entries) {
    if (!PUBLISH_BATCH_LIMITS.idPattern.test(entry.id)) {
      return senderError(
        'InvalidBatchEntryId',
        'A PublishBatch entry Id must be 1 to 80 characters of letters, digits, hyphens and underscores.',
      );
    }
  }
  const total = entries.reduce((sum, entry) => sum + publishBatchEntryBytes(entry), 0);
  if (total > PUBLISH_BATCH_LIMITS.maxTotalBytes) {
    return senderError(
      'BatchRequestTooLong',
      `The PublishBatch request is ${total} bytes; the total of all messages and attributes must be at most ${PUBLISH_BATCH_LIMITS.maxTotalBytes} bytes. Send fewer or smaller entries.`,
    );
  }
  return undefined;
}

/**
 * Builds a copy of the form that keeps only the given entries, renumbered from 1 in their original order.
 *
 * @param form - The original form.
 * @param keepMembers - Member numbers of the entries to keep.
 * @returns The new form.
 */
export function keepPublishBatchEntries(form: URLSearchParams, keepMembers: readonly number[]): URLSearchParams {
  const renumber = new Map<number, number>();
  [...keepMembers].sort((a, b) => a - b).forEach((member, position) => renumber.set(member, position + 1));
  const result = new URLSearchParams();
  for (const [key, value] of form) {
    const match = ENTRY_KEY.exec(key);
    if (match === null) {
      result.append(key, value);
      continue;
    }
    const next = renumber.get(Number(match[1]));
    if (next !== undefined) result.append(`PublishBatchRequestEntries.member.${next}.${match[2] ?? ''}`, value);
  }
  return result;
}

/** One failed entry to report in a batch response. */
export interface FailedBatchEntry {
  /** The entry's Id. */
  readonly id: string;
  /** Error code. */
  readonly code: string;
  /** Error message. */
  readonly message: string;
  /** Whether the caller is at fault. */
  readonly senderFault: boolean;
}

function failedMemberXml(entry: FailedBatchEntry): string {
  return (
    `<member><Id>${escapeXml(entry.id)}</Id><Code>${escapeXml(entry.code)}</Code>` +
    `<Message>${escapeXml(entry.message)}</Message><SenderFault>${entry.senderFault}</SenderFault></member>`
  );
}

/**
 * Adds failed entries to a PublishBatch response document from the emulator.
 *
 * @param xml - The emulator's PublishBatchResponse.
 * @param failed - Entries to add to `<Failed>`.
 * @returns The merged document, or `undefined` when the document has no recognisable `<Failed>` list.
 */
export function addFailedToPublishBatchXml(xml: string, failed: readonly FailedBatchEntry[]): string | undefined {
  const members = failed.map(failedMemberXml).join('');
  if (xml.includes('</Failed>')) return xml.replace('</Failed>', `${members}</Failed>`);
  if (xml.includes('<Failed/>')) return xml.replace('<Failed/>', `<Failed>${members}</Failed>`);
  if (xml.includes('</PublishBatchResult>')) {
    return xml.replace('</PublishBatchResult>', `<Failed>${members}</Failed></PublishBatchResult>`);
  }
  return undefined;
}

/**
 * A complete PublishBatch success response (HTTP 200) in which every entry failed.
 *
 * @param failed - The failed entries.
 * @returns The HTTP response.
 */
export function publishBatchAllFailedResponse(failed: readonly FailedBatchEntry[]): LocalResponse {
  const requestId = randomUUID();
  const xml =
    '<PublishBatchResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishBatchResult>' +
    `<Successful></Successful><Failed>${failed.map(failedMemberXml).join('')}</Failed>` +
    `</PublishBatchResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishBatchResponse>`;
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: Buffer.from(xml, 'utf8'),
  };
}
