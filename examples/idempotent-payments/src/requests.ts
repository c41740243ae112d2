import { createSeededRandom } from '@herald/core';
import type { RefundRequest } from './refund-request.js';

/** An account of the payments table, with the balance it opens with. */
export interface Account {
  readonly accountId: string;
  readonly openingBalanceCents: number;
}

/** What a planned message is, and so how it must end. */
export type RequestKind =
  /** A refund sent once: executed. */
  | 'refund'
  /** The same message sent again, in a later batch: answered from the store. */
  | 'exact-duplicate'
  /** The same message again, in the same batch (processed concurrently): answered from the store. */
  | 'same-batch-duplicate'
  /** The same message in the other batch of the pair processed at the same time: answered from the store. */
  | 'concurrent-batch-duplicate'
  /** Not a refund request (schema or JSON): rejected before any lock, ends in the dead-letter queue. */
  | 'malformed'
  /** An earlier payment reference with another amount: payload mismatch, ends in the dead-letter queue. */
  | 'reused-reference';

/** The kinds of message whose refund is valid: each counts once per payment reference. */
export const VALID_KINDS: ReadonlySet<RequestKind> = new Set([
  'refund',
  'exact-duplicate',
  'same-batch-duplicate',
  'concurrent-batch-duplicate',
]);

/** One message of the request stream. */
export interface PlannedRequest {
  readonly kind: RequestKind;
  /** The SQS message body, exactly as sent (duplicates share it character for character). */
  readonly body: string;
  /** The refund it asks for, when the body is one (valid kinds and `reused-reference`). */
  readonly refund: RefundRequest | undefined;
  /** What the message is, for the output: for a malformed one, what is wrong with it. */
  readonly description: string;
  /**
   * `main`: sent at the start. `late`: sent once the original of its payment reference has
   * completed, so the outcome does not depend on delivery order.
   */
  readonly wave: 'main' | 'late';
  /**
   * The batch of 10 it falls in when the queue delivers in sending order (the local endpoint
   * does; real SQS standard queues mostly do not). Only a guide: no count depends on it.
   */
  readonly intendedBatch: number | undefined;
}

/** What the run must end with, computed from the plan alone (not from what the handler did). */
export interface ExpectedOutcome {
  /** Messages sent. */
  readonly requests: number;
  /** Distinct payment references of valid requests: each refund runs exactly once. */
  readonly refundsExecuted: number;
  /** Valid messages whose payment reference was already refunded (or being refunded). */
  readonly duplicatesAnswered: number;
  /** Malformed messages. */
  readonly rejectedInvalid: number;
  /** Payment references reused with a different payload. */
  readonly rejectedReusedReference: number;
  /** Balance of every account after every refund applied once, in cents. */
  readonly balances: Readonly<Record<string, number>>;
  /** Every payment reference that must be applied, once each. */
  readonly refundedReferences: readonly string[];
}

/** The accounts, the request stream and what it must lead to. */
export interface RefundPlan {
  readonly seed: number;
  readonly accounts: readonly Account[];
  /** The `main` wave in sending order, then the `late` wave. */
  readonly requests: readonly PlannedRequest[];
  /** The payment reference whose first processing crashes the (simulated) Lambda runtime. */
  readonly crashReference: string;
  readonly expected: ExpectedOutcome;
}

const REASONS = ['item returned', 'damaged in transit', 'charged twice', 'order cancelled', 'late delivery'] as const;
const ACCOUNT_COUNT = 5;
const DISTINCT_REFUNDS = 24;
const BATCH_SIZE = 10;

/** Small seeded helpers over one random stream, so the same seed gives the same plan. */
function seeded(seed: number) {
  const random = createSeededRandom(seed);
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const shuffle = <T>(items: readonly T[]): T[] => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  return { int, shuffle, pick };
}

/** The body of a refund request: fixed key order, so equal requests give equal bodies. */
export function refundBody(refund: RefundRequest): string {
  return JSON.stringify({
    paymentReference: refund.paymentReference,
    accountId: refund.accountId,
    amountCents: refund.amountCents,
    ...(refund.reason === undefined ? {} : { reason: refund.reason }),
  });
}

/**
 * Computes what a request stream must lead to: every valid refund applied once per payment
 * reference (the first one seen), duplicates answered, the rest rejected.
 *
 * @param accounts - The accounts and their opening balances.
 * @param requests - The request stream.
 */
export function computeExpected(accounts: readonly Account[], requests: readonly PlannedRequest[]): ExpectedOutcome {
  const balances: Record<string, number> = {};
  for (const account of accounts) balances[account.accountId] = account.openingBalanceCents;
  const refunded = new Set<string>();
  let valid = 0;
  for (const request of requests) {
    if (!VALID_KINDS.has(request.kind) || request.refund === undefined) continue;
    valid += 1;
    const { paymentReference, accountId, amountCents } = request.refund;
    if (refunded.has(paymentReference)) continue;
    refunded.add(paymentReference);
    balances[accountId] = (balances[accountId] ?? 0) + amountCents;
  }
  const count = (kind: RequestKind): number => requests.filter((r) => r.kind === kind).length;
  return {
    requests: requests.length,
    refundsExecuted: refunded.size,
    duplicatesAnswered: valid - refunded.size,
    rejectedInvalid: count('malformed'),
    rejectedReusedReference: count('reused-reference'),
    balances,
    refundedReferences: [...refunded].sort(),
  };
}

