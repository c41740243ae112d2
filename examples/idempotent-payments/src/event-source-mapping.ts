import { randomUUID } from 'node:crypto';
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { sqsRecordFromMessage, type SqsBatchResponse, type SqsEvent, type SqsRecord } from '@herald/core';
import type { LambdaContextLike } from '@herald/idempotency';
import type { Queue } from './infrastructure.js';

/** The part of a Lambda context the example's runtime gives each invocation. */
export interface LambdaContext extends LambdaContextLike {
  readonly functionName: string;
  readonly awsRequestId: string;
}

/** A Lambda handler for SQS events with partial batch responses. */
export type SqsLambdaHandler = (event: SqsEvent, context: LambdaContext) => Promise<SqsBatchResponse>;

/** How one invocation ended, as Lambda would see it. */
export type InvocationOutcome =
  /** The handler returned a batch response: the records it did not list are deleted. */
  | 'returned'
  /** The runtime process died during the invocation: nothing is deleted, the batch comes back. */
  | 'crashed'
  /** The handler ran past the function timeout: Lambda stops it, nothing is deleted, the batch comes back. */
  | 'timed-out'
  /** The handler threw, or returned an answer Lambda cannot use: the whole batch comes back. */
  | 'failed';

/** One invocation of the function with one batch. */
export interface Invocation {
  /** 1, 2, 3… in the order the batches were received. */
  readonly number: number;
  /** The records of the event, built from the messages as received. */
  readonly records: readonly SqsRecord[];
  readonly outcome: InvocationOutcome;
  /** Message ids Lambda leaves in the queue (listed in `batchItemFailures`, or all when the invocation did not return). */
  readonly returned: readonly string[];
  /** Message ids deleted from the queue. */
  readonly deleted: readonly string[];
  /** Message ids whose deletion failed (they come back and are processed again). */
  readonly deleteFailures: readonly string[];
}

/** Options for {@link createEventSourceMapping}. */
export interface EventSourceMappingOptions {
  readonly sqs: SQSClient;
  readonly queue: Queue;
  readonly handler: SqsLambdaHandler;
  /** The function timeout: each invocation's Lambda context counts down from it. */
  readonly functionTimeoutMs: number;
  /** Records per batch (Lambda's `BatchSize`; at most 10 per ReceiveMessage). Default 10. */
  readonly batchSize?: number;
  /** Batches received and processed at the same time. Default 2. */
  readonly parallelBatches?: number;
  /** Long-poll wait of the first ReceiveMessage of a round, in seconds. Default 1. */
  readonly waitTimeSeconds?: number;
  /** Name in the Lambda context. Default `refund-handler`. */
  readonly functionName?: string;
}

/** A stand-in for Lambda's SQS event source mapping and runtime, one round at a time. */
export interface EventSourceMapping {
  /**
   * One round: receives up to `parallelBatches` batches (the first with a long poll, the others
   * only while the previous one came back full), invokes the handler with all of them at the
   * same time, and deletes every record not listed in `batchItemFailures`. Failed records are
   * left alone: SQS makes them visible again when their visibility timeout ends, as with Lambda.
   * Returns the invocations, none when nothing was received.
   */
  poll(): Promise<Invocation[]>;
  /**
   * Makes the runtime process of the invocation now handling this delivery of `record` die, as
   * an out-of-memory kill or `process.exit` would: the invocation ends at once without an
   * answer, and nothing it held is released. Returns a promise that never settles, for the dying
   * code to await.
   */
  crash(record: SqsRecord): Promise<never>;
  /**
   * Whether this delivery of `record` belongs to an invocation that is over for Lambda: its
   * runtime died, or its function timeout has passed. JavaScript cannot stop the rest of such an
   * invocation, so the handler's code checks this before each effect and stops itself, as it
   * would with the process gone. (A lock held by the invocation expires at that same deadline;
   * without this check a record still running could credit after another delivery took over.)
   */
  isDead(record: SqsRecord): boolean;
}

/** A batch response is usable when every identifier names a record of the batch (else Lambda retries the whole batch). */
function returnedIds(response: unknown, records: readonly SqsRecord[]): string[] | undefined {
  const failures = (response as Partial<SqsBatchResponse> | null | undefined)?.batchItemFailures;
  if (failures === undefined || failures === null) return [];
  if (!Array.isArray(failures)) return undefined;
  const ids = new Set(records.map((r) => r.messageId));
  const out: string[] = [];
  for (const failure of failures as unknown[]) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !ids.has(id)) return undefined;
    out.push(id);
  }
  return out;
}

