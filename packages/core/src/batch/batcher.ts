import { fullJitter } from '../backoff/jitter.js';
import { systemClock } from '../clock.js';
import { silentLogger } from '../logger.js';
import { isRetryableAwsError } from '../retry/is-retryable-aws-error.js';
import { BatchSlot, type SlotFailure } from './batch-slot.js';
import { BatcherClosedError } from './batcher-closed-error.js';
import { OrderingKeyState } from './ordering-key-state.js';
import { describeRequestError } from './request-error.js';
import { RetrySchedule } from './retry-schedule.js';
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

function reasonText(reason: unknown): string {
  if (reason instanceof Error) return reason.message || reason.name;
  return reason === undefined ? 'no reason given' : String(reason);
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
 * has at most `maxAttempts` sends, and every re-send takes a token from the retry `budget`.
 *
 * Ordered mode (FIFO): entries of one `orderingKey` are sent one at a time, in add order; a
 * request carries at most one entry per key. When an entry fails for good, the entries of its
 * key queued behind it fail with `'PrecedingMessageFailed'` without being sent.
 *
 * Every entry ends in exactly one {@link BatchResult}.
 *
 * @example
 * ```ts
 * const batcher = createBatcher(adapter, { lingerMs: 5, maxInFlight: 10 });
 * const result = await batcher.add(input);
 * if (result.status === 'failed') console.warn(result.code, result.message);
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
  const lingerMs = nonNegative('lingerMs', options.lingerMs ?? 5);
  const maxInFlight = positiveInteger('maxInFlight', options.maxInFlight ?? 10);
  const maxQueued = positiveInteger('maxQueued', options.maxQueued ?? 10_000, true);
  const ordered = options.ordered === true;
  const retryOptions = options.retry ?? {};
  const maxAttempts = positiveInteger('retry.maxAttempts', retryOptions.maxAttempts ?? 5);
  const baseMs = nonNegative('retry.baseMs', retryOptions.baseMs ?? 50);
  const capMs = nonNegative('retry.capMs', retryOptions.capMs ?? 5_000);
  const jitter = retryOptions.jitter ?? fullJitter;
  const random = retryOptions.random;
  const isRetryable = retryOptions.isRetryable ?? isRetryableAwsError;
  const budget = retryOptions.budget;
  const rateLimiter = options.rateLimiter;
  const requestTimeoutMs =
    options.requestTimeoutMs === undefined ? undefined : positive('requestTimeoutMs', options.requestTimeoutMs);
  const logger = options.logger ?? silentLogger;
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
  const barriers: Barrier[] = [];

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
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let retryTimerAt = 0;
  let pumping = false;
  let pumpAgain = false;

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
    if (slot.list !== undefined) slot.list.remove(slot);
    if (slot.onAbort !== undefined) {
      slot.signal?.removeEventListener('abort', slot.onAbort);
      slot.onAbort = undefined;
    }
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

  /** The key's occupant has its result: let the next entry of the key go, or fail them all. */
  function releaseKey(key: KeyState, slot: Slot, result: BatchResult<TValue>): void {
    key.occupant = undefined;
    if (result.status === 'failed' && result.code !== ABORTED) {
      const name = slot.label === undefined ? 'an earlier entry' : `the earlier entry "${slot.label}"`;
      const reason = `${name} with ordering key "${key.key}" failed with ${result.code}: ${result.message}`;
      const preceding: SlotFailure = {
        code: PRECEDING_FAILED,
        message: `Not sent: ${reason}. Sending this entry would break the order of its key; handle the earlier failure, then send this entry again.`,
        senderFault: false,
      };
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
    if (next !== undefined) {
      key.occupant = next;
      makeReady(next);
    }
  }

  function settleBarriers(seq: number): void {
    for (let i = barriers.length - 1; i >= 0; i--) {
      const barrier = barriers[i] as Barrier;
      if (seq < barrier.seqLimit && --barrier.remaining === 0) {
        barriers.splice(i, 1);
        barrier.resolve();
      }
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
    afterChange();
  }

  // ---------------------------------------------------------------- admission and buffer

  function makeReady(slot: Slot): void {
    slot.state = 'ready';
    slot.readyAt = clock.now();
    slot.readyStamp = readyStamps++;
    ready.push(slot);
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
      key.occupant = slot;
      makeReady(slot);
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
          if (!full && !closing && barriers.length === 0 && !lingered(head)) break;
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
    takeTokens(slots.length).then(
      () => {
        // Entries aborted while waiting for tokens are already settled.
        const live = slots.filter((slot) => slot.state === 'forming');
        if (live.length > 0) {
          send(live);
        } else {
          inFlight--;
          afterChange();
        }
      },
      (error: unknown) => {
        logger.error(`${service} batcher could not take rate-limit tokens; sending without them.`, {
          service,
          error: reasonText(error),
        });
        const live = slots.filter((slot) => slot.state === 'forming');
        if (live.length > 0) send(live);
        else {
          inFlight--;
          afterChange();
        }
      },
    );
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
      batch[i] = { id: ids[i] as string, entry: slot.entry };
    }
    counters.requests++;
    counters.entries += count;
    counters.bytes += bytes;

    let controller: AbortController | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    /** Set once the request is settled, by its answer or by the timeout, whichever came first. */
    let settled = false;
    if (requestTimeoutMs !== undefined) {
      const abortController = new AbortController();
      controller = abortController;
      timer = setTimeout(() => {
        // The engine settles the request itself, so an adapter that ignores the signal cannot
        // hold its entries (or an in-flight slot) forever; a late answer is ignored.
        settled = true;
        const error = timeoutError();
        abortController.abort(error);
        onRequestError(slots, error, true);
      }, requestTimeoutMs);
    }

    let answer: Promise<ReadonlyArray<EntryOutcome<TValue>>>;
    try {
      answer = adapter.send(batch, controller?.signal);
    } catch (error) {
      answer = Promise.reject(error);
    }
    Promise.resolve(answer)
      .then(
        (outcomes) => {
          if (settled) return;
          settled = true;
          if (timer !== undefined) clearTimeout(timer);
          if (Array.isArray(outcomes)) onResponse(slots, outcomes);
          else {
            const error = new TypeError(`${service} adapter's send() resolved without an array of outcomes.`);
            onRequestError(slots, error, false);
          }
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          if (timer !== undefined) clearTimeout(timer);
          onRequestError(slots, error, false);
        },
      )
      .catch((error: unknown) => {
        logger.error(`${service} batcher internal error while handling a response.`, {
          service,
          error: reasonText(error),
        });
      });
  }

  function timeoutError(): Error & { code: string } {
    const error = new Error(
      `${service} request did not answer within requestTimeoutMs (${String(requestTimeoutMs)} ms); it was aborted.`,
    ) as Error & { code: string };
    error.name = 'TimeoutError';
    error.code = 'RequestTimeout';
    return error;
  }

  // ---------------------------------------------------------------- answers and retries

  /**
   * After a failed send of `slot`: returns `true` if the entry should be sent again (and takes
   * a budget token for it); otherwise gives the entry its final failed result.
   */
  function shouldRetry(slot: Slot, failure: SlotFailure, retryable: boolean): boolean {
    slot.lastFailure = failure;
    let reason: string | undefined;
    if (!retryable) {
      finish(slot, failedResult<TValue>(failure, slot.attempts));
      return false;
    }
    if (slot.abortedInFlight) reason = 'not retried: its signal was aborted while the request was in flight';
    else if (slot.attempts >= maxAttempts) reason = `gave up after ${slot.attempts} attempts`;
    else if (budget !== undefined && !budget.tryAcquire()) {
      reason = 'not retried: the retry budget is exhausted, too many retries recently; the service may be struggling';
    }
    if (reason === undefined) return true;
    finish(slot, failedResult<TValue>({ ...failure, message: `${failure.message} (${reason})` }, slot.attempts));
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
    const backoff = { baseMs, capMs, random, previousMs };
    const raw = jitter(attempt, backoff);
    const delay = Number.isFinite(raw) ? Math.min(capMs, Math.max(0, raw)) : capMs;
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
    inFlight--;
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
        budget?.recordSuccess();
        finish(slot, { status: 'ok', value: outcome.value, attempts: slot.attempts });
        continue;
      }
      const failure: SlotFailure = {
        code: outcome.code,
        message: outcome.message,
        senderFault: outcome.senderFault,
      };
      if (shouldRetry(slot, failure, outcome.retryable)) {
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
      if (shouldRetry(slot, missing, true)) {
        slot.state = 'backoff';
        (again ??= []).push(slot);
      }
    }
    if (unexpected > 0) {
      logger.warn(`${service} answered with ${unexpected} result(s) for unknown or already answered batch ids; they were ignored.`, {
        service,
        unexpected,
      });
    }
    if (again !== undefined) {
      const delayMs = scheduleRetry(again, true);
      logger.debug(`${service}: ${again.length} entr${again.length === 1 ? 'y' : 'ies'} failed transiently; retrying after ${Math.round(delayMs)} ms.`, {
        service,
        entries: again.length,
        delayMs,
      });
    }
    afterChange();
  }

  function onRequestError(slots: Slot[], error: unknown, timedOut: boolean): void {
    inFlight--;
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
      if (slot.state === 'inFlight' && shouldRetry(slot, failure, retryable)) {
        slot.state = 'backoff';
        again.push(slot);
      }
    }
    if (again.length > 0) {
      const delayMs = scheduleRetry(again, false);
      logger.warn(`${service} request failed with ${description.code}; sending it again after ${Math.round(delayMs)} ms.`, {
        service,
        code: description.code,
        entries: slots.length,
        retrying: again.length,
        delayMs,
      });
    } else {
      logger.warn(`${service} request failed with ${description.code}; its entries failed.`, {
        service,
        code: description.code,
        entries: slots.length,
        retryable,
      });
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
    if (!prepared.ok) {
      return rejectLocally({ code: prepared.code, message: prepared.message, senderFault: true });
    }
    const bytes = prepared.bytes;
    if (typeof bytes !== 'number' || !(bytes >= 0)) {
      return rejectLocally({
        code: 'InvalidEntry',
        message: `${service} reported an invalid size for this entry (${String(bytes)}); this is a bug in the adapter.`,
        senderFault: false,
      });
    }
    if (!(bytes <= entryLimit)) {
      return rejectLocally({
        code: 'EntryTooLarge',
        message: `The entry is ${String(bytes)} bytes; ${service} accepts at most ${entryLimit} bytes per entry. Make it smaller (for example, store the payload elsewhere and send a reference).`,
        senderFault: true,
      });
    }
    let key: KeyState | undefined;
    if (ordered) {
      const name = prepared.orderingKey;
      if (name === undefined || name === '') {
        return rejectLocally({
          code: 'MissingOrderingKey',
          message: `This ${service} batcher is ordered and the entry has no ordering key; give every entry one (for example a MessageGroupId).`,
          senderFault: true,
        });
      }
      key = keys.get(name);
      if (key === undefined) {
        key = new OrderingKeyState<Slot>(name);
        keys.set(name, key);
      }
      key.admitting++;
    }
    const entry = prepared.entry;
    const label = prepared.label;
    const owner = key;
    return new Promise<BatchResult<TValue>>((resolve) => {
      const slot = new BatchSlot<TEntry, TValue>(nextSeq++, entry, bytes, owner, label, signal, resolve);
      if (signal !== undefined) {
        slot.onAbort = () => onAbort(slot);
        signal.addEventListener('abort', slot.onAbort, { once: true });
      }
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
      pump();
    });
  }

  return {
    add,
    addAll(inputs, addOptions) {
      return Promise.all(inputs.map((input) => add(input, addOptions)));
    },
    flush,
    close() {
      if (closePromise === undefined) {
        closing = true;
        closePromise = flush();
      }
      return closePromise;
    },
    stats(): BatcherStats {
      return { ...counters, queued, waiting, inFlight };
    },
  };
}
