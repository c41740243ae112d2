import type { SqsRecord } from '@herald/core';
import type { PlannedRequest } from './requests.js';

/** How a request message ended. */
export type Settlement =
  /** Processed, and its delivery is the one that credited the account. */
  | 'executed'
  /** Processed without crediting: the store answered for its payment reference. */
  | 'answered'
  /** Moved to the dead-letter queue by the redrive policy. */
  | 'dead-lettered';

/** Everything seen about one sent message. */
export interface LedgerEntry {
  readonly request: PlannedRequest;
  readonly messageId: string;
  /** Times it was handed to the handler. */
  deliveries: number;
  /** Times the handler credited an account for it (more than 1 is a refund run twice). */
  credits: number;
  /** How it ended; `undefined` while it is still in the queue. */
  settlement: Settlement | undefined;
  /** Failures of its deliveries, by error code. */
  readonly failures: Map<string, number>;
  /** Code of its latest failure. */
  lastFailure: string | undefined;
}

function errorCode(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && code !== '' ? code : error.name;
  }
  return typeof error;
}

/**
 * The accounts of the run: one entry per message sent, filled in from what the handler, the
 * event source mapping and the dead-letter queue report. Nothing in it comes from the plan's
 * expectations, so comparing the two checks the run.
 */
export class RequestLedger {
  readonly #byMessageId = new Map<string, LedgerEntry>();
  /** Receipt handles of deliveries that credited an account (one handle per delivery). */
  readonly #creditingDeliveries = new Set<string>();
  /** Credits per payment reference, whatever message they came from. */
  readonly creditsByReference = new Map<string, number>();
  /** Messages received that this run did not send (another producer on the queue?). */
  unknownMessages = 0;

  /** Records that `request` went out as SQS message `messageId`. */
  sent(request: PlannedRequest, messageId: string): void {
    this.#byMessageId.set(messageId, {
      request,
      messageId,
      deliveries: 0,
      credits: 0,
      settlement: undefined,
      failures: new Map(),
      lastFailure: undefined,
    });
  }

  /** The entry of a message, if this run sent it. */
  entry(messageId: string): LedgerEntry | undefined {
    return this.#byMessageId.get(messageId);
  }

  /** A delivery of `record` to the handler. */
  delivered(record: SqsRecord): void {
    const entry = this.#byMessageId.get(record.messageId);
    if (entry === undefined) this.unknownMessages += 1;
    else entry.deliveries += 1;
  }

  /** The handler credited an account while processing `record`. */
  credited(record: SqsRecord, paymentReference: string): void {
    const entry = this.#byMessageId.get(record.messageId);
    if (entry !== undefined) entry.credits += 1;
    if (record.receiptHandle !== undefined) this.#creditingDeliveries.add(record.receiptHandle);
    this.creditsByReference.set(paymentReference, (this.creditsByReference.get(paymentReference) ?? 0) + 1);
  }

  /** Whether this delivery (by its receipt handle) is the one that credited. */
  creditedIn(record: SqsRecord): boolean {
    return record.receiptHandle !== undefined && this.#creditingDeliveries.has(record.receiptHandle);
  }

  /** A delivery of `record` failed with `error`. */
  failed(record: SqsRecord, error: unknown): void {
    const entry = this.#byMessageId.get(record.messageId);
    if (entry === undefined) return;
    const code = errorCode(error);
    entry.failures.set(code, (entry.failures.get(code) ?? 0) + 1);
    entry.lastFailure = code;
  }

  /** A delivery of `record` was lost with its invocation (`crashed`, `timed-out`, `failed`): no answer for it. */
  invocationLost(record: SqsRecord, outcome: string): void {
    const entry = this.#byMessageId.get(record.messageId);
    if (entry === undefined) return;
    const code = `invocation ${outcome}`;
    entry.failures.set(code, (entry.failures.get(code) ?? 0) + 1);
    entry.lastFailure = code;
  }

  /**
   * The message was processed and deleted. Its settlement is `executed` if any of its
   * deliveries credited the account, else `answered`. A message SQS delivers again after it was
   * deleted keeps its first settlement.
   */
  deleted(messageId: string): void {
    const entry = this.#byMessageId.get(messageId);
    if (entry === undefined || entry.settlement !== undefined) return;
    entry.settlement = entry.credits > 0 ? 'executed' : 'answered';
  }

  /**
   * A message found in the dead-letter queue. Matched by message id, else (should the id
   * differ) by body to a message not settled yet. Returns the entry, `undefined` if unmatched.
   */
  deadLettered(messageId: string, body: string): LedgerEntry | undefined {
    let entry = this.#byMessageId.get(messageId);
    if (entry === undefined) {
      entry = [...this.#byMessageId.values()].find((e) => e.settlement === undefined && e.request.body === body);
    }
    if (entry === undefined) return undefined;
    entry.settlement = 'dead-lettered';
    return entry;
  }

  /** Every entry, in the order the messages were sent. */
  entries(): LedgerEntry[] {
    return [...this.#byMessageId.values()];
  }

  /** Entries not settled yet: still in the queue. */
  unsettled(): LedgerEntry[] {
    return this.entries().filter((e) => e.settlement === undefined);
  }
}
