import { guardLogger } from '../batch/guarded-logger.js';
import { safeText } from '../batch/safe-text.js';
import { type Logger, silentLogger } from '../logger.js';
import { InvalidSqsEventError } from './invalid-sqs-event-error.js';
import { recordErrorFields } from './record-error-fields.js';
import type { SqsBatchItemFailure, SqsBatchResponse, SqsEvent, SqsRecord } from './sqs-event.js';

/** What {@link processSqsBatch} tells a record handler besides the record. */
export interface SqsRecordInfo {
  /** The record's position in `event.Records`. */
  index: number;
  /**
   * Aborted when processing has stopped for the record's scope after a FIFO failure: the
   * whole batch in `'stop-batch'` mode, the record's message group in `'stop-group'` mode.
   * Records of one scope run one at a time and the ones after a failure never start, so a
   * handler sees it aborted only in work it left running after it settled. Never aborted for
   * standard queues.
   */
  signal: AbortSignal;
}

/**
 * Handles one SQS record. Returning (or resolving) marks the record processed; throwing (or
 * rejecting) with any value, `Error` or not, marks it failed, so that Lambda returns it to
 * the queue.
 */
export type SqsRecordHandler = (record: SqsRecord, info: SqsRecordInfo) => unknown | Promise<unknown>;

/** Options for {@link processSqsBatch}. */
export interface ProcessSqsBatchOptions {
  /**
   * Whether the records come from a FIFO queue. `'auto'` (default): FIFO when a record's
   * `eventSourceARN` ends with `.fifo`. A record without `eventSourceARN` (a hand-written
   * event) counts as FIFO when it has a non-empty `attributes.MessageGroupId`. A record whose
   * ARN names a standard queue does not, even with a `MessageGroupId`: standard queues accept
   * message group ids too (SQS fair queues use them to tell tenants apart) but keep no order.
   * `false` on a FIFO queue gives up its ordering: later messages of a group may be processed
   * (and deleted) while an earlier one goes back to the queue.
   */
  fifo?: boolean | 'auto';
  /**
   * FIFO only: what happens after a record fails.
   *
   * - `'stop-batch'` (default, AWS's guidance): processing stops at the first failure; the
   *   failed record and every record after it are reported, and those after it are not
   *   handled.
   * - `'stop-group'`: only the records after the failure in the same `MessageGroupId` are
   *   skipped and reported; other groups go on. Records without a `MessageGroupId` form one
   *   group of their own.
   */
  fifoFailureMode?: 'stop-batch' | 'stop-group';
  /**
   * How many records (standard queues) or message groups (FIFO, `'stop-group'`) are
   * processed at once. Default 1: one record at a time, in order. FIFO with `'stop-batch'` is
   * always sequential; with `'stop-group'`, each group is processed in order. A positive
   * integer.
   */
  concurrency?: number;
  /**
   * Where failed and skipped records are reported: failures at `warn` with `messageId`,
   * `index`, `errorName` and `errorMessage`; skips at `debug` (each) and `warn` (once per
   * stop). Never given a message body: the body, the message published in it when it is an
   * SNS envelope, either of them escaped inside a JSON string, and the piece that a
   * `JSON.parse` error quotes are cut out of error messages. Default: no logging.
   */
  logger?: Logger;
  /**
   * Called once for every record whose handler failed (not for skipped records), for example
   * to count failures. What it throws or rejects with is logged and otherwise ignored.
   */
  onRecordError?: (error: unknown, record: SqsRecord) => void;
}

type FailureMode = NonNullable<ProcessSqsBatchOptions['fifoFailureMode']>;
type Outcome = 'pending' | 'processed' | 'failed' | 'skipped';

/** Records that run one after another; with a controller, the first failure ends the scope. */
interface Scope {
  indices: number[];
  controller: AbortController | undefined;
}

