import { eventBusNameOf } from './eventbridge-arns.js';
import { isJsonObject, parseEventBridgeInput } from './eventbridge-input.js';
import { validationError } from './eventbridge-responses.js';

/** AWS's PutEvents limits. */
export const PUT_EVENTS_LIMITS = {
  /** Entries per request. */
  maxEntries: 10,
  /**
   * Largest entry, and largest total of all entries of a request, in bytes (inclusive): 256 KiB,
   * the limit AWS documents for PutEvents entries.
   */
  maxEntryBytes: 262_144,
  /** What AWS counts for an entry's `Time`, when it is given. */
  timeBytes: 14,
} as const;

/** A parsed PutEvents request: the raw object and its entries as sent. */
export interface PutEventsRequest {
  /** The request as parsed JSON. */
  readonly raw: Readonly<Record<string, unknown>>;
  /** The `Entries` as sent (each should be an object; anything else fails its own check). */
  readonly entries: readonly unknown[];
}

/** An entry that passed every check, ready to be accepted. */
export interface ValidPutEventsEntry {
  /** `Source`. */
  readonly source: string;
  /** `DetailType`. */
  readonly detailType: string;
  /** `Detail`, the JSON text as sent. */
  readonly detail: string;
  /** `Detail`, parsed (always a JSON object). */
  readonly detailObject: Readonly<Record<string, unknown>>;
  /** `Resources` (empty when none were sent). */
  readonly resources: readonly string[];
  /** `Time` in epoch ms, when the entry gave one. */
  readonly timeMs: number | undefined;
  /** The bus name (an ARN in `EventBusName` is reduced to its name; `default` when absent). */
  readonly eventBusName: string;
}

/** The outcome of one entry's own checks. */
export type PutEventsEntryCheck =
  | { readonly ok: true; readonly entry: ValidPutEventsEntry }
  | { readonly ok: false; readonly errorCode: string; readonly errorMessage: string };

/** One `Entries[]` element of a PutEvents answer. */
export type PutEventsResultEntry = { readonly EventId: string } | { readonly ErrorCode: string; readonly ErrorMessage: string };

/**
 * Parses a PutEvents body.
 *
 * @param body - The raw JSON body.
 * @returns The request.
 * @throws `ValidationException` when `Entries` is missing or not a list.
 */
export function parsePutEvents(body: Buffer): PutEventsRequest {
  const raw = parseEventBridgeInput(body);
  const entries = raw['Entries'];
  if (!Array.isArray(entries)) {
    throw validationError("1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null");
  }
  return { raw, entries };
}

function stringBytes(value: unknown): number {
  return typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0;
}

/**
 * The size AWS counts for one entry: the UTF-8 bytes of `Source`, `DetailType`, `Detail` and
 * each `Resources` element, plus 14 when `Time` is given. (`EventBusName` and `TraceHeader`
 * do not count.)
 *
 * @param entry - One entry as sent.
 * @returns Its size in bytes.
 */
export function putEventsEntryBytes(entry: unknown): number {
  if (!isJsonObject(entry)) return 0;
  let bytes = stringBytes(entry['Source']) + stringBytes(entry['DetailType']) + stringBytes(entry['Detail']);
  const resources = entry['Resources'];
  if (Array.isArray(resources)) for (const resource of resources) bytes += stringBytes(resource);
  if (entry['Time'] !== undefined && entry['Time'] !== null) bytes += PUT_EVENTS_LIMITS.timeBytes;
  return bytes;
}

/**
 * The whole-request checks, which fail the request as a whole (HTTP 400 `ValidationException`,
 * nothing accepted): 1 to 10 entries, and at most `maxEntryBytes` for all entries together
 * (so also for any one entry).
 *
 * @param request - The parsed request.
 * @param maxEntryBytes - The size limit.
 * @throws `ValidationException` with AWS's message.
 */