/**
 * Creates the stand-in for Lambda's event source mapping on `queue`: it receives batches of up
 * to 10 real messages (system attributes included), builds the `SqsEvent` Lambda would, calls
 * the handler with a Lambda context whose remaining time counts down from the function timeout,
 * and deletes the messages not listed in `batchItemFailures`.
 */
export function createEventSourceMapping(options: EventSourceMappingOptions): EventSourceMapping {
  const { sqs, queue, handler, functionTimeoutMs } = options;
  const batchSize = options.batchSize ?? 10;
  const parallelBatches = options.parallelBatches ?? 2;
  const waitTimeSeconds = options.waitTimeSeconds ?? 1;
  const functionName = options.functionName ?? 'refund-handler';
  /** Running invocations' "the process died" signal, by the receipt handles of their deliveries. */
  const dying = new Map<string, () => void>();
  /** Receipt handles of the deliveries of invocations whose runtime died or timed out. */
  const dead = new Set<string>();
  /** When each delivery's invocation times out, by receipt handle. */
  const deadlines = new Map<string, number>();
  let invocations = 0;

  const receive = async (waitSeconds: number): Promise<Message[]> => {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: batchSize,
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    return out.Messages ?? [];
  };

  const remove = async (records: readonly SqsRecord[]): Promise<{ deleted: string[]; failed: string[] }> => {
    if (records.length === 0) return { deleted: [], failed: [] };
    const out = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: records.map((record, i) => ({ Id: String(i), ReceiptHandle: record.receiptHandle ?? '' })),
      }),
    );
    const failed = new Set((out.Failed ?? []).map((entry) => records[Number(entry.Id)]?.messageId ?? '?'));
    return { deleted: records.map((r) => r.messageId).filter((id) => !failed.has(id)), failed: [...failed] };
  };

  const invoke = async (messages: Message[]): Promise<Invocation> => {
    const number = ++invocations;
    const records = messages.map((message) => sqsRecordFromMessage(message, queue.arn));
    const all = records.map((r) => r.messageId);
    const deadline = Date.now() + functionTimeoutMs;
    const context: LambdaContext = {
      functionName,
      awsRequestId: randomUUID(),
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };

    const handles = records.map((r) => r.receiptHandle ?? '');
    for (const handle of handles) deadlines.set(handle, deadline);
    const end = (): void => {
      for (const handle of handles) dead.add(handle);
    };
    let died!: () => void;
    const crashed = new Promise<'crashed'>(
      (resolve) =>
        (died = () => {
          end();
          resolve('crashed');
        }),
    );
    for (const handle of handles) dying.set(handle, died);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timed-out'>((resolve) => (timer = setTimeout(() => resolve('timed-out'), functionTimeoutMs)));
    const running = Promise.resolve()
      .then(() => handler({ Records: records }, context))
      .then(
        (response) => ({ response }),
        () => 'failed' as const,
      );
    try {
      const first = await Promise.race([running, crashed, timedOut]);
      if (first === 'crashed') return { number, records, outcome: 'crashed', returned: all, deleted: [], deleteFailures: [] };
      if (first === 'timed-out') {
        // Lambda stops the function here; what is left of it stops at its next isDead check.
        end();
        return { number, records, outcome: 'timed-out', returned: all, deleted: [], deleteFailures: [] };
      }
      const returned = first === 'failed' ? undefined : returnedIds(first.response, records);
      if (returned === undefined) return { number, records, outcome: 'failed', returned: all, deleted: [], deleteFailures: [] };
      const keep = new Set(returned);
      const { deleted, failed } = await remove(records.filter((r) => !keep.has(r.messageId)));
      return { number, records, outcome: 'returned', returned, deleted, deleteFailures: failed };
    } finally {
      clearTimeout(timer);
      for (const handle of handles) if (dying.get(handle) === died) dying.delete(handle);
    }
  };

  return {
    async poll() {
      const batches: Message[][] = [];
      let next = await receive(waitTimeSeconds);
      while (next.length > 0) {
        batches.push(next);
        if (next.length < batchSize || batches.length >= parallelBatches) break;
        next = await receive(0);
      }
      return Promise.all(batches.map(invoke));
    },
    crash(record) {
      const die = dying.get(record.receiptHandle ?? '');
      if (die === undefined) throw new Error(`crash: no invocation is handling this delivery of message ${record.messageId}`);
      die();
      return new Promise<never>(() => {});
    },
    isDead(record) {
      const handle = record.receiptHandle ?? '';
      return dead.has(handle) || Date.now() >= (deadlines.get(handle) ?? Number.POSITIVE_INFINITY);
    },
  };
}