/**
 * Processes the records of an SQS event with `handler` and answers which ones Lambda should
 * return to the queue, for an event source mapping with
 * `FunctionResponseTypes: ['ReportBatchItemFailures']` (without it, Lambda ignores the answer
 * and deletes the whole batch when the function returns).
 *
 * - Every record ends processed, failed (its handler threw or rejected) or skipped (FIFO: not
 *   handled because an earlier record failed). `batchItemFailures` lists the `messageId` of
 *   every failed and skipped record, in input order, each id once.
 * - FIFO queues (see {@link ProcessSqsBatchOptions.fifo}) stop at the first failure, so
 *   order within a message group is kept; see {@link ProcessSqsBatchOptions.fifoFailureMode}.
 * - Standard queues process every record, `concurrency` at a time.
 * - When every record fails, the answer lists all of them; it is not an exception. Lambda then
 *   returns the whole batch to the queue, and each message counts a receive towards the
 *   queue's redrive policy.
 * - Per-record failures are data. The call itself rejects only for invalid options (a
 *   `TypeError` or `RangeError`) or an event it cannot answer for (an
 *   {@link InvalidSqsEventError}: no `Records` array, a record without `messageId` or
 *   string `body`); both are checked before any handler runs.
 *
 * A handler that never settles keeps the call from settling; Lambda's timeout then ends the
 * invocation and the whole batch is retried.
 *
 * @param event - The Lambda event, as received.
 * @param handler - Called once per record that is processed.
 * @param options - FIFO handling, concurrency, logger and failure hook.
 * @returns The batch response to return from the Lambda handler.
 *
 * @example
 * ```ts
 * export const handler = (event: SqsEvent): Promise<SqsBatchResponse> =>
 *   processSqsBatch(event, async (record) => {
 *     await saveOrder(JSON.parse(record.body));
 *   }, { concurrency: 5, logger });
 * ```
 */
export async function processSqsBatch(
  event: SqsEvent,
  handler: SqsRecordHandler,
  options: ProcessSqsBatchOptions = {},
): Promise<SqsBatchResponse> {
  const settings = readOptions(handler, options);
  const records = readRecords(event);
  const logger = guardLogger(settings.logger);
  if (records.length === 0) return { batchItemFailures: [] };

  const fifo = settings.fifo === 'auto' ? looksFifo(records) : settings.fifo;
  const outcomes: Outcome[] = records.map(() => 'pending');
  const neverAborted = new AbortController().signal;

  const runRecord = async (index: number, signal: AbortSignal): Promise<boolean> => {
    const record = records[index]!;
    try {
      await handler(record, { index, signal });
      outcomes[index] = 'processed';
      return true;
    } catch (error) {
      outcomes[index] = 'failed';
      logger.warn('processSqsBatch: a record failed; it is reported for retry.', {
        messageId: record.messageId,
        index,
        ...recordErrorFields(error, record.body),
      });
      notifyRecordError(settings.onRecordError, error, record, index, logger);
      return false;
    }
  };

  const runScope = async (scope: Scope): Promise<void> => {
    const signal = scope.controller?.signal ?? neverAborted;
    for (let position = 0; position < scope.indices.length; position += 1) {
      const index = scope.indices[position]!;
      if (await runRecord(index, signal)) continue;
      if (scope.controller === undefined) continue;
      const rest = scope.indices.slice(position + 1);
      scope.controller.abort();
      skip(rest, index);
      return;
    }
  };

  const skip = (indices: number[], failedIndex: number): void => {
    if (indices.length === 0) return;
    const failedMessageId = records[failedIndex]!.messageId;
    const mode = settings.fifoFailureMode;
    const reason =
      mode === 'stop-batch'
        ? `FIFO stop-batch: record ${failedIndex} (${failedMessageId}) failed, so no later record is processed`
        : `FIFO stop-group: record ${failedIndex} (${failedMessageId}) failed, so no later record of its message group is processed`;
    for (const index of indices) {
      outcomes[index] = 'skipped';
      logger.debug('processSqsBatch: record skipped; it is reported for retry.', {
        messageId: records[index]!.messageId,
        index,
        reason,
      });
    }
    logger.warn(`processSqsBatch: ${indices.length} record(s) skipped to keep FIFO order; they are reported for retry.`, {
      failedMessageId,
      failedIndex,
      mode,
      messageGroupId: records[failedIndex]!.attributes?.MessageGroupId,
      skippedMessageIds: indices.map((index) => records[index]!.messageId),
    });
  };

  let scopes: Scope[];
  let limit: number;
  if (!fifo) {
    scopes = records.map((_, index) => ({ indices: [index], controller: undefined }));
    limit = settings.concurrency;
  } else if (settings.fifoFailureMode === 'stop-batch') {
    scopes = [{ indices: records.map((_, index) => index), controller: new AbortController() }];
    limit = 1;
  } else {
    scopes = groupScopes(records);
    limit = settings.concurrency;
  }
  await runPool(scopes, limit, runScope);

  const batchItemFailures: SqsBatchItemFailure[] = [];
  const reported = new Set<string>();
  let failed = 0;
  let skipped = 0;
  outcomes.forEach((outcome, index) => {
    if (outcome === 'processed') return;
    if (outcome === 'failed') failed += 1;
    else skipped += 1; // 'pending' cannot happen; counted and reported rather than dropped
    const messageId = records[index]!.messageId;
    if (reported.has(messageId)) return;
    reported.add(messageId);
    batchItemFailures.push({ itemIdentifier: messageId });
  });

  const summary = { records: records.length, failed, skipped, fifo, mode: fifo ? settings.fifoFailureMode : undefined };
  if (failed + skipped === records.length) {
    logger.warn(
      'processSqsBatch: no record of the batch was processed; every message is reported and Lambda returns them all to the queue.',
      summary,
    );
  } else {
    logger.debug('processSqsBatch: batch done.', summary);
  }
  return { batchItemFailures };
}

