import { PutEventsCommand, type PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import {
  guardLogger,
  isRetryableAwsError,
  silentLogger,
  type BatchAdapter,
  type EntryOutcome,
  type Logger,
} from '@herald/core';
import { eventBridgeEntrySize } from './eventbridge-entry-size.js';
import type { EventBridgeEntry, EventBridgePutEventsClient, EventBridgePutValue } from './eventbridge-types.js';
import { validateEventBridgeEntry } from './validate-eventbridge-entry.js';

/**
 * 262,144 bytes (256 KB): the default of `maxEntryBytes`, EventBridge's long-standing entry
 * limit. Event buses now accept entries of up to 1,048,576 bytes; raise `maxEntryBytes` to use
 * that.
 */
export const EVENTBRIDGE_MAX_ENTRY_BYTES = 262_144;
/** The largest `maxEntryBytes` accepted (1 MiB, EventBridge's current entry limit). */
export const EVENTBRIDGE_LARGEST_ENTRY_BYTES = 1_048_576;
/** Most entries in one `PutEvents` request. */
export const EVENTBRIDGE_MAX_BATCH_ENTRIES = 10;

/** Per-entry error codes EventBridge documents as retryable. */
const RETRYABLE_ENTRY_CODES = new Set(['InternalFailure', 'ThrottlingException']);

/** What {@link createEventBridgeAdapter} sends: an entry and the id its result carries. */
export interface EventBridgeAdapterInput {
  /** The caller's id for the event; never sent, used in messages about the entry. */
  id: string;
  /** The `PutEvents` entry. */
  entry: EventBridgeEntry;
}

/** Options of {@link createEventBridgeAdapter}. */
export interface EventBridgeAdapterOptions {
  /** A configured EventBridge client. */
  client: EventBridgePutEventsClient;
  /** A global endpoint's id (`EndpointId` of `PutEvents`), when you send through one. */
  endpointId?: string | undefined;
  /**
   * Largest entry, in bytes, as EventBridge sizes it (see {@link eventBridgeEntrySize}),
   * inclusive; also the limit of the sum of a request's entries. Default 262,144; at most
   * 1,048,576.
   */
  maxEntryBytes?: number | undefined;
  /** Told when EventBridge answers inconsistently (counts only, never event contents). */
  logger?: Logger | undefined;
}

/** Whether an entry failure with this code may succeed when sent again. */
function retryableEntryCode(code: string): boolean {
  return RETRYABLE_ENTRY_CODES.has(code) || isRetryableAwsError({ name: code });
}

function hasText(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/**
 * Reads a `PutEvents` answer. `Entries` answers by position: the i-th result is the i-th entry
 * sent, so it is only trusted when it has exactly one result per entry sent.
 *
 * - Result with an `ErrorCode`: the entry failed; retried if the code is transient
 *   (`InternalFailure`, `ThrottlingException`, other throttling or 5xx codes), else final with
 *   `senderFault: true`.
 * - Result with an `EventId` and no `ErrorCode`: accepted, unless the answer's `FailedEntryCount`
 *   says more entries failed than it shows: then no success in it can be trusted.
 * - Anything else (no `Entries`, a different number of them, a result with neither field, or a
 *   distrusted success): `'UnconfirmedResult'`, retried like a lost answer. EventBridge may
 *   have accepted such an event, so a retry can deliver it twice; nothing is lost.
 */
function readResults(
  entryIds: readonly string[],
  results: readonly PutEventsResultEntry[] | undefined,
  failedEntryCount: number | undefined,
  logger: Logger,
): EntryOutcome<EventBridgePutValue>[] {
  const sent = entryIds.length;
  const unconfirmed = (id: string, why: string): EntryOutcome<EventBridgePutValue> => ({
    id,
    ok: false,
    code: 'UnconfirmedResult',
    message: `EventBridge PutEvents answered inconsistently (${why}), so whether this event was accepted is unknown; it is sent again (it may be delivered twice).`,
    senderFault: false,
    retryable: true,
  });

  if (results === undefined || results.length !== sent) {
    const why = `${results?.length ?? 0} results for ${sent} entries sent`;
    logger.warn(`EventBridge PutEvents answered with ${why}; every entry of the request is retried.`, {
      sent,
      results: results?.length ?? 0,
      failedEntryCount,
    });
    return entryIds.map((id) => unconfirmed(id, why));
  }

  let shownFailures = 0;
  for (const result of results) if (hasText(result?.ErrorCode)) shownFailures++;
  const claimed = typeof failedEntryCount === 'number' && Number.isFinite(failedEntryCount) ? failedEntryCount : shownFailures;
  const distrustSuccesses = claimed > shownFailures;
  if (claimed !== shownFailures) {
    logger.warn(
      `EventBridge PutEvents answered FailedEntryCount ${claimed} but ${shownFailures} entries with an ErrorCode${distrustSuccesses ? '; its successes are not trusted and are retried' : ''}.`,
      { sent, failedEntryCount: claimed, shownFailures },
    );
  }

  const outcomes: EntryOutcome<EventBridgePutValue>[] = [];
  for (let i = 0; i < sent; i++) {
    const id = entryIds[i] as string;
    const result = results[i];
    const code: unknown = result?.ErrorCode;
    if (hasText(code)) {
      const retryable = retryableEntryCode(code);
      outcomes.push({
        id,
        ok: false,
        code,
        message: hasText(result?.ErrorMessage) ? result.ErrorMessage : `EventBridge refused the entry with ${code}.`,
        senderFault: !retryable,
        retryable,
      });
    } else if (hasText(result?.EventId) && !distrustSuccesses) {
      outcomes.push({ id, ok: true, value: { eventId: result.EventId } });
    } else if (hasText(result?.EventId)) {
      outcomes.push(unconfirmed(id, `FailedEntryCount ${claimed} but ${shownFailures} entries with an ErrorCode`));
    } else {
      outcomes.push(unconfirmed(id, 'a result with neither EventId nor ErrorCode'));
    }
  }
  return outcomes;
}

/**
 * The `@herald/core` batch adapter for EventBridge `PutEvents`: validates and sizes each entry
 * (see {@link validateEventBridgeEntry} and {@link eventBridgeEntrySize}), sends up to 10
 * entries per request, and maps the positional `Entries` of the answer back to the engine's
 * batch ids, checking `FailedEntryCount` against them.
 *
 * Per-entry failures with `InternalFailure`, `ThrottlingException` (or another throttling or
 * transient code) are retried alone; the others (`InvalidArgument`, `MalformedDetail`,
 * `AccessDeniedException`, `NotAuthorizedForSourceException`, …) are final, with
 * `senderFault: true`. An answer that does not account for every entry never loses one: the
 * entries it leaves unconfirmed are retried (see `'UnconfirmedResult'`), and every entry still
 * ends in exactly one result.
 *
 * @param options - Client, endpoint, limits and logger.
 * @returns The adapter, for `createBatcher`.
 *
 * @example
 * ```ts
 * const batcher = createBatcher(createEventBridgeAdapter({ client: eventBridge }));
 * const result = await batcher.add({
 *   id: 'order-1',
 *   entry: { EventBusName: 'orders', Source: 'com.example.shop', DetailType: 'OrderPlaced', Detail: '{"orderId":1}' },
 * });
 * await batcher.close();
 * ```
 */
export function createEventBridgeAdapter(
  options: EventBridgeAdapterOptions,
): BatchAdapter<EventBridgeAdapterInput, EventBridgeEntry, EventBridgePutValue> {
  const { client, endpointId } = options;
  if (typeof client?.send !== 'function') {
    throw new TypeError('createEventBridgeAdapter: client must be an EventBridgeClient (or an object with its send method).');
  }
  if (endpointId !== undefined && !hasText(endpointId)) {
    throw new TypeError('createEventBridgeAdapter: endpointId must be a non-empty string when set.');
  }
  const maxEntryBytes = options.maxEntryBytes ?? EVENTBRIDGE_MAX_ENTRY_BYTES;
  if (!Number.isInteger(maxEntryBytes) || maxEntryBytes < 1 || maxEntryBytes > EVENTBRIDGE_LARGEST_ENTRY_BYTES) {
    throw new RangeError(
      `maxEntryBytes must be an integer from 1 to ${EVENTBRIDGE_LARGEST_ENTRY_BYTES} (EventBridge's largest entry), got ${String(maxEntryBytes)}.`,
    );
  }
  const logger = options.logger === undefined ? silentLogger : guardLogger(options.logger);

  return {
    service: 'EventBridge PutEvents',
    maxEntries: EVENTBRIDGE_MAX_BATCH_ENTRIES,
    maxRequestBytes: maxEntryBytes,
    maxEntryBytes,

    prepare({ id, entry }) {
      const problem = validateEventBridgeEntry(entry);
      if (problem !== undefined) return { ok: false, code: problem.code, message: problem.message, label: id };
      const bytes = eventBridgeEntrySize(entry);
      if (bytes > maxEntryBytes) {
        return {
          ok: false,
          code: 'EntryTooLarge',
          message: `The entry is ${bytes} bytes (Source, DetailType, Detail and Resources in UTF-8, plus 14 for Time); the limit is ${maxEntryBytes} bytes. Make Detail smaller, or store the payload elsewhere (e.g. S3) and send a reference.`,
          label: id,
        };
      }
      return { ok: true, entry, bytes, label: id };
    },

    async send(entries, signal) {
      const command = new PutEventsCommand({
        Entries: entries.map((item) => item.entry),
        ...(endpointId === undefined ? {} : { EndpointId: endpointId }),
      });
      const output = await client.send(command, signal === undefined ? undefined : { abortSignal: signal });
      const results: unknown = output?.Entries;
      return readResults(
        entries.map((item) => item.id),
        Array.isArray(results) ? (results as PutEventsResultEntry[]) : undefined,
        output?.FailedEntryCount,
        logger,
      );
    },
  };
}
