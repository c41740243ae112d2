import { describe, expect, it } from 'vitest';
import { isRefundRequest } from '../src/refund-request.js';
import { buildRefundPlan, computeExpected, VALID_KINDS } from '../src/requests.js';

function parse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

describe('buildRefundPlan', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(buildRefundPlan(42)).toEqual(buildRefundPlan(42));
    expect(buildRefundPlan(42).requests.map((r) => r.body)).not.toEqual(buildRefundPlan(43).requests.map((r) => r.body));
  });

  it('has 24 distinct refunds, 9 duplicates, 6 malformed requests and 1 reused reference', () => {
    const plan = buildRefundPlan();
    expect(plan.expected).toMatchObject({
      requests: 40,
      refundsExecuted: 24,
      duplicatesAnswered: 9,
      rejectedInvalid: 6,
      rejectedReusedReference: 1,
    });
    expect(plan.expected.refundedReferences).toHaveLength(24);
  });

  it('lays the main wave out in batches of at most 10, with duplicates where the plan says', () => {
    const plan = buildRefundPlan();
    const main = plan.requests.filter((r) => r.wave === 'main');
    const batchOf = (i: number) => main.filter((r) => r.intendedBatch === i);
    expect([0, 1, 2, 3].map((i) => batchOf(i).length)).toEqual([10, 10, 10, 9]);
    expect(main.map((r) => r.intendedBatch)).toEqual([...main.map((r) => r.intendedBatch)].sort());
    for (const request of main.filter((r) => r.kind === 'same-batch-duplicate')) {
      const original = main.find((r) => r.kind === 'refund' && r.body === request.body);
      expect(original?.intendedBatch).toBe(request.intendedBatch);
    }
    for (const request of main.filter((r) => r.kind === 'concurrent-batch-duplicate')) {
      const original = main.find((r) => r.kind === 'refund' && r.body === request.body);
      expect([original?.intendedBatch, request.intendedBatch]).toEqual([0, 1]);
    }
    for (const request of main.filter((r) => r.kind === 'exact-duplicate')) {
      const original = main.find((r) => r.kind === 'refund' && r.body === request.body);
      expect(request.intendedBatch! - original!.intendedBatch!).toBe(2);
    }
    const crash = main.filter((r) => r.refund?.paymentReference === plan.crashReference);
    expect(crash.map((r) => r.kind)).toEqual(['refund']);
  });

  it('makes bodies the refund schema accepts, except the malformed ones', () => {
    for (const request of buildRefundPlan().requests) {
      expect(isRefundRequest(parse(request.body)), request.description).toBe(request.kind !== 'malformed');
    }
  });

  it('reuses a payment reference already refunded, with another amount, in the late wave', () => {
    const plan = buildRefundPlan();
    const [late] = plan.requests.filter((r) => r.wave === 'late');
    const original = plan.requests.find((r) => VALID_KINDS.has(r.kind) && r.refund?.paymentReference === late?.refund?.paymentReference);
    expect(late?.kind).toBe('reused-reference');
    expect(original?.refund?.amountCents).not.toBe(late?.refund?.amountCents);
  });
});

describe('computeExpected', () => {
  it('credits each payment reference once, whatever the number of copies', () => {
    const refund = { paymentReference: 'pay-1', accountId: 'acct-1', amountCents: 500 };
    const request = { body: '', refund, description: '', wave: 'main', intendedBatch: undefined } as const;
    const expected = computeExpected(
      [{ accountId: 'acct-1', openingBalanceCents: 1_000 }],
      [
        { ...request, kind: 'refund' },
        { ...request, kind: 'exact-duplicate' },
        { ...request, kind: 'reused-reference', refund: { ...refund, amountCents: 900 } },
        { ...request, kind: 'malformed', refund: undefined },
      ],
    );
    expect(expected).toMatchObject({ refundsExecuted: 1, duplicatesAnswered: 1, rejectedInvalid: 1, rejectedReusedReference: 1 });
    expect(expected.balances).toEqual({ 'acct-1': 1_500 });
  });
});