interface Settings {
  fifo: boolean | 'auto';
  fifoFailureMode: FailureMode;
  concurrency: number;
  logger: Logger;
  onRecordError: ((error: unknown, record: SqsRecord) => void) | undefined;
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : safeText(value);
}

function readOptions(handler: unknown, options: unknown): Settings {
  if (typeof handler !== 'function') {
    throw new TypeError(`processSqsBatch: handler must be a function, got ${show(handler)}.`);
  }
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`processSqsBatch: options must be an object when given, got ${show(options)}.`);
  }
  const { fifo, fifoFailureMode, concurrency, logger, onRecordError } = options as ProcessSqsBatchOptions;
  if (fifo !== undefined && fifo !== true && fifo !== false && fifo !== 'auto') {
    throw new TypeError(`processSqsBatch: fifo must be true, false or 'auto', got ${show(fifo)}.`);
  }
  if (fifoFailureMode !== undefined && fifoFailureMode !== 'stop-batch' && fifoFailureMode !== 'stop-group') {
    throw new RangeError(
      `processSqsBatch: fifoFailureMode must be 'stop-batch' or 'stop-group', got ${show(fifoFailureMode)}.`,
    );
  }
  if (concurrency !== undefined && (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 1)) {
    throw new RangeError(`processSqsBatch: concurrency must be an integer >= 1, got ${show(concurrency)}.`);
  }
  if (logger !== undefined) {
    const methods = ['debug', 'info', 'warn', 'error'] as const;
    const missing = methods.filter((name) => typeof (logger as Partial<Logger> | null)?.[name] !== 'function');
    if (missing.length > 0) {
      throw new TypeError(
        `processSqsBatch: logger must have debug, info, warn and error methods; missing ${missing.join(', ')}.`,
      );
    }
  }
  if (onRecordError !== undefined && typeof onRecordError !== 'function') {
    throw new TypeError(`processSqsBatch: onRecordError must be a function when given, got ${show(onRecordError)}.`);
  }
  return {
    fifo: fifo ?? 'auto',
    fifoFailureMode: fifoFailureMode ?? 'stop-batch',
    concurrency: concurrency ?? 1,
    logger: logger ?? silentLogger,
    onRecordError,
  };
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

