import { type AttributeValue, type DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { SqsBatchResponse, SqsEvent, SqsRecord } from '@herald/core';
import { type IdempotencyStore, type LambdaContextLike, makeIdempotentSqsHandler } from '@herald/idempotency';
import { isRefundRequest, type RefundRequest } from './refund-request.js';

/** The idempotency scope of refunds: records are stored under `refund#<paymentReference>`. */
export const REFUND_SCOPE = 'refund';

/** The key of a payment reference's idempotency record, as stored (`scope#key`). */
export function refundRecordKey(paymentReference: string): string {
  return `${REFUND_SCOPE}#${paymentReference}`;
}

/** What a refund returns, and what the idempotency record stores for its payment reference. */
export interface RefundResult {
  readonly paymentReference: string;
  readonly accountId: string;
  readonly creditedCents: number;
  /** The account's balance right after this credit. */
  readonly balanceCents: number;
}

/** The refund names an account the table does not have. Retried, then dead-lettered. */
export class AccountNotFoundError extends Error {
  override readonly name = 'AccountNotFoundError';
  readonly code = 'AccountNotFound';

  constructor(accountId: string, options?: ErrorOptions) {
    super(`Account "${accountId}" does not exist; the refund was not applied.`, options);
  }
}

/** What {@link creditAccount} did. */
export interface CreditOutcome {
  readonly result: RefundResult;
  /**
   * `false` when the account already listed the payment reference, so nothing was credited:
   * an earlier run of the refund credited it, but its idempotency record was never completed
   * (the invocation timed out or died between the credit and the completion).
   */
  readonly credited: boolean;
}

/**
 * Credits `refund.amountCents` to the account, in one conditional UpdateItem: `ADD` on the
 * balance (atomic: no read-modify-write race between concurrent refunds to one account), and the
 * payment reference appended to the account's `appliedRefunds`, only if the account exists and
 * does not list the reference yet.
 *
 * The idempotency record makes repeated requests cheap and answers them with the first result;
 * this condition covers the one case no lock can: a run that credited and then died before its
 * record was completed (its lock expires, the redelivery runs the refund again). The credit and
 * its proof are one item, so they are written together or not at all. Fails with
 * {@link AccountNotFoundError} rather than create an account.
 */
export async function creditAccount(dynamodb: DynamoDBClient, accountsTable: string, refund: RefundRequest): Promise<CreditOutcome> {
  const key = { accountId: { S: refund.accountId } };
  const resultWith = (balance: string | undefined): RefundResult => ({
    paymentReference: refund.paymentReference,
    accountId: refund.accountId,
    creditedCents: refund.amountCents,
    balanceCents: Number(balance ?? Number.NaN),
  });
  try {
    const out = await dynamodb.send(
      new UpdateItemCommand({
        TableName: accountsTable,
        Key: key,
        UpdateExpression: 'ADD balanceCents :amount SET appliedRefunds = list_append(if_not_exists(appliedRefunds, :none), :references)',
        ConditionExpression: 'attribute_exists(accountId) AND NOT contains(appliedRefunds, :reference)',
        ExpressionAttributeValues: {
          ':amount': { N: String(refund.amountCents) },
          ':reference': { S: refund.paymentReference },
          ':references': { L: [{ S: refund.paymentReference }] },
          ':none': { L: [] },
        },
        ReturnValues: 'UPDATED_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { result: resultWith(out.Attributes?.['balanceCents']?.N), credited: true };
  } catch (error) {
    if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
    const item =
      (error as Error & { Item?: Record<string, AttributeValue> }).Item ??
      (await dynamodb.send(new GetItemCommand({ TableName: accountsTable, Key: key, ConsistentRead: true }))).Item;
    if (item === undefined) throw new AccountNotFoundError(refund.accountId, { cause: error });
    const applied = (item['appliedRefunds']?.L ?? []).some((value) => value.S === refund.paymentReference);
    if (!applied) throw error; // the condition failed for a reason it does not state: let SQS retry
    return { result: resultWith(item['balanceCents']?.N), credited: false };
  }
}

/** Options for {@link createRefundHandler}. */
export interface RefundHandlerOptions {
  /** A configured DynamoDB client for the accounts table. */
  readonly dynamodb: DynamoDBClient;
  /** Name of the accounts table. */
  readonly accountsTable: string;
  /** Where idempotency records live (`createDynamoDbStore` on the idempotency table). */
  readonly store: IdempotencyStore;
  /** Source of randomness for the jitter of waits on a duplicate in progress. Default `Math.random`. */
  readonly random?: () => number;
  /**
   * Called after the payment reference's lock is taken and before the account is credited: the
   * point where the example makes the runtime crash.
   */
  readonly beforeCredit?: (refund: RefundRequest, record: SqsRecord) => void | Promise<void>;
  /** Called once the account is credited. */
  readonly onCredited?: (result: RefundResult, record: SqsRecord) => void;
  /** Called when the account already listed the payment reference, so nothing was credited. */
  readonly onAlreadyApplied?: (result: RefundResult, record: SqsRecord) => void;
  /** Called for every record that fails (invalid, payload mismatch, account missing, store down). */
  readonly onRecordError?: (error: unknown, record: SqsRecord) => void;
}

/**
 * The refund Lambda function's handler for its SQS event source mapping (with
 * `FunctionResponseTypes: ['ReportBatchItemFailures']`): each record's body is checked against
 * the refund schema before any lock, then the refund runs at most once per payment reference.
 *
 * - `key: paymentReference`, `scope: 'refund'`: a repeated payment reference is answered with
 *   the stored {@link RefundResult}, without crediting again.
 * - `payloadValidation`: the same payment reference with another amount or account fails with
 *   `IdempotencyPayloadMismatchError`, instead of being answered with the first refund's result.
 *   The SQS handler hashes the message text as sent, so a retry must resend the same text (a
 *   re-serialised body with other key order or spacing counts as another payload).
 * - `waitForInProgress`: a duplicate that arrives while the first is running (same batch, or a
 *   batch processed at the same time) waits for its result instead of failing.
 * - The lock expires when the invocation would time out (from the Lambda context), so a crashed
 *   invocation's refund is taken over by the redelivery once that time has passed.
 * - Records that fail are listed in `batchItemFailures`; only they come back from the queue.
 * - The credit itself is conditional on the account not listing the payment reference yet
 *   ({@link creditAccount}): the one case the lock cannot cover.
 */
export function createRefundHandler(options: RefundHandlerOptions): (event: SqsEvent, context?: LambdaContextLike) => Promise<SqsBatchResponse> {
  const { dynamodb, accountsTable, beforeCredit, onCredited, onAlreadyApplied } = options;
  return makeIdempotentSqsHandler<RefundRequest, RefundResult>(
    async (refund, record) => {
      await beforeCredit?.(refund, record);
      const { result, credited } = await creditAccount(dynamodb, accountsTable, refund);
      if (credited) onCredited?.(result, record);
      else onAlreadyApplied?.(result, record);
      return result;
    },
    {
      store: options.store,
      scope: REFUND_SCOPE,
      key: (refund) => refund.paymentReference,
      validator: isRefundRequest,
      payloadValidation: true,
      // A client may retry a refund for a day; after that the record expires (DynamoDB TTL).
      expiresAfterSeconds: 24 * 60 * 60,
      waitForInProgress: { timeoutMs: 10_000 },
      // The whole batch at once: duplicates inside it meet at the lock.
      concurrency: 10,
      ...(options.random === undefined ? {} : { random: options.random }),
      ...(options.onRecordError === undefined ? {} : { onRecordError: options.onRecordError }),
    },
  );
}
