import type { FailedBatchEntry } from './sns-publish-batch.js';

/** A parsed SendMessageBatch request body: only what the fault injector needs is typed. */
export interface SendMessageBatchBody {
  /** The request as parsed JSON. */
  readonly raw: Record<string, unknown>;
  /** The entries, each a JSON object with at least `Id`. */
  readonly entries: readonly Record<string, unknown>[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses a SendMessageBatch JSON body.
 *
 * @param body - The raw request body.
 * @returns The parsed body, or `undefined` when it is not a JSON object with an `Entries` array of objects.
 */
export function parseSendMessageBatch(body: Buffer): SendMessageBatchBody | undefined {
  const parsed = parseJsonObject(body);
  if (parsed === undefined) return undefined;
  const entries = parsed['Entries'];
  if (!Array.isArray(entries) || !entries.every(isRecord)) return undefined;
  return { raw: parsed, entries };
}

/**
 * The Id of an entry (empty string when missing or not a string).
 *
 * @param entry - One entry of the request.
 */
export function sendMessageBatchEntryId(entry: Record<string, unknown>): string {
  const id = entry['Id'];
  return typeof id === 'string' ? id : '';
}

/**
 * Serialises a copy of the request keeping only the entries at the given positions.
 *
 * @param request - The parsed request.
 * @param keep - Zero-based positions to keep.
 * @returns The new JSON body.
 */
export function keepSendMessageBatchEntries(request: SendMessageBatchBody, keep: ReadonlySet<number>): Buffer {
  const entries = request.entries.filter((_entry, index) => keep.has(index));
  return Buffer.from(JSON.stringify({ ...request.raw, Entries: entries }), 'utf8');
}

function failedJson(entry: FailedBatchEntry): Record<string, unknown> {
  return { Id: entry.id, SenderFault: entry.senderFault, Code: entry.code, Message: entry.message };
}

/**
 * Adds failed entries to a SendMessageBatch JSON response from the emulator.
 *
 * @param body - The emulator's response body.
 * @param failed - Entries to add to `Failed`.
 * @returns The merged body, or `undefined` when the body is not a JSON object.
 */
export function addFailedToSendMessageBatchJson(body: Buffer, failed: readonly FailedBatchEntry[]): Buffer | undefined {
  const parsed = parseJsonObject(body);
  if (parsed === undefined) return undefined;
  const existing = Array.isArray(parsed['Failed']) ? (parsed['Failed'] as unknown[]) : [];
  const successful = Array.isArray(parsed['Successful']) ? (parsed['Successful'] as unknown[]) : [];
  const merged = { ...parsed, Successful: successful, Failed: [...existing, ...failed.map(failedJson)] };
  return Buffer.from(JSON.stringify(merged), 'utf8');
}

/**
 * A complete SendMessageBatch response (HTTP 200) in which every entry failed.
 *
 * @param failed - The failed entries.
 * @returns The JSON body.
 */
export function sendMessageBatchAllFailedBody(failed: readonly FailedBatchEntry[]): Buffer {
  return Buffer.from(JSON.stringify({ Successful: [], Failed: failed.map(failedJson) }), 'utf8');
}

/** A JSON body parsed as an object, or `undefined` when it is not valid JSON or not an object. */
function parseJsonObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
