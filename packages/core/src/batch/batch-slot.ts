import type { SlotList, SlotListNode } from './slot-list.js';
import type { BatchResult } from './types.js';
import type { OrderingKeyState } from './ordering-key-state.js';

/**
 * Where an entry is in its life:
 * - `waiting`: added while `maxQueued` entries were pending; waits for admission.
 * - `queued`: ordered mode only; behind an earlier entry of its key.
 * - `ready`: in the buffer, may go into the next request.
 * - `forming`: taken into a request that waits for rate-limit tokens.
 * - `inFlight`: its request was sent and has not answered.
 * - `backoff`: failed transiently; waits for its retry time.
 * - `done`: has its result.
 */
export type SlotState = 'waiting' | 'queued' | 'ready' | 'forming' | 'inFlight' | 'backoff' | 'done';

/** The last failure of an entry, kept for retries and for its final result. */
export interface SlotFailure {
  /** Error code. */
  code: string;
  /** Error message. */
  message: string;
  /** Whether the entry itself was at fault. */
  senderFault: boolean;
  /** The underlying error, for whole-request failures. */
  cause?: unknown;
}

/**
 * The engine's record of one accepted entry. One object per entry, with the list links in it,
 * so scheduling allocates nothing else per entry.
 */
export class BatchSlot<TEntry, TValue> implements SlotListNode<BatchSlot<TEntry, TValue>> {
  /** Previous node in the list the slot is in. */
  prev: BatchSlot<TEntry, TValue> | undefined = undefined;
  /** Next node in the list the slot is in. */
  next: BatchSlot<TEntry, TValue> | undefined = undefined;
  /** The list the slot is in (buffer, key queue or admission queue), if any. */
  list: SlotList<BatchSlot<TEntry, TValue>> | undefined = undefined;
  /** Where the entry is; see {@link SlotState}. */
  state: SlotState = 'waiting';
  /** Sends so far. */
  attempts = 0;
  /** When the entry last entered the buffer (epoch ms); linger counts from the oldest. */
  readyAt = 0;
  /** Order in which the entry last entered the buffer (linger bookkeeping). */
  readyStamp = 0;
  /** The last backoff delay, for decorrelated jitter. */
  previousDelayMs: number | undefined = undefined;
  /** Its signal was aborted while its request was in flight: keep the outcome, never retry. */
  abortedInFlight = false;
  /** The last failure, when the entry is waiting for a retry. */
  lastFailure: SlotFailure | undefined = undefined;
  /**
   * Ordered mode: the adapter (or the engine's size check) refused the entry, but it has an
   * ordering key, so it keeps its place in its key's order and fails with this when its turn
   * comes. Such an entry has no service-shaped `entry` and is never sent.
   */
  rejection: SlotFailure | undefined = undefined;

  /**
   * @param seq - Add order, unique per batcher.
   * @param entry - The service-shaped entry (`undefined` only for a refused entry, see `rejection`).
   * @param bytes - Its size against the service limits.
   * @param key - Its ordering key's state (ordered mode only).
   * @param label - Caller-facing name for messages.
   * @param signal - The caller's abort signal.
   * @param resolve - Resolves the caller's promise; called exactly once, by the engine's `finish`.
   */
  constructor(
    readonly seq: number,
    readonly entry: TEntry | undefined,
    readonly bytes: number,
    readonly key: OrderingKeyState<BatchSlot<TEntry, TValue>> | undefined,
    readonly label: string | undefined,
    readonly signal: AbortSignal | undefined,
    readonly resolve: (result: BatchResult<TValue>) => void,
  ) {}
}
