import { backoffDelay } from '../backoff/backoff-delay.js';
import { clampDelay, MAX_DELAY_MS } from '../backoff/clamp-delay.js';
import { fullJitter } from '../backoff/jitter.js';
import { systemClock } from '../clock.js';
import { silentLogger } from '../logger.js';
import { isRetryableAwsError } from '../retry/is-retryable-aws-error.js';
import { BatchSlot, type SlotFailure } from './batch-slot.js';
import { BatcherClosedError } from './batcher-closed-error.js';
import { guardLogger } from './guarded-logger.js';
import { OrderingKeyState } from './ordering-key-state.js';
import { describeRequestError } from './request-error.js';
import { RequestTimeoutError } from './request-timeout-error.js';
import { RetrySchedule } from './retry-schedule.js';
import { reasonText } from './safe-text.js';
import { SlotList } from './slot-list.js';
import type {
  AddOptions,
  BatchAdapter,
  BatchRequestEntry,
  BatchResult,
  Batcher,
  BatcherOptions,
  BatcherStats,
  EntryOutcome,
} from './types.js';

/** Result code of an entry ended by its own abort signal. */
const ABORTED = 'Aborted';
/** Result code of an entry failed because an earlier entry of its ordering key failed. */
const PRECEDING_FAILED = 'PrecedingMessageFailed';
/** Result code of the entries of a request whose handling hit a bug (engine or adapter). */
const INTERNAL_ERROR = 'InternalError';
/** Runs `callback` on the next macrotask (after pending I/O callbacks in Node.js). */
const nextMacrotask: (callback: () => void) => void =
  typeof setImmediate === 'function' ? (callback) => setImmediate(callback) : (callback) => setTimeout(callback, 0);

interface RetryItem<TSlot> {
  /** When the entries may be sent again (epoch ms). */
  readonly notBefore: number;
  /** The entries; those no longer in `backoff` (aborted meanwhile) are skipped. */
  readonly slots: TSlot[];
  /** `true`: back into the buffer, to merge with others. `false`: re-send as the same request. */
  readonly merge: boolean;
}

interface Barrier {
  /** Entries with a smaller sequence number count. */
  readonly seqLimit: number;
  /** How many of them have no result yet. */
  remaining: number;
  readonly resolve: () => void;
}

interface SignalWatch<TSlot> {
  /** The pending entries added with the signal. */
  readonly slots: Set<TSlot>;
  /** The one listener registered on the signal. */
  readonly listener: () => void;
}

function positiveInteger(name: string, value: number, allowInfinity = false): number {
  if (allowInfinity && value === Number.POSITIVE_INFINITY) return value;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new RangeError(`createBatcher: ${name} must be an integer >= 1, got ${String(value)}.`);
  }
  return value;
}

function nonNegative(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`createBatcher: ${name} must be a finite number >= 0, got ${String(value)}.`);
  }
  return value;
}

function positive(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`createBatcher: ${name} must be a finite number > 0, got ${String(value)}.`);
  }
  return value;
}

/** A delay that becomes a timer: Node.js fires timers longer than 2^31 - 1 ms after 1 ms. */
function timerMs(name: string, value: number): number {
  if (value > MAX_DELAY_MS) {
    throw new RangeError(
      `createBatcher: ${name} must be at most ${MAX_DELAY_MS} ms (about 24.8 days, the longest timer Node.js supports), got ${String(value)}.`,
    );
  }
  return value;
}

function failedResult<TValue>(failure: SlotFailure, attempts: number): BatchResult<TValue> {
  const result: BatchResult<TValue> = {
    status: 'failed',
    code: failure.code,
    message: failure.message,
    senderFault: failure.senderFault,
    attempts,
  };
  if (failure.cause !== undefined) result.cause = failure.cause;
  return result;
}

