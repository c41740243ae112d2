import type { StoredAccount } from './account-balances.js';
import { plural } from './plural.js';
import type { RequestLedger } from './request-ledger.js';
import { type PlannedRequest, type RefundPlan, VALID_KINDS } from './requests.js';

/** A count, and the value the request list says it must have. */
export interface Count {
  readonly actual: number;
  readonly expected: number;
}

/** One account at the end of the run. */
export interface AccountBalance {
  readonly accountId: string;
  readonly openingCents: number;
  /** Opening balance plus every distinct valid refund, from the request list. */
  readonly expectedCents: number;
  /** As read from the table. */
  readonly finalCents: number;
}

/** What the run did, next to what it had to do. */
export interface OutcomeCheck {
  readonly counts: {
    readonly requests: Count;
    readonly refundsExecuted: Count;
    readonly duplicatesAnswered: Count;
    readonly rejectedInvalid: Count;
    readonly rejectedReusedReference: Count;
    readonly completedRecords: Count;
  };
  /** Sent messages the handler received at least once. */
  readonly received: number;
  /** Deliveries to the handler, redeliveries included. */
  readonly deliveries: number;
  readonly unaccounted: readonly string[];
  readonly refundsRunTwice: readonly string[];
  readonly balances: readonly AccountBalance[];
  /** Every disagreement, in words. */
  readonly problems: readonly string[];
}

/** What {@link checkOutcome} compares. */
export interface OutcomeInput {
  readonly plan: RefundPlan;
  readonly ledger: RequestLedger;
  /** The accounts table as read after the run. */
  readonly accounts: readonly StoredAccount[];
  /** Payment references whose idempotency record is COMPLETED. */
  readonly completedReferences: ReadonlySet<string>;
  /** Planned requests that were never sent. */
  readonly neverSent: readonly PlannedRequest[];
  /** Dead-letter messages that matched no sent message. */
  readonly unknownDeadLetters: number;
}

const REJECTION_CODE: Partial<Record<PlannedRequest['kind'], string>> = {
  malformed: 'ValidationFailed',
  'reused-reference': 'IdempotencyPayloadMismatch',
};

/**
 * Compares the run with the plan: every message settled exactly once and in the way its kind
 * requires (valid ones executed or answered, malformed ones dead-lettered after failing
 * validation, the reused reference dead-lettered after a payload mismatch); each expected payment
 * reference credited exactly once, in the handler's counts and in the accounts' `appliedRefunds`;
 * balances equal to the ones computed from the request list; a COMPLETED record per refund.
 */
export function checkOutcome(input: OutcomeInput): OutcomeCheck {
  const { plan, ledger } = input;
  const entries = ledger.entries();
  const problems: string[] = [];

  let answered = 0;
  let invalid = 0;
  let reused = 0;
  for (const e of entries) {
    const valid = VALID_KINDS.has(e.request.kind);
    const label = `${e.request.description} (${e.messageId})`;
    if (e.settlement === 'dead-lettered') {
      const code = REJECTION_CODE[e.request.kind];
      if (code === undefined || e.lastFailure !== code) {
        problems.push(`${label} was dead-lettered (last failure: ${e.lastFailure ?? 'none'})`);
      } else if (e.request.kind === 'malformed') invalid += 1;
      else reused += 1;
    } else if (e.settlement === 'answered') {
      if (valid) answered += 1;
      else problems.push(`${label} was answered as a refund`);
    } else if (e.settlement === 'executed' && !valid) {
      problems.push(`${label} credited an account`);
    }
  }
  const unaccounted = [
    ...ledger.unsettled().map((e) => `${e.request.description} (${e.messageId})`),
    ...input.neverSent.map((r) => `${r.description} (never sent)`),
  ];
  if (unaccounted.length) problems.push(`${plural(unaccounted.length, 'request')} unaccounted for: ${unaccounted.join('; ')}`);
  if (input.unknownDeadLetters > 0) {
    problems.push(`${plural(input.unknownDeadLetters, 'message')} in the dead-letter queue that this run did not send`);
  }
  if (ledger.unknownMessages > 0) {
    problems.push(`${plural(ledger.unknownMessages, 'delivery', 'deliveries')} of messages this run did not send`);
  }

  // Each refund once: by the handler's own count, and by what the accounts list as applied.
  const runTwice = new Set([...ledger.creditsByReference].filter(([, n]) => n > 1).map(([reference]) => reference));
  const applied = new Map<string, number>();
  for (const account of input.accounts) {
    for (const reference of account.appliedRefunds) applied.set(reference, (applied.get(reference) ?? 0) + 1);
  }
  for (const [reference, n] of applied) if (n > 1) runTwice.add(reference);
  const expectedReferences = new Set(plan.expected.refundedReferences);
  const missing = [...expectedReferences].filter((reference) => !applied.has(reference));
  const extra = [...applied.keys()].filter((reference) => !expectedReferences.has(reference));
  if (missing.length) problems.push(`refunds never applied: ${missing.join(', ')}`);
  if (extra.length) problems.push(`refunds applied that should not have been: ${extra.join(', ')}`);
  if (runTwice.size) problems.push(`refunds applied more than once: ${[...runTwice].join(', ')}`);

  const finalById = new Map(input.accounts.map((a) => [a.accountId, a.balanceCents]));
  const balances: AccountBalance[] = plan.accounts.map((account) => ({
    accountId: account.accountId,
    openingCents: account.openingBalanceCents,
    expectedCents: plan.expected.balances[account.accountId] ?? Number.NaN,
    finalCents: finalById.get(account.accountId) ?? Number.NaN,
  }));
  for (const b of balances) {
    if (b.finalCents !== b.expectedCents) problems.push(`${b.accountId} ends at ${b.finalCents} cents, expected ${b.expectedCents}`);
  }

  const counts = {
    requests: { actual: entries.length, expected: plan.expected.requests },
    refundsExecuted: { actual: [...ledger.creditsByReference.values()].reduce((a, b) => a + b, 0), expected: plan.expected.refundsExecuted },
    duplicatesAnswered: { actual: answered, expected: plan.expected.duplicatesAnswered },
    rejectedInvalid: { actual: invalid, expected: plan.expected.rejectedInvalid },
    rejectedReusedReference: { actual: reused, expected: plan.expected.rejectedReusedReference },
    completedRecords: {
      actual: [...expectedReferences].filter((reference) => input.completedReferences.has(reference)).length,
      expected: expectedReferences.size,
    },
  };
  for (const [name, count] of Object.entries(counts)) {
    if (count.actual !== count.expected) problems.push(`${name}: ${count.actual}, expected ${count.expected}`);
  }

  return {
    counts,
    received: entries.filter((e) => e.deliveries > 0).length,
    deliveries: entries.reduce((sum, e) => sum + e.deliveries, 0),
    unaccounted,
    refundsRunTwice: [...runTwice],
    balances,
    problems,
  };
}
