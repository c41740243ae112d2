import { isWellFormedUtf16 } from '@herald/core';
import type { EventBridgeEntry } from './eventbridge-types.js';

/** Why a `PutEvents` entry cannot be sent, found before sending it. */
export interface EventBridgeEntryProblem {
  /**
   * EventBridge's own per-entry codes: `'MalformedDetail'` when `Detail` is not a JSON object,
   * `'InvalidArgument'` for everything else.
   */
  code: 'InvalidArgument' | 'MalformedDetail';
  /** What is wrong and how to fix it. Names fields, never quotes the detail. */
  message: string;
}

/** Longest `Source`, in characters. */
const SOURCE_MAX_CHARACTERS = 256;
/** Longest `DetailType`, in characters. */
const DETAIL_TYPE_MAX_CHARACTERS = 128;
/** Deepest nesting of `Detail` that EventBridge processes. */
const DETAIL_MAX_DEPTH = 1_100;

function problem(code: EventBridgeEntryProblem['code'], message: string): EventBridgeEntryProblem {
  return { code, message };
}

function characterCount(text: string): number {
  let count = 0;
  for (const _character of text) count++;
  return count;
}

function checkText(field: string, value: unknown, maxCharacters: number | undefined): EventBridgeEntryProblem | undefined {
  if (typeof value !== 'string' || value === '') {
    return problem('InvalidArgument', `${field} is required: a non-empty string (Source, DetailType and Detail are all required by EventBridge).`);
  }
  if (!isWellFormedUtf16(value)) {
    return problem('InvalidArgument', `${field} contains an unpaired UTF-16 surrogate (half of a character such as an emoji), which cannot be encoded as UTF-8.`);
  }
  if (maxCharacters !== undefined && value.length > maxCharacters && characterCount(value) > maxCharacters) {
    return problem('InvalidArgument', `${field} must be at most ${maxCharacters} characters long.`);
  }
  return undefined;
}

/**
 * How deeply a JSON text nests objects and arrays, counted from its brackets outside strings.
 * Only called on text `JSON.parse` accepted.
 */
function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

function checkDetail(detail: unknown): EventBridgeEntryProblem | undefined {
  const wrong = checkText('Detail', detail, undefined);
  if (wrong !== undefined) return wrong;
  let parsed: unknown;
  try {
    parsed = JSON.parse(detail as string);
  } catch {
    return problem('MalformedDetail', 'Detail is not valid JSON; it must be a JSON object as text (for example JSON.stringify({ orderId: 42 })).');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return problem('MalformedDetail', 'Detail must be a JSON object (not an array, a string, a number or null); wrap the value in an object.');
  }
  if (jsonDepth(detail as string) > DETAIL_MAX_DEPTH) {
    return problem('MalformedDetail', `Detail nests deeper than ${DETAIL_MAX_DEPTH} levels, more than EventBridge processes; flatten it.`);
  }
  return undefined;
}

/**
 * Checks one `PutEvents` entry against what EventBridge would refuse for it, so it fails alone
 * and at once instead of being sent. Size is checked separately (see
 * {@link eventBridgeEntrySize}).
 *
 * Checks:
 * - `Source`: a non-empty string of at most 256 characters, not starting with `aws.` (reserved
 *   for AWS services; EventBridge refuses it from callers).
 * - `DetailType`: a non-empty string of at most 128 characters.
 * - `Detail`: a string holding a JSON object, nested at most 1,100 levels deep
 *   (`'MalformedDetail'` otherwise).
 * - `Resources` (if set): an array of non-empty strings. `Time` (if set): a valid `Date`.
 *   `EventBusName`, `TraceHeader` (if set): non-empty strings.
 * - Every string is well-formed UTF-16 (no unpaired surrogate).
 *
 * @param entry - The entry.
 * @returns `undefined` when the entry is valid, else the first problem found.
 *
 * @example
 * ```ts
 * validateEventBridgeEntry({ Source: 'shop', DetailType: 'OrderPlaced', Detail: '[1]' });
 * // { code: 'MalformedDetail', message: 'Detail must be a JSON object ...' }
 * ```
 */
export function validateEventBridgeEntry(entry: EventBridgeEntry): EventBridgeEntryProblem | undefined {
  if (typeof entry !== 'object' || entry === null) {
    return problem('InvalidArgument', 'The entry must be an object with Source, DetailType and Detail.');
  }
  const source: unknown = entry.Source;
  const wrongSource = checkText('Source', source, SOURCE_MAX_CHARACTERS);
  if (wrongSource !== undefined) return wrongSource;
  if ((source as string).startsWith('aws.')) {
    return problem('InvalidArgument', 'Source must not start with "aws." (reserved for events from AWS services); use your own prefix, e.g. "com.example.orders".');
  }
  const wrongType = checkText('DetailType', entry.DetailType, DETAIL_TYPE_MAX_CHARACTERS);
  if (wrongType !== undefined) return wrongType;
  const wrongDetail = checkDetail(entry.Detail);
  if (wrongDetail !== undefined) return wrongDetail;

  const resources: unknown = entry.Resources;
  if (resources !== undefined) {
    if (!Array.isArray(resources)) return problem('InvalidArgument', 'Resources must be an array of ARNs (strings).');
    for (const resource of resources as unknown[]) {
      if (typeof resource !== 'string' || resource === '' || !isWellFormedUtf16(resource)) {
        return problem('InvalidArgument', 'Resources must hold only non-empty, well-formed strings (ARNs).');
      }
    }
  }
  const time: unknown = entry.Time;
  if (time !== undefined && !(time instanceof Date && Number.isFinite(time.getTime()))) {
    return problem('InvalidArgument', 'Time must be a valid Date when set.');
  }
  for (const field of ['EventBusName', 'TraceHeader'] as const) {
    const value: unknown = entry[field];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '' || !isWellFormedUtf16(value)) {
      return problem('InvalidArgument', `${field} must be a non-empty, well-formed string when set.`);
    }
  }
  return undefined;
}