/**
 * Creates a batch engine for one service adapter.
 *
 * Entries given to `add()` are validated and sized by the adapter, buffered, and sent in
 * requests of at most `maxEntries` entries and `maxRequestBytes` bytes, in add order. A
 * request goes out when it is full (by count, or because the next entry would not fit), when
 * the oldest buffered entry has waited `lingerMs`, or at once during `flush()`/`close()`; at
 * most `maxInFlight` requests are in flight.
 *
 * Failures: entries the adapter rejects fail at once and are never sent. A request that throws
 * is sent again as the same request after a jittered backoff if `isRetryable(error)`, else all
 * its entries fail with the error. Entries the service refuses one by one are retried alone
 * (retryable outcomes, merged into later requests after a backoff) or fail at once. Every entry
 * has at most `maxAttempts` sends. With a retry `budget`, each re-sent request and each answer
 * with entries to retry takes one token, and each answered request gives some back.
 *
 * Ordered mode (FIFO): entries of one `orderingKey` are sent one at a time, in add order; a
 * request carries at most one entry per key. When an entry fails for good, the entries of its
 * key queued behind it fail with `'PrecedingMessageFailed'` without being sent. An entry the
 * adapter refuses but that has an ordering key fails at its place in its key's order, with the
 * same effect; entries of that key added after it failed, in the same synchronous burst (until
 * the next macrotask), fail with `'PrecedingMessageFailed'` too.
 *
 * Backpressure: at most `maxQueued` entries are accepted and not yet settled; further entries
 * wait for admission. `ready()` tells a producer when to add the next one.
 *
 * Every entry ends in exactly one {@link BatchResult}, even when a logger, a jitter strategy or
 * the adapter misbehaves (a bug while handling a request fails its entries with
 * `'InternalError'` rather than leaving them pending).
 *
 * @example
 * ```ts
 * const batcher = createBatcher(adapter, { lingerMs: 5, maxInFlight: 10 });
 * const result = await batcher.add(input);
 * if (result.status === 'failed') console.warn(result.code, result.message);
 * await batcher.close();
 * ```
 *
 * @example Producer loop with bounded memory
 * ```ts
 * for await (const input of source) {
 *   await batcher.ready(); // waits while maxQueued entries are pending
 *   void batcher.add(input).then(record);
 * }
 * await batcher.close();
 * ```
 *
 * @param adapter - The service adapter (limits, validation, sizing, sending).
 * @param options - Linger, concurrency, backpressure, retries, ordering; see {@link BatcherOptions}.
 */
