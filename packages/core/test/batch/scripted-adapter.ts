import { createSeededRandom, type BatchAdapter, type EntryOutcome, type PreparedEntry, type RejectedEntry } from '@herald/core';

/** What a test adds: a name (unique in a test), a size, and for ordered mode a key. */
export interface TestInput {
  name: string;
  bytes?: number;
  key?: string;
  /** Make prepare() refuse it with this code. */
  reject?: string;
  /** Make prepare() throw. */
  explode?: boolean;
}

/** How the scripted service answers one entry of a request. */
export type EntryReply =
  | 'ok'
  | 'missing'
  | { code: string; retryable: boolean; senderFault?: boolean; message?: string };

/**
 * Decides the answer to one request: an array of replies in entry order, or a thrown error
 * (whole-request failure). `call` counts requests from 1.
 */
export type Responder = (
  entries: readonly TestInput[],
  call: number,
  signal: AbortSignal | undefined,
) => EntryReply[] | Promise<EntryReply[]>;

export interface ScriptedAdapter {
  adapter: BatchAdapter<TestInput, TestInput, string>;
  /** Names per request, in send order. */
  requests: string[][];
  /** Batch ids per request, in send order. */
  ids: string[][];
  /** Times each name was sent. */
  sends: Map<string, number>;
  /** Times each name was answered ok. */
  oks: Map<string, number>;
  /** Signals passed to send(). */
  signals: Array<AbortSignal | undefined>;
}

export const allOk: Responder = (entries) => entries.map(() => 'ok');

export function scriptedAdapter(
  respond: Responder = allOk,
  limits: { maxEntries?: number; maxRequestBytes?: number; maxEntryBytes?: number } = {},
): ScriptedAdapter {
  const requests: string[][] = [];
  const ids: string[][] = [];
  const sends = new Map<string, number>();
  const oks = new Map<string, number>();
  const signals: Array<AbortSignal | undefined> = [];
  const adapter: BatchAdapter<TestInput, TestInput, string> = {
    service: 'Test PutThings',
    maxEntries: limits.maxEntries ?? 10,
    maxRequestBytes: limits.maxRequestBytes ?? 1_000,
    maxEntryBytes: limits.maxEntryBytes ?? 1_000,
    prepare(input): PreparedEntry<TestInput> | RejectedEntry {
      if (input.explode === true) throw new Error('prepare blew up');
      if (input.reject !== undefined) {
        // Like the SNS adapter: a refusal still carries the entry's ordering key and name.
        const refusal: RejectedEntry = { ok: false, code: input.reject, message: `refused ${input.name}`, label: input.name };
        if (input.key !== undefined) refusal.orderingKey = input.key;
        return refusal;
      }
      const prepared: PreparedEntry<TestInput> = { ok: true, entry: input, bytes: input.bytes ?? 1, label: input.name };
      if (input.key !== undefined) prepared.orderingKey = input.key;
      return prepared;
    },
    async send(entries, signal) {
      requests.push(entries.map((e) => e.entry.name));
      ids.push(entries.map((e) => e.id));
      signals.push(signal);
      for (const e of entries) sends.set(e.entry.name, (sends.get(e.entry.name) ?? 0) + 1);
      const replies = await respond(
        entries.map((e) => e.entry),
        requests.length,
        signal,
      );
      const outcomes: EntryOutcome<string>[] = [];
      entries.forEach((e, index) => {
        const reply = replies[index] ?? 'ok';
        if (reply === 'missing') return;
        if (reply === 'ok') {
          oks.set(e.entry.name, (oks.get(e.entry.name) ?? 0) + 1);
          outcomes.push({ id: e.id, ok: true, value: `v:${e.entry.name}` });
        } else {
          outcomes.push({
            id: e.id,
            ok: false,
            code: reply.code,
            message: reply.message ?? `${reply.code} for ${e.entry.name}`,
            senderFault: reply.senderFault ?? !reply.retryable,
            retryable: reply.retryable,
          });
        }
      });
      return outcomes;
    },
  };
  return { adapter, requests, ids, sends, oks, signals };
}

/** A promise with its resolve/reject exposed. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A logger that records every call, so tests can assert no invariant error was logged. */
export function recordingLogger(): {
  logger: { debug: (m: string) => void; info: (m: string) => void; warn: (m: string) => void; error: (m: string) => void };
  lines: Array<{ level: string; message: string }>;
} {
  const lines: Array<{ level: string; message: string }> = [];
  const at = (level: string) => (message: string) => {
    lines.push({ level, message });
  };
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

/** Seeded PRNG for reproducible randomized tests. */
export const seededRandom = createSeededRandom;

/** Makes inputs n1..nN (or with a prefix). */
export function inputs(count: number, prefix = 'n', extra: Partial<TestInput> = {}): TestInput[] {
  return Array.from({ length: count }, (_, i) => ({ name: `${prefix}${i + 1}`, ...extra }));
}