/**
 * Builds the refund scenario from a seed: 5 accounts, 24 distinct refunds, and around them the
 * duplicates, the crash and the malformed requests. Laid out in batches of 10 (for a queue that
 * delivers in order, with two batches processed at a time):
 *
 * - batch 0: two refunds that are also in batch 1 (the pair is processed at the same time), two
 *   refunds repeated later, the refund whose reference is reused later, two malformed, others;
 * - batch 1: the two concurrent copies, a refund repeated later, one malformed, others;
 * - batch 2: one refund three times, two repeats from batch 0, two malformed, others;
 * - batch 3: one refund three times, the repeat from batch 1, the crash refund, one malformed,
 *   others;
 * - late: the reused payment reference with another amount.
 *
 * @param seed - Any integer; the same seed gives the same plan.
 */
export function buildRefundPlan(seed = 20_260_501): RefundPlan {
  const rng = seeded(seed);
  const accounts: Account[] = Array.from({ length: ACCOUNT_COUNT }, (_, i) => ({
    accountId: `acct-${1001 + i}`,
    openingBalanceCents: rng.int(100, 2_000) * 100,
  }));

  const references = new Set<string>();
  const newReference = (): string => {
    for (;;) {
      const reference = `pay-${rng.int(0, 36 ** 8 - 1).toString(36).padStart(8, '0')}`;
      if (!references.has(reference)) {
        references.add(reference);
        return reference;
      }
    }
  };
  const newRefund = (): RefundRequest => ({
    paymentReference: newReference(),
    accountId: rng.pick(accounts).accountId,
    amountCents: rng.int(100, 25_000),
    reason: rng.pick(REASONS),
  });

  const refunds = Array.from({ length: DISTINCT_REFUNDS }, newRefund);
  // Roles, drawn from the seed: which refunds get which kind of duplicate.
  const [x1, x2, e1, e2, e3, s1, s2, crash, reused, ...plain] = rng.shuffle(refunds) as [
    RefundRequest,
    RefundRequest,
    RefundRequest,
    RefundRequest,
    RefundRequest,
    RefundRequest,
    RefundRequest,
    RefundRequest,
    RefundRequest,
    ...RefundRequest[],
  ];

  const valid = (kind: RequestKind, refund: RefundRequest, description: string): Omit<PlannedRequest, 'intendedBatch'> => ({
    kind,
    body: refundBody(refund),
    refund,
    description,
    wave: 'main',
  });
  const malformed = (body: string, description: string): Omit<PlannedRequest, 'intendedBatch'> => ({
    kind: 'malformed',
    body,
    refund: undefined,
    description,
    wave: 'main',
  });
  const account = (): string => rng.pick(accounts).accountId;
  const malformedRequests = rng.shuffle([
    malformed(JSON.stringify({ accountId: account(), amountCents: 1_500, reason: 'item returned' }), 'no paymentReference'),
    malformed(JSON.stringify({ paymentReference: newReference(), accountId: account() }), 'no amountCents'),
    malformed(JSON.stringify({ paymentReference: newReference(), accountId: account(), amountCents: -2_500 }), 'negative amount'),
    malformed(JSON.stringify({ paymentReference: newReference(), accountId: account(), amountCents: '25.00' }), 'amount as text'),
    malformed(`refund ${newReference()} 25.00 USD to ${account()}`, 'not JSON'),
    malformed(refundBody(newRefund()).slice(0, 40), 'truncated JSON'),
  ]);
  const takePlain = (n: number) => plain.splice(0, n).map((refund) => valid('refund', refund, 'refund'));
  const takeMalformed = (n: number) => malformedRequests.splice(0, n);

  const batches = [
    [
      valid('refund', x1, 'refund, also in the concurrent batch'),
      valid('refund', x2, 'refund, also in the concurrent batch'),
      valid('refund', e1, 'refund, repeated later'),
      valid('refund', e2, 'refund, repeated later'),
      valid('refund', reused, 'refund, its reference reused later'),
      ...takeMalformed(2),
      ...takePlain(3),
    ],
    [
      valid('concurrent-batch-duplicate', x1, 'duplicate, concurrent batch'),
      valid('concurrent-batch-duplicate', x2, 'duplicate, concurrent batch'),
      valid('refund', e3, 'refund, repeated later'),
      ...takeMalformed(1),
      ...takePlain(6),
    ],
    [
      valid('refund', s1, 'refund, twice more in its batch'),
      valid('same-batch-duplicate', s1, 'duplicate, same batch'),
      valid('same-batch-duplicate', s1, 'duplicate, same batch'),
      valid('exact-duplicate', e1, 'duplicate, later batch'),
      valid('exact-duplicate', e2, 'duplicate, later batch'),
      ...takeMalformed(2),
      ...takePlain(3),
    ],
    [
      valid('refund', s2, 'refund, twice more in its batch'),
      valid('same-batch-duplicate', s2, 'duplicate, same batch'),
      valid('same-batch-duplicate', s2, 'duplicate, same batch'),
      valid('exact-duplicate', e3, 'duplicate, later batch'),
      valid('refund', crash, 'refund, first attempt crashes'),
      ...takeMalformed(1),
      ...takePlain(3),
    ],
  ];
  if (plain.length !== 0 || malformedRequests.length !== 0 || batches.some((b) => b.length > BATCH_SIZE)) {
    throw new Error('buildRefundPlan: the batch layout does not use every refund exactly once');
  }

  const reusedWithOtherAmount: RefundRequest = { ...reused, amountCents: reused.amountCents + rng.int(100, 5_000) };
  const requests: PlannedRequest[] = [
    ...batches.flatMap((batch, index) => rng.shuffle(batch).map((request) => ({ ...request, intendedBatch: index }))),
    {
      kind: 'reused-reference',
      body: refundBody(reusedWithOtherAmount),
      refund: reusedWithOtherAmount,
      description: 'payment reference reused with another amount',
      wave: 'late',
      intendedBatch: undefined,
    },
  ];
  return { seed, accounts, requests, crashReference: crash.paymentReference, expected: computeExpected(accounts, requests) };
}