export function createBatcher<TInput, TEntry, TValue>(
  adapter: BatchAdapter<TInput, TEntry, TValue>,
  options: BatcherOptions = {},
): Batcher<TInput, TValue> {
  type Slot = BatchSlot<TEntry, TValue>;
  type KeyState = OrderingKeyState<Slot>;

  const service = adapter.service;
  const maxEntries = positiveInteger('adapter.maxEntries', adapter.maxEntries);
  const maxRequestBytes = positive('adapter.maxRequestBytes', adapter.maxRequestBytes);
  const entryLimit = Math.min(positive('adapter.maxEntryBytes', adapter.maxEntryBytes), maxRequestBytes);
  const lingerMs = timerMs('lingerMs', nonNegative('lingerMs', options.lingerMs ?? 5));
  const maxInFlight = positiveInteger('maxInFlight', options.maxInFlight ?? 10);
  const maxQueued = positiveInteger('maxQueued', options.maxQueued ?? 10_000, true);
  const ordered = options.ordered === true;
  const retryOptions = options.retry ?? {};
  const maxAttempts = positiveInteger('retry.maxAttempts', retryOptions.maxAttempts ?? 5);
  const baseMs = nonNegative('retry.baseMs', retryOptions.baseMs ?? 50);
  const capMs = timerMs('retry.capMs', nonNegative('retry.capMs', retryOptions.capMs ?? 5_000));
  const jitter = retryOptions.jitter ?? fullJitter;
  const random = retryOptions.random;
  const isRetryable = retryOptions.isRetryable ?? isRetryableAwsError;
  const budget = retryOptions.budget;
  const rateLimiter = options.rateLimiter;
  const requestTimeoutMs =
    options.requestTimeoutMs === undefined
      ? undefined
      : timerMs('requestTimeoutMs', positive('requestTimeoutMs', options.requestTimeoutMs));
  // Every log call goes through the guard: a throwing logger must not leave entries unsettled.
  const logger = options.logger === undefined ? silentLogger : guardLogger(options.logger);
  const clock = options.clock ?? systemClock;

  // Batch ids are positions in the request: "0".."maxEntries-1".
  const ids: string[] = [];
  const idIndex = new Map<string, number>();
  for (let i = 0; i < maxEntries; i++) {
    ids.push(String(i));
    idIndex.set(String(i), i);
  }

  /** Entries that may go into the next request, oldest first (ordered mode: one per key). */
  const ready = new SlotList<Slot>();
  /** Entries added beyond `maxQueued`, waiting for admission in add order. */
  const waiters = new SlotList<Slot>();
  /** Ordered mode: state per ordering key with something pending. */
  const keys = new Map<string, KeyState>();
  /** Entries and requests waiting for their retry time. */
  const schedule = new RetrySchedule<RetryItem<Slot>>();
  /** Whole requests whose retry time has come, waiting for an in-flight slot. */
  const dueRequests: Slot[][] = [];
  /** Pending `flush()`/`close()` calls, in call order (so by increasing `seqLimit`). */
  const barriers: Barrier[] = [];
  /** One abort listener per signal, whatever the number of entries sharing it. */
  const watchedSignals = new WeakMap<AbortSignal, SignalWatch<Slot>>();
  /** Callers of `ready()` waiting for a free place, in call order. */
  const readyWaiters: Array<() => void> = [];

  let nextSeq = 1;
  let queued = 0;
  let waiting = 0;
  let inFlight = 0;
  let closing = false;
  let closePromise: Promise<void> | undefined;
  let lingerTimer: ReturnType<typeof setTimeout> | undefined;
  /** Counter stamped on entries as they enter the buffer. */
  let readyStamps = 0;
  /** Entries stamped below this were buffered when a linger timer fired: they waited long enough. */
  let lingerCutoff = 0;
  /**
   * While a `flush()`/`close()` is pending: entries with a smaller sequence number are due at
   * once (0: none). Entries added after the call still wait for their linger.
   */
  let flushSeqLimit = 0;
  /** How many buffered entries are below `flushSeqLimit`: while > 0, a request is due now. */
  let readyFlushed = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let retryTimerAt = 0;
  let pumping = false;
  let pumpAgain = false;
  /** A look at the `ready()` callers is due on the next macrotask. */
  let readyRecheck = false;

  const counters = {
    added: 0,
    requests: 0,
    failedRequests: 0,
    entries: 0,
    retries: 0,
    succeeded: 0,
    failed: 0,
    rejected: 0,
    bytes: 0,
  };

  // ---------------------------------------------------------------- results

  function rejectLocally(failure: SlotFailure): Promise<BatchResult<TValue>> {
    counters.failed++;
    counters.rejected++;
    return Promise.resolve(failedResult<TValue>(failure, 0));
  }

  /**
   * The one place an accepted entry gets its result. Unlinks it from whatever list holds it,
   * updates the counters, releases its ordering key, and resolves the caller's promise.
   * A second call for the same entry is a bug: it is logged and ignored.
   */
  function finish(slot: Slot, result: BatchResult<TValue>): void {
    const previous = slot.state;
    if (previous === 'done') {
      logger.error(`${service} batcher invariant violated: an entry was settled twice; the second result is ignored.`, {
        service,
        status: result.status,
      });
      return;
    }
    slot.state = 'done';
    // Resolving only queues the caller's reactions; do it first so an entry's result is
    // delivered before the results it causes (PrecedingMessageFailed of its followers).
    slot.resolve(result);
    const list = slot.list;
    if (list !== undefined) {
      if (list === ready && slot.seq < flushSeqLimit) readyFlushed--;
      list.remove(slot);
    }
    if (slot.signal !== undefined) unwatchSignal(slot);
    if (previous === 'waiting') waiting--;
    else queued--;
    if (result.status === 'ok') counters.succeeded++;
    else counters.failed++;

    const key = slot.key;
    if (key !== undefined) {
      if (previous === 'waiting') {
        key.admitting--;
        if (key.admitting === 0) key.poisonBeforeSeq = 0;
      } else if (key.occupant === slot) {
        releaseKey(key, slot, result);
      }
      if (key.idle && keys.get(key.key) === key) keys.delete(key.key);
    }
    if (barriers.length > 0) settleBarriers(slot.seq);
    if (queued === 0 && waiting === 0) becomeIdle();
  }

  /** The failure given to the entries of `key` behind `slot`, which failed with `failure`. */
  function precedingFailure(key: KeyState, slot: Slot, failure: { code: string; message: string }): SlotFailure {
    const name = slot.label === undefined ? 'an earlier entry' : `the earlier entry "${slot.label}"`;
    const reason = `${name} with ordering key "${key.key}" failed with ${failure.code}: ${failure.message}`;
    return {
      code: PRECEDING_FAILED,
      message: `Not sent: ${reason}. Sending this entry would break the order of its key; handle the earlier failure, then send this entry again.`,
      senderFault: false,
    };
  }

  /**
   * `slot` becomes the one entry of its key that may be sent: into the buffer, or, for an entry
   * the adapter refused, to its failure (which fails the key's entries queued behind it).
   */
  function takeTurn(key: KeyState, slot: Slot): void {
    key.occupant = slot;
    const rejection = slot.rejection;
    if (rejection === undefined) {
      makeReady(slot);
      return;
    }
    slot.state = 'queued'; // admitted (counted in `queued`), never buffered
    counters.rejected++;
    // Entries of the key added after this point but before the caller could see the failure
    // (the rest of this macrotask) fail too, as if they had been queued behind it.
    if (key.burstPoison === undefined) {
      nextMacrotask(() => {
        key.burstPoison = undefined;
        if (key.idle && keys.get(key.key) === key) keys.delete(key.key);
      });
    }
    key.burstPoison = precedingFailure(key, slot, rejection).message;
    finish(slot, failedResult<TValue>(rejection, 0));
  }

  /** The key's occupant has its result: let the next entry of the key go, or fail them all. */
  function releaseKey(key: KeyState, slot: Slot, result: BatchResult<TValue>): void {
    key.occupant = undefined;
    if (result.status === 'failed' && result.code !== ABORTED) {
      const preceding = precedingFailure(key, slot, result);
      for (let follower = key.queue.head; follower !== undefined; follower = key.queue.head) {
        finish(follower, failedResult<TValue>(preceding, 0));
      }
      if (key.admitting > 0) {
        key.poisonBeforeSeq = nextSeq;
        key.poisonReason = preceding.message;
      }
      return;
    }
    const next = key.queue.shift();
    if (next !== undefined) takeTurn(key, next);
  }

  function settleBarriers(seq: number): void {
    for (let i = barriers.length - 1; i >= 0; i--) {
      const barrier = barriers[i] as Barrier;
      if (seq < barrier.seqLimit && --barrier.remaining === 0) {
        barriers.splice(i, 1);
        barrier.resolve();
      }
    }
    if (barriers.length === 0) {
      // Every entry the flushes covered has its result: none is buffered any more.
      flushSeqLimit = 0;
      readyFlushed = 0;
    }
  }

  /** Nothing is pending: drop timers and stale retry items so nothing keeps the process alive. */
  function becomeIdle(): void {
    if (lingerTimer !== undefined) {
      clearTimeout(lingerTimer);
      lingerTimer = undefined;
    }
    if (retryTimer !== undefined) {
      clearTimeout(retryTimer);
      retryTimer = undefined;
    }
    schedule.clear();
    dueRequests.length = 0;
  }

  function abortedFailure(slot: Slot): SlotFailure {
    const reason = slot.signal?.reason;
    const last = slot.lastFailure;
    return {
      code: ABORTED,
      message:
        slot.attempts === 0 || last === undefined
          ? `Aborted before it was sent (${reasonText(reason)}).`
          : `Aborted while waiting to be sent again after ${slot.attempts} attempt(s) (${reasonText(reason)}); the last attempt failed with ${last.code}: ${last.message}`,
      senderFault: false,
      cause: reason,
    };
  }

  function onAbort(slot: Slot): void {
    if (slot.state === 'done') return;
    if (slot.state === 'inFlight') {
      // The request's outcome is kept; only a retry is ruled out.
      slot.abortedInFlight = true;
      return;
    }
    finish(slot, failedResult<TValue>(abortedFailure(slot), slot.attempts));
  }

  /** Registers `slot` with its signal: one listener per signal, however many entries share it. */
  function watchSignal(signal: AbortSignal, slot: Slot): void {
    let watch = watchedSignals.get(signal);
    if (watch === undefined) {
      const slots = new Set<Slot>();
      const listener = (): void => onSignalAborted(signal, slots);
      watch = { slots, listener };
      watchedSignals.set(signal, watch);
      signal.addEventListener('abort', listener, { once: true });
    }
    watch.slots.add(slot);
  }

  /** `slot` has its result: forget it, and the listener once no entry uses the signal. */
  function unwatchSignal(slot: Slot): void {
    const signal = slot.signal as AbortSignal;
    const watch = watchedSignals.get(signal);
    if (watch === undefined || !watch.slots.delete(slot) || watch.slots.size > 0) return;
    watchedSignals.delete(signal);
    signal.removeEventListener('abort', watch.listener);
  }

  /** A signal fired: end its entries that are not in flight (in add order). Never throws. */
  function onSignalAborted(signal: AbortSignal, slots: Set<Slot>): void {
    watchedSignals.delete(signal);
    for (const slot of slots) {
      try {
        onAbort(slot);
      } catch (error) {
        internalError('while handling an abort signal', error);
      }
    }
    slots.clear();
    try {
      afterChange();
    } catch (error) {
      internalError('after an abort signal', error);
    }
  }

  function internalError(when: string, error: unknown): void {
    logger.error(`${service} batcher internal error ${when}; this is a bug in Herald or the adapter.`, {
      service,
      error: reasonText(error),
    });
  }

  // ---------------------------------------------------------------- admission and buffer

  function makeReady(slot: Slot): void {
    slot.state = 'ready';
    slot.readyAt = clock.now();
    slot.readyStamp = readyStamps++;
    ready.push(slot);
    if (slot.seq < flushSeqLimit) readyFlushed++;
  }

  /** Accepts an entry into scheduling (counts against `maxQueued`). */
  function admit(slot: Slot): void {
    queued++;
    const key = slot.key;
    if (key === undefined) {
      makeReady(slot);
      return;
    }
    key.admitting--;
    const poisoned = slot.seq < key.poisonBeforeSeq;
    const reason = key.poisonReason;
    if (key.admitting === 0) key.poisonBeforeSeq = 0;
    if (poisoned) {
      slot.state = 'queued';
      finish(slot, failedResult<TValue>({ code: PRECEDING_FAILED, message: reason, senderFault: false }, 0));
    } else if (key.occupant === undefined) {
      takeTurn(key, slot);
    } else {
      slot.state = 'queued';
      key.queue.push(slot);
    }
  }

  function admitWaiters(): void {
    while (waiters.length > 0 && queued < maxQueued) {
      const slot = waiters.shift() as Slot;
      waiting--;
      admit(slot);
    }
    if (readyWaiters.length > 0) releaseReadyWaiters();
  }

  /** Lets `ready()` callers through, one per free place (all of them once closing). */
  function releaseReadyWaiters(): void {
    let room = closing ? readyWaiters.length : maxQueued - queued - waiting;
    if (room <= 0) return; // entries are pending: their results call this again
    while (room > 0 && readyWaiters.length > 0) {
      (readyWaiters.shift() as () => void)();
      room--;
    }
    // Callers let through normally add right away; if some did not, their places are still
    // free and nothing pending would wake the others, so look again on the next macrotask.
    if (readyWaiters.length > 0 && !readyRecheck) {
      readyRecheck = true;
      nextMacrotask(() => {
        readyRecheck = false;
        releaseReadyWaiters();
      });
    }
  }

  /** After anything that may free capacity or make entries sendable. */
  function afterChange(): void {
    admitWaiters();
    pump();
  }

  // ---------------------------------------------------------------- sending

  /** Sends every request that should go now, within `maxInFlight`; then sets the linger timer. */
  function pump(): void {
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    try {
      do {
        pumpAgain = false;
        while (inFlight < maxInFlight) {
          const due = dueRequests.shift();
          if (due !== undefined) {
            const live = due.filter((slot) => slot.state === 'backoff');
            if (live.length > 0) dispatch(live);
            continue;
          }
          const head = ready.head;
          if (head === undefined) break;
          const full = ready.length >= maxEntries || ready.bytes > maxRequestBytes;
          // Due: a full request, closing, an entry a pending flush() covers, or a lingered head.
          if (!full && !closing && readyFlushed === 0 && !lingered(head)) break;
          dispatch(takeRequest());
        }
      } while (pumpAgain);
      updateLingerTimer();
    } finally {
      pumping = false;
    }
  }

  /** Whether the oldest buffered entry has waited `lingerMs`. */
  function lingered(head: Slot): boolean {
    // A linger timer that fired is authoritative (timers may fire a little before the clock
    // says so). With lingerMs 0 the timer is the only way: entries added in one synchronous
    // burst go out together on the next tick instead of one by one.
    if (head.readyStamp < lingerCutoff) return true;
    if (lingerTimer !== undefined || lingerMs === 0) return false;
    return clock.now() >= head.readyAt + lingerMs;
  }

  function updateLingerTimer(): void {
    const head = ready.head;
    if (head === undefined) {
      if (lingerTimer !== undefined) {
        clearTimeout(lingerTimer);
        lingerTimer = undefined;
      }
      return;
    }
    // With no free slot, the next answer pumps again; no need to wake up for the linger.
    if (lingerTimer !== undefined || inFlight >= maxInFlight) return;
    const delay = Math.max(0, head.readyAt + lingerMs - clock.now());
    lingerTimer = setTimeout(onLingerTimer, delay);
  }

  function onLingerTimer(): void {
    lingerTimer = undefined;
    lingerCutoff = readyStamps;
    pump();
  }

  /** Takes the oldest ready entries that fit in one request. */
  function takeRequest(): Slot[] {
    const slots: Slot[] = [];
    let bytes = 0;
    for (let head = ready.head; head !== undefined && slots.length < maxEntries; head = ready.head) {
      if (slots.length > 0 && bytes + head.bytes > maxRequestBytes) break;
      ready.remove(head);
      if (head.seq < flushSeqLimit) readyFlushed--;
      head.state = 'forming';
      slots.push(head);
      bytes += head.bytes;
    }
    return slots;
  }

  function tryTakeTokens(count: number): boolean {
    try {
      return rateLimiter === undefined || rateLimiter.tryTake(count);
    } catch {
      return false; // more than the limiter's burst: take them one by one
    }
  }

  async function takeTokens(count: number): Promise<void> {
    if (rateLimiter === undefined) return;
    try {
      await rateLimiter.take(count);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      for (let i = 0; i < count; i++) await rateLimiter.take(1);
    }
  }

  function dispatch(slots: Slot[]): void {
    inFlight++;
    for (const slot of slots) slot.state = 'forming';
    if (tryTakeTokens(slots.length)) {
      send(slots);
      return;
    }
    const sendLive = (): void => {
      // Entries aborted while waiting for tokens are already settled.
      const live = slots.filter((slot) => slot.state === 'forming');
      if (live.length > 0) {
        send(live);
      } else {
        inFlight--;
        afterChange();
      }
    };
    takeTokens(slots.length)
      .then(sendLive, (error: unknown) => {
        logger.error(`${service} batcher could not take rate-limit tokens; sending without them.`, {
          service,
          error: reasonText(error),
        });
        sendLive();
      })
      .catch((error: unknown) => {
        internalError('after taking rate-limit tokens', error);
      });
  }

  function send(slots: Slot[]): void {
    const count = slots.length;
    const batch = new Array<BatchRequestEntry<TEntry>>(count);
    let bytes = 0;
    for (let i = 0; i < count; i++) {
      const slot = slots[i] as Slot;
      slot.state = 'inFlight';
      slot.attempts++;
      if (slot.attempts > 1) counters.retries++;
      bytes += slot.bytes;
      // Only entries the adapter prepared reach a request (refused ones never enter the buffer).
      batch[i] = { id: ids[i] as string, entry: slot.entry as TEntry };
    }
    counters.requests++;
    counters.entries += count;
    counters.bytes += bytes;

    let controller: AbortController | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    /** Set once the request is settled, by its answer or by the timeout, whichever came first. */
    let settled = false;
    /** Settles the request once: frees its in-flight place, then runs `handle`. Never throws. */
    const settle = (handle: () => void): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      inFlight--;
      try {
        handle();
      } catch (error) {
        failUnsettled(slots, error);
      }
    };
    if (requestTimeoutMs !== undefined) {
      const abortController = new AbortController();
      controller = abortController;
      timer = setTimeout(() => {
        // The engine settles the request itself, so an adapter that ignores the signal cannot
        // hold its entries (or an in-flight place) forever; a late answer is ignored.
        settle(() => {
          const error = new RequestTimeoutError(service, requestTimeoutMs);
          abortController.abort(error);
          onRequestError(slots, error, true);
        });
      }, requestTimeoutMs);
    }

    let answer: Promise<ReadonlyArray<EntryOutcome<TValue>>>;
    try {
      answer = adapter.send(batch, controller?.signal);
    } catch (error) {
      answer = Promise.reject(error);
    }
    Promise.resolve(answer).then(
      (outcomes) => {
        settle(() => {
          if (Array.isArray(outcomes)) onResponse(slots, outcomes);
          else {
            const error = new TypeError(`${service} adapter's send() resolved without an array of outcomes.`);
            onRequestError(slots, error, false);
          }
        });
      },
      (error: unknown) => {
        settle(() => onRequestError(slots, error, false));
      },
    );
  }

  /**
   * Handling a request's answer threw: a bug. Rather than leave its entries without a result
   * (and `flush()`/`close()` waiting forever), each entry of the request that has none yet and
   * is not sure to be retried fails with `'InternalError'`. Never throws.
   */
  function failUnsettled(slots: Slot[], error: unknown): void {
    const text = reasonText(error);
    internalError('while handling a response', error);
    const failure: SlotFailure = {
      code: INTERNAL_ERROR,
      message: `${service} batcher hit a bug while handling this entry's request (${text}); the entry may or may not have been accepted. This is a bug in Herald or the adapter: please report it.`,
      senderFault: false,
      cause: error,
    };
    for (const slot of slots) {
      // `backoff` here means set by the failed handler: maybe never scheduled. Failing it is
      // safe either way, since a scheduled retry skips entries that are no longer in backoff.
      if (slot.state !== 'inFlight' && slot.state !== 'backoff') continue;
      try {
        finish(slot, failedResult<TValue>(failure, slot.attempts));
      } catch (again) {
        internalError('while failing the entries of a request', again);
      }
    }
    try {
      afterChange();
    } catch (again) {
      internalError('after failing the entries of a request', again);
    }
  }

  // ---------------------------------------------------------------- answers and retries

  /**
   * After a failed send of `slot`: returns `true` if the entry may be sent again (the retry
   * budget aside, which is taken once per request); otherwise gives the entry its final failed
   * result.
   */
  function mayRetry(slot: Slot, failure: SlotFailure, retryable: boolean): boolean {
    slot.lastFailure = failure;
    if (!retryable) {
      finish(slot, failedResult<TValue>(failure, slot.attempts));
      return false;
    }
    let reason: string | undefined;
    if (slot.abortedInFlight) reason = 'not retried: its signal was aborted while the request was in flight';
    else if (slot.attempts >= maxAttempts) reason = `gave up after ${slot.attempts} attempts`;
    if (reason === undefined) return true;
    finish(slot, failedResult<TValue>({ ...failure, message: `${failure.message} (${reason})` }, slot.attempts));
    return false;
  }

  /**
   * Takes one retry's worth from the budget for re-sending `slots` (one request's worth, however
   * many entries). When the budget refuses, every one of them fails with its last error.
   */
  function budgetAllows(slots: Slot[]): boolean {
    if (budget === undefined || budget.tryAcquire()) return true;
    for (const slot of slots) {
      const last = slot.lastFailure as SlotFailure;
      const message = `${last.message} (not retried: the retry budget is exhausted, too many retries recently; the service may be struggling)`;
      finish(slot, failedResult<TValue>({ ...last, message }, slot.attempts));
    }
    return false;
  }

  function scheduleRetry(slots: Slot[], merge: boolean): number {
    let attempt = 0;
    let previousMs: number | undefined;
    for (const slot of slots) {
      slot.state = 'backoff';
      if (slot.attempts > attempt) attempt = slot.attempts;
      if (slot.previousDelayMs !== undefined && (previousMs === undefined || slot.previousDelayMs > previousMs)) {
        previousMs = slot.previousDelayMs;
      }
    }
    let delay: number;
    try {
      delay = backoffDelay(attempt, { baseMs, capMs, jitter, random, previousMs });
    } catch (error) {
      internalError('in the jitter strategy (waiting capMs instead)', error);
      delay = clampDelay(capMs, capMs);
    }
    for (const slot of slots) slot.previousDelayMs = delay;
    schedule.push({ notBefore: clock.now() + delay, slots, merge });
    armRetryTimer();
    return delay;
  }

  function armRetryTimer(): void {
    const next = schedule.peek();
    if (next === undefined) return;
    if (retryTimer !== undefined) {
      if (retryTimerAt <= next.notBefore) return;
      clearTimeout(retryTimer);
    }
    retryTimerAt = next.notBefore;
    retryTimer = setTimeout(onRetryTimer, Math.max(0, next.notBefore - clock.now()));
  }

  function onRetryTimer(): void {
    retryTimer = undefined;
    // A timer may fire a little before the clock reaches its time: what it was set for is due.
    const now = Math.max(clock.now(), retryTimerAt);
    for (let item = schedule.peek(); item !== undefined && item.notBefore <= now; item = schedule.peek()) {
      schedule.pop();
      if (item.merge) {
        for (const slot of item.slots) if (slot.state === 'backoff') makeReady(slot);
      } else {
        dueRequests.push(item.slots);
      }
    }
    armRetryTimer();
    afterChange();
  }

  function onResponse(slots: Slot[], outcomes: ReadonlyArray<EntryOutcome<TValue>>): void {
    // The service answered: one success for the retry budget, whatever the entries' outcomes.
    budget?.recordSuccess();
    let again: Slot[] | undefined;
    let unexpected = 0;
    for (const outcome of outcomes) {
      const index = typeof outcome?.id === 'string' ? idIndex.get(outcome.id) : undefined;
      const slot = index === undefined ? undefined : slots[index];
      // Unknown ids and second outcomes for one entry are ignored: each entry has one result.
      if (slot === undefined || slot.state !== 'inFlight') {
        unexpected++;
        continue;
      }
      if (outcome.ok) {
        finish(slot, { status: 'ok', value: outcome.value, attempts: slot.attempts });
        continue;
      }
      const failure: SlotFailure = {
        code: outcome.code,
        message: outcome.message,
        senderFault: outcome.senderFault,
      };
      if (mayRetry(slot, failure, outcome.retryable)) {
        slot.state = 'backoff';
        (again ??= []).push(slot);
      }
    }
    for (const slot of slots) {
      if (slot.state !== 'inFlight') continue;
      const missing: SlotFailure = {
        code: 'MissingResult',
        message: `${service} answered without a result for this entry; it may or may not have been accepted.`,
        senderFault: false,
      };
      if (mayRetry(slot, missing, true)) {
        slot.state = 'backoff';
        (again ??= []).push(slot);
      }
    }
    // Retries are scheduled before anything is logged.
    if (again !== undefined && budgetAllows(again)) {
      const delayMs = scheduleRetry(again, true);
      logger.debug(`${service}: ${again.length} entr${again.length === 1 ? 'y' : 'ies'} failed transiently; retrying after ${Math.round(delayMs)} ms.`, {
        service,
        entries: again.length,
        delayMs,
      });
    } else if (again !== undefined) {
      logger.warn(`${service}: ${again.length} entr${again.length === 1 ? 'y' : 'ies'} failed transiently and were not retried: the retry budget is exhausted.`, {
        service,
        entries: again.length,
      });
    }
    if (unexpected > 0) {
      logger.warn(`${service} answered with ${unexpected} result(s) for unknown or already answered batch ids; they were ignored.`, {
        service,
        unexpected,
      });
    }
    afterChange();
  }

  function onRequestError(slots: Slot[], error: unknown, timedOut: boolean): void {
    counters.failedRequests++;
    let retryable = timedOut;
    if (!retryable) {
      try {
        retryable = isRetryable(error);
      } catch {
        retryable = false;
      }
    }
    const description = describeRequestError(error, retryable);
    const failure: SlotFailure = {
      code: description.code,
      message: `${service} request failed with ${description.code}: ${description.message}`,
      senderFault: description.senderFault,
      cause: error,
    };
    const again: Slot[] = [];
    for (const slot of slots) {
      if (slot.state === 'inFlight' && mayRetry(slot, failure, retryable)) {
        slot.state = 'backoff';
        again.push(slot);
      }
    }
    // Retries are scheduled before anything is logged.
    if (again.length > 0 && budgetAllows(again)) {
      const delayMs = scheduleRetry(again, false);
      logger.warn(`${service} request failed with ${description.code}; sending it again after ${Math.round(delayMs)} ms.`, {
        service,
        code: description.code,
        entries: slots.length,
        retrying: again.length,
        delayMs,
      });
    } else {
      logger.warn(
        `${service} request failed with ${description.code}; its entries failed${again.length > 0 ? ' (the retry budget is exhausted)' : ''}.`,
        {
          service,
          code: description.code,
          entries: slots.length,
          retryable,
        },
      );
    }
    afterChange();
  }

  // ---------------------------------------------------------------- public API

  function add(input: TInput, addOptions?: AddOptions): Promise<BatchResult<TValue>> {
    if (closing) return Promise.reject(new BatcherClosedError(service));
    counters.added++;
    const signal = addOptions?.signal;
    if (signal?.aborted === true) {
      return rejectLocally({
        code: ABORTED,
        message: `Aborted before it was sent (${reasonText(signal.reason)}).`,
        senderFault: false,
        cause: signal.reason,
      });
    }
    let prepared: ReturnType<typeof adapter.prepare>;
    try {
      prepared = adapter.prepare(input);
    } catch (error) {
      return rejectLocally({
        code: 'InvalidEntry',
        message: `${service} could not prepare this entry: ${reasonText(error)}`,
        senderFault: true,
        cause: error,
      });
    }
    let entry: TEntry | undefined;
    let bytes = 0;
    /** Why the entry can never be sent, if it cannot. */
    let rejection: SlotFailure | undefined;
    if (prepared.ok) {
      const size = prepared.bytes;
      if (typeof size !== 'number' || !(size >= 0)) {
        rejection = {
          code: 'InvalidEntry',
          message: `${service} reported an invalid size for this entry (${String(size)}); this is a bug in the adapter.`,
          senderFault: false,
        };
      } else if (!(size <= entryLimit)) {
        rejection = {
          code: 'EntryTooLarge',
          message: `The entry is ${String(size)} bytes; ${service} accepts at most ${entryLimit} bytes per entry. Make it smaller (for example, store the payload elsewhere and send a reference).`,
          senderFault: true,
        };
      } else {
        entry = prepared.entry;
        bytes = size;
      }
    } else {
      rejection = { code: prepared.code, message: prepared.message, senderFault: true };
    }
    let key: KeyState | undefined;
    if (!ordered) {
      if (rejection !== undefined) return rejectLocally(rejection);
    } else {
      const name = prepared.orderingKey;
      if (typeof name !== 'string' || name === '') {
        return rejectLocally(
          rejection ?? {
            code: 'MissingOrderingKey',
            message: `This ${service} batcher is ordered and the entry has no ordering key; give every entry one (for example a MessageGroupId).`,
            senderFault: true,
          },
        );
      }
      key = keys.get(name);
      if (key === undefined) {
        key = new OrderingKeyState<Slot>(name);
        keys.set(name, key);
      } else if (key.burstPoison !== undefined) {
        // An earlier entry of the key was refused and failed in this same burst.
        counters.failed++;
        return Promise.resolve(
          failedResult<TValue>({ code: PRECEDING_FAILED, message: key.burstPoison, senderFault: false }, 0),
        );
      }
      // A refused entry with an ordering key keeps its place in the key's order (see takeTurn).
      key.admitting++;
    }
    const label = prepared.label;
    const owner = key;
    return new Promise<BatchResult<TValue>>((resolve) => {
      const slot = new BatchSlot<TEntry, TValue>(nextSeq++, entry, bytes, owner, label, signal, resolve);
      if (rejection !== undefined) slot.rejection = rejection;
      if (signal !== undefined) watchSignal(signal, slot);
      if (waiters.length > 0 || queued >= maxQueued) {
        waiters.push(slot);
        waiting++;
      } else {
        admit(slot);
      }
      pump();
    });
  }

  function flush(): Promise<void> {
    const pending = queued + waiting;
    if (pending === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      barriers.push({ seqLimit: nextSeq, remaining: pending, resolve });
      // Everything pending now is covered, so every buffered entry is due at once.
      flushSeqLimit = nextSeq;
      readyFlushed = ready.length;
      pump();
    });
  }

  function whenReady(): Promise<void> {
    if (closing || (readyWaiters.length === 0 && queued + waiting < maxQueued)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      readyWaiters.push(resolve);
    });
  }

  return {
    add,
    addAll(inputs, addOptions) {
      return Promise.all(inputs.map((input) => add(input, addOptions)));
    },
    ready: whenReady,
    flush,
    close() {
      if (closePromise === undefined) {
        closing = true;
        closePromise = flush();
        // Producers waiting for room go on; their next add() rejects.
        releaseReadyWaiters();
      }
      return closePromise;
    },
    stats(): BatcherStats {
      return { ...counters, queued, waiting, inFlight };
    },
  };
}