function readRecords(event: unknown): SqsRecord[] {
  if (event === null || typeof event !== 'object') {
    throw new InvalidSqsEventError(
      `processSqsBatch: the event must be an object with a Records array, got ${kindOf(event)}. ` +
        'Pass the event Lambda gave the function, unchanged.',
    );
  }
  const records: unknown = (event as { Records?: unknown }).Records;
  if (!Array.isArray(records)) {
    throw new InvalidSqsEventError(
      `processSqsBatch: the event has no Records array (Records is ${kindOf(records)}). ` +
        'Check that the function is invoked by an SQS event source mapping and passes the event on unchanged.',
    );
  }
  for (let index = 0; index < records.length; index += 1) {
    const record: unknown = records[index];
    if (record === null || typeof record !== 'object') {
      throw new InvalidSqsEventError(
        `processSqsBatch: Records[${index}] must be an object, got ${kindOf(record)}. Nothing was processed.`,
        index,
      );
    }
    const { messageId, body } = record as { messageId?: unknown; body?: unknown };
    if (typeof messageId !== 'string' || messageId === '') {
      throw new InvalidSqsEventError(
        `processSqsBatch: Records[${index}] has no messageId (${kindOf(messageId)} instead of a non-empty string), ` +
          'so a batch response could not report it. Nothing was processed; check the event source.',
        index,
      );
    }
    if (typeof body !== 'string') {
      throw new InvalidSqsEventError(
        `processSqsBatch: Records[${index}] (messageId ${messageId}) has no string body (${kindOf(body)}). ` +
          'Nothing was processed; check the event source.',
        index,
      );
    }
  }
  return records as SqsRecord[];
}

function looksFifo(records: SqsRecord[]): boolean {
  return records.some((record) => {
    const arn: unknown = record.eventSourceARN;
    // The queue's ARN decides when there is one: a standard (fair) queue's messages can carry a MessageGroupId.
    if (typeof arn === 'string' && arn !== '') return arn.endsWith('.fifo');
    const group: unknown = record.attributes?.MessageGroupId;
    return typeof group === 'string' && group !== '';
  });
}

/** One scope per message group, in order of each group's first record. */
function groupScopes(records: SqsRecord[]): Scope[] {
  const groups = new Map<string | undefined, Scope>();
  records.forEach((record, index) => {
    const group: unknown = record.attributes?.MessageGroupId;
    const key = typeof group === 'string' ? group : undefined;
    let scope = groups.get(key);
    if (scope === undefined) {
      scope = { indices: [], controller: new AbortController() };
      groups.set(key, scope);
    }
    scope.indices.push(index);
  });
  return [...groups.values()];
}

/** Runs `run` over `scopes` in order, at most `limit` at a time. `run` must not reject. */
async function runPool(scopes: Scope[], limit: number, run: (scope: Scope) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < scopes.length) {
      const scope = scopes[next]!;
      next += 1;
      await run(scope);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, scopes.length) }, worker));
}

function notifyRecordError(
  onRecordError: Settings['onRecordError'],
  error: unknown,
  record: SqsRecord,
  index: number,
  logger: Logger,
): void {
  if (onRecordError === undefined) return;
  const report = (hookError: unknown): void => {
    logger.warn('processSqsBatch: onRecordError threw; ignored.', {
      messageId: record.messageId,
      index,
      ...recordErrorFields(hookError, record.body),
    });
  };
  try {
    const result: unknown = onRecordError(error, record);
    if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') {
      (result as PromiseLike<unknown>).then(undefined, report);
    }
  } catch (hookError) {
    report(hookError);
  }
}