export function checkPutEventsRequest(request: PutEventsRequest, maxEntryBytes: number): void {
  const count = request.entries.length;
  if (count < 1) {
    throw validationError(
      "1 validation error detected: Value '[]' at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  if (count > PUT_EVENTS_LIMITS.maxEntries) {
    // AWS prints every entry inside Value '[...]'; the entries are left out here.
    throw validationError(
      `1 validation error detected: Value '[PutEventsRequestEntry]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${PUT_EVENTS_LIMITS.maxEntries}`,
    );
  }
  const total = request.entries.reduce<number>((sum, entry) => sum + putEventsEntryBytes(entry), 0);
  if (total > maxEntryBytes) throw validationError('Total size of the entries in the request is over the limit.');
}

function invalidArgument(parameter: string, reason: string): PutEventsEntryCheck {
  return { ok: false, errorCode: 'InvalidArgument', errorMessage: `Parameter ${parameter} is not valid. Reason: ${reason}` };
}

function requiredEntryString(entry: Record<string, unknown>, key: string): string | PutEventsEntryCheck {
  const value = entry[key];
  if (value === undefined || value === null || value === '') return invalidArgument(key, `${key} is a required argument.`);
  if (typeof value !== 'string') return invalidArgument(key, `${key} must be a string.`);
  return value;
}

function timeMsOf(value: unknown): number | undefined | PutEventsEntryCheck {
  if (value === undefined || value === null) return undefined;
  // JSON 1.1 sends timestamps as epoch seconds (a number, fractions allowed).
  if (typeof value === 'number' && Number.isFinite(value)) return Math.round(value * 1000);
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return Date.parse(value);
  return invalidArgument('Time', 'Time must be a timestamp.');
}

/**
 * The checks AWS makes on each entry, which fail only that entry (positional `ErrorCode` /
 * `ErrorMessage`, counted in `FailedEntryCount`), in this order: `Source`, `DetailType` and
 * `Detail` present (`InvalidArgument`), `Detail` a JSON object (`MalformedDetail`), the bus
 * exists (`ResourceNotFoundException`).
 *
 * @param entry - One entry as sent.
 * @param busExists - Whether a bus of that name exists.
 * @returns The valid entry, or its error.
 */
export function checkPutEventsEntry(entry: unknown, busExists: (name: string) => boolean): PutEventsEntryCheck {
  const fields = isJsonObject(entry) ? entry : {};
  const source = requiredEntryString(fields, 'Source');
  if (typeof source !== 'string') return source;
  const detailType = requiredEntryString(fields, 'DetailType');
  if (typeof detailType !== 'string') return detailType;
  const detail = requiredEntryString(fields, 'Detail');
  if (typeof detail !== 'string') return detail;
  let detailObject: unknown;
  try {
    detailObject = JSON.parse(detail);
  } catch {
    detailObject = undefined;
  }
  if (!isJsonObject(detailObject)) return { ok: false, errorCode: 'MalformedDetail', errorMessage: 'Detail is malformed.' };
  const resourcesValue = fields['Resources'];
  if (resourcesValue !== undefined && resourcesValue !== null) {
    if (!Array.isArray(resourcesValue) || !resourcesValue.every((resource) => typeof resource === 'string')) {
      return invalidArgument('Resources', 'Resources must be a list of strings.');
    }
  }
  const resources = (resourcesValue ?? []) as string[];
  const timeMs = timeMsOf(fields['Time']);
  if (typeof timeMs === 'object') return timeMs;
  const busValue = fields['EventBusName'];
  if (busValue !== undefined && busValue !== null && typeof busValue !== 'string') {
    return invalidArgument('EventBusName', 'EventBusName must be a string.');
  }
  const eventBusName = eventBusNameOf(busValue ?? undefined);
  if (!busExists(eventBusName)) {
    return { ok: false, errorCode: 'ResourceNotFoundException', errorMessage: `Event bus ${eventBusName} does not exist.` };
  }
  return { ok: true, entry: { source, detailType, detail, detailObject, resources, timeMs, eventBusName } };
}

/**
 * Serialises a copy of the request keeping only the entries at the given positions.
 *
 * @param request - The parsed request.
 * @param keep - Zero-based positions to keep.
 * @returns The new JSON body.
 */
export function keepPutEventsEntries(request: PutEventsRequest, keep: ReadonlySet<number>): Buffer {
  const entries = request.entries.filter((_entry, index) => keep.has(index));
  return Buffer.from(JSON.stringify({ ...request.raw, Entries: entries }), 'utf8');
}

/**
 * Puts failures back at their positions in a PutEvents answer made for the other entries,
 * and adds them to `FailedEntryCount`.
 *
 * @param body - The answer for the kept entries, in their order.
 * @param total - Entries in the original request.
 * @param failed - Original position → the failure to report there.
 * @returns The merged body, or `undefined` when the answer is not a PutEvents result.
 */
export function mergePutEventsFailures(
  body: Buffer,
  total: number,
  failed: ReadonlyMap<number, PutEventsResultEntry>,
): Buffer | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isJsonObject(parsed) || !Array.isArray(parsed['Entries']) || typeof parsed['FailedEntryCount'] !== 'number') return undefined;
  const kept = parsed['Entries'] as unknown[];
  if (kept.length + failed.size !== total) return undefined;
  const entries: unknown[] = [];
  let next = 0;
  for (let index = 0; index < total; index += 1) {
    const failure = failed.get(index);
    if (failure !== undefined) entries.push(failure);
    else entries.push(kept[next++]);
  }
  return Buffer.from(JSON.stringify({ ...parsed, FailedEntryCount: parsed['FailedEntryCount'] + failed.size, Entries: entries }), 'utf8');
}

/**
 * A PutEvents output in which every entry failed.
 *
 * @param failures - One failure per entry, in order.
 * @returns The output shape.
 */
export function putEventsAllFailedOutput(failures: readonly PutEventsResultEntry[]): Record<string, unknown> {
  return { FailedEntryCount: failures.length, Entries: failures };
}
