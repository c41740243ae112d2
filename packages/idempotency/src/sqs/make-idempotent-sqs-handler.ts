import {
  processSqsBatch,
  type ProcessSqsBatchOptions,
  type SqsBatchResponse,
  type SqsEvent,
  type SqsRecord,
  type UnwrappedSqsRecord,
  unwrapSqsRecord,
  ValidationError,
  type Validator,
} from '@herald/core';
import type { IdempotencyOptions, LambdaContextLike } from '../idempotency-options.js';
import { createIdempotencyRunner } from '../idempotency-runner.js';

/** Options for {@link makeIdempotentSqsHandler}. */
export interface IdempotentSqsHandlerOptions<TBody>
  extends IdempotencyOptions,
    Pick<ProcessSqsBatchOptions, 'fifo' | 'fifoFailureMode' | 'concurrency' | 'onRecordError'> {
  /**
   * Turns a record into the body the handler gets. Default: the message text (the SNS
   * `Message` of an SNS envelope, else the SQS body) parsed as JSON, or the text itself when it
   * is not JSON; an S3 notification gives `{ records }`, an EventBridge event the event.
   */
  parseBody?: (unwrapped: UnwrappedSqsRecord, record: SqsRecord) => TBody;
  /**
   * A validator from `createValidator`. A body it rejects fails its record with
   * `ValidationError` (ajv errors as data) before any lock is taken; SQS redelivers it until the
   * queue's redrive policy moves it to a dead-letter queue.
   */
  validator?: Validator<TBody>;
  /**
   * The idempotency key of a record. Default: a SHA-256 hash of the message text (the SNS
   * `Message` of an envelope, else the SQS body), so the same message delivered twice, or
   * published twice, runs once, with raw delivery or without. The hash is of the text, not of
   * the parsed body, so numbers beyond 2^53 that JSON would round never make two messages
   * alike. Message attributes and the SQS `messageId` are not part of it (a message published
   * twice has two ids). With `payloadValidation`, the same text hash is the payload hash.
   */
  key?: (body: TBody, record: SqsRecord) => string;
}

/** The per-record function: gets the parsed body and the raw record. */
export type IdempotentSqsRecordHandler<TBody, TResult> = (body: TBody, record: SqsRecord) => TResult | PromiseLike<TResult>;

/** The text a record's message was published with: the SNS `Message` of an envelope, else the body. */
function messageText(unwrapped: UnwrappedSqsRecord, record: SqsRecord): string {
  if (unwrapped.kind === 'sns') return unwrapped.message;
  if (unwrapped.kind === 's3' && unwrapped.envelope !== undefined) return unwrapped.envelope.Message;
  return record.body;
}

function defaultParseBody(unwrapped: UnwrappedSqsRecord): unknown {
  const text = unwrapped.kind === 'sns' ? unwrapped.message : unwrapped.kind === 'raw' ? unwrapped.body : undefined;
  if (text === undefined) return unwrapped.kind === 's3' ? { records: unwrapped.records } : unwrapped.kind === 'eventbridge' ? unwrapped.event : undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Makes an SQS-triggered Lambda handler with record-level idempotency and partial batch
 * responses (on `processSqsBatch` from `@herald/core`): each record's handler runs at most once
 * per idempotency key; records that fail are returned in `batchItemFailures` so only they are
 * redelivered. The event source mapping needs `FunctionResponseTypes: ['ReportBatchItemFailures']`.
 *
 * SNS-wrapped bodies are unwrapped (`unwrapSqsRecord`), so the key is the same whether the
 * queue uses raw delivery or not. A record whose key another call holds waits for it
 * (`waitForInProgress` is on by default here), so duplicates inside one batch, or in two
 * concurrent batches, run once. FIFO queues stop at the first failure (AWS's guidance) unless
 * `fifoFailureMode: 'stop-group'`.
 *
 * @param handler - What to do with one record's body.
 * @param options - See {@link IdempotentSqsHandlerOptions}.
 * @returns A Lambda handler `(event, context) => { batchItemFailures }`.
 * @example
 * ```ts
 * export const handler = makeIdempotentSqsHandler(
 *   async (order: Order) => fulfil(order),
 *   { store: createDynamoDbStore({ client, tableName: 'idempotency' }), key: (order) => order.orderId },
 * );
 * ```
 */
export function makeIdempotentSqsHandler<TBody = unknown, TResult = unknown>(
  handler: IdempotentSqsRecordHandler<TBody, TResult>,
  options: IdempotentSqsHandlerOptions<TBody>,
): (event: SqsEvent, context?: LambdaContextLike) => Promise<SqsBatchResponse> {
  if (typeof handler !== 'function') throw new TypeError('makeIdempotentSqsHandler: handler must be a function.');
  const runner = createIdempotencyRunner({ ...options, waitForInProgress: options.waitForInProgress ?? true });
  const parseBody = options.parseBody ?? (defaultParseBody as (unwrapped: UnwrappedSqsRecord) => TBody);
  const { validator, key } = options;

  return (event, context) =>
    processSqsBatch(
      event,
      async (record) => {
        const unwrapped = unwrapSqsRecord(record);
        const body = parseBody(unwrapped, record);
        if (validator !== undefined) {
          const checked = validator.validate(body);
          if (!checked.valid) throw new ValidationError(checked.errors);
        }
        // Key (by default) and payload hash come from the message text, exactly as published.
        const call = runner.prepare(messageText(unwrapped, record), key === undefined ? undefined : () => key(body, record), context);
        return runner.run(call, () => handler(body, record));
      },
      {
        ...(options.fifo === undefined ? {} : { fifo: options.fifo }),
        ...(options.fifoFailureMode === undefined ? {} : { fifoFailureMode: options.fifoFailureMode }),
        ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
        ...(options.onRecordError === undefined ? {} : { onRecordError: options.onRecordError }),
        ...(options.logger === undefined ? {} : { logger: options.logger }),
      },
    );
}
