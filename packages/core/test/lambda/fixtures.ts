import type { Logger, SqsEvent, SqsRecord } from '@herald/core';

export const STANDARD_ARN = 'arn:aws:sqs:eu-west-1:123456789012:herald-orders';
export const FIFO_ARN = 'arn:aws:sqs:eu-west-1:123456789012:herald-orders.fifo';

/** A record shaped like the ones Lambda delivers from a standard queue. */
export function sqsRecord(messageId: string, body: string, extra: Partial<SqsRecord> = {}): SqsRecord {
  return {
    messageId,
    receiptHandle: `AQEB${messageId.replace(/[^A-Za-z0-9]/g, '')}Zx9kT2v`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1741944413000',
      SenderId: 'AROAEXAMPLEID:orders-api',
      ApproximateFirstReceiveTimestamp: '1741944413021',
    },
    messageAttributes: {},
    md5OfBody: '0123456789abcdef0123456789abcdef',
    eventSource: 'aws:sqs',
    eventSourceARN: STANDARD_ARN,
    awsRegion: 'eu-west-1',
    ...extra,
  };
}

/** A record from a FIFO queue, in message group `group`. */
export function fifoRecord(messageId: string, group: string | undefined, body = `{"id":"${messageId}"}`): SqsRecord {
  const record = sqsRecord(messageId, body, { eventSourceARN: FIFO_ARN });
  record.attributes = {
    ...record.attributes,
    ...(group === undefined ? {} : { MessageGroupId: group }),
    MessageDeduplicationId: `dedup-${messageId}`,
    SequenceNumber: `1884${messageId.length.toString().padStart(16, '0')}`,
  };
  return record;
}

export function eventOf(records: SqsRecord[]): SqsEvent {
  return { Records: records };
}

/** Standard-queue records m0..m(n-1) with distinct bodies. */
export function standardRecords(count: number): SqsRecord[] {
  return Array.from({ length: count }, (_, i) => sqsRecord(`m${i}`, `{"n":${i}}`));
}

export function ids(response: { batchItemFailures: Array<{ itemIdentifier: string }> }): string[] {
  return response.batchItemFailures.map((failure) => failure.itemIdentifier);
}

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  data: Record<string, unknown> | undefined;
}

/** A logger that keeps every call, with its data. */
export function capturingLogger(): { logger: Logger; entries: LogEntry[]; text: () => string } {
  const entries: LogEntry[] = [];
  const at =
    (level: LogEntry['level']) =>
    (message: string, data?: Record<string, unknown>): void => {
      entries.push({ level, message, data });
    };
  return {
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
    entries,
    text: () => entries.map((entry) => [entry.message, ...strings(entry.data)].join('\n')).join('\n'),
  };
}

/** Every string (keys and values, at any depth, numbers as text) inside `value`. */
function strings(value: unknown, seen = new Set<unknown>()): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  if (value === null || typeof value !== 'object' || seen.has(value)) return [];
  seen.add(value);
  return Object.entries(value).flatMap(([key, inner]) => [key, ...strings(inner, seen)]);
}

/**
 * Fails when any 8-character piece of `secret` appears in `text`. Stricter than looking for the
 * whole secret: it also catches the truncated snippets that JSON.parse errors quote.
 */
export function findLeak(text: string, secret: string, size = 8): string | undefined {
  for (let start = 0; start + size <= secret.length; start += 1) {
    const piece = secret.slice(start, start + size);
    if (text.includes(piece)) return piece;
  }
  return undefined;
}

/** A promise with its resolve and reject functions outside. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (reason: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets other queued work run: a few macrotask turns. */
export async function turns(count = 3): Promise<void> {
  for (let i = 0; i < count; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}
