import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startLocalAws } from '@herald/local-aws';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runIdempotentPayments } from '../src/payments-workflow.js';
import { buildRefundPlan } from '../src/requests.js';

let local: Awaited<ReturnType<typeof startLocalAws>>;
let dynamodb: DynamoDBClient;
let sqs: SQSClient;

beforeAll(async () => {
  // One DynamoDB Local for the whole integration run (tools/local-aws/test/global-setup.ts).
  local = await startLocalAws({ dynamodb: true, dynamodbEndpoint: inject('heraldDynamoDbEndpoint') });
  dynamodb = new DynamoDBClient(local.clientConfig);
  sqs = new SQSClient(local.clientConfig);
});

afterAll(async () => {
  dynamodb?.destroy();
  sqs?.destroy();
  await local?.stop();
});

async function leftovers(prefix: string): Promise<string[]> {
  const tables = await dynamodb.send(new ListTablesCommand({}));
  const queues = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
  return [...(tables.TableNames ?? []).filter((name) => name.startsWith(prefix)), ...(queues.QueueUrls ?? [])];
}

const unique = (name: string): string => `herald-${name}-${Date.now().toString(36)}`;

describe('idempotent payments', () => {
  it('applies every distinct refund exactly once: duplicates answered, the crash taken over, malformed dead-lettered', async () => {
    const prefix = unique('payments-test');
    const report = await runIdempotentPayments({ dynamodb, sqs, prefix });

    expect(report.problems).toEqual([]);
    expect(report.requests).toEqual({ actual: 40, expected: 40 });
    expect(report.received).toBe(40);
    expect(report.refundsExecuted).toEqual({ actual: 24, expected: 24 });
    expect(report.duplicatesAnswered).toEqual({ actual: 9, expected: 9 });
    expect(report.rejectedInvalid).toEqual({ actual: 6, expected: 6 });
    expect(report.rejectedReusedReference).toEqual({ actual: 1, expected: 1 });
    expect(report.completedRecords).toEqual({ actual: 24, expected: 24 });
    expect(report.unaccounted).toEqual([]);
    expect(report.refundsRunTwice).toEqual([]);

    // Balances: compared with the plan, computed from the request list alone.
    const plan = buildRefundPlan(report.seed);
    expect(report.balances.map((b) => [b.accountId, b.finalCents])).toEqual(
      Object.entries(plan.expected.balances).sort(([a], [b]) => a.localeCompare(b)),
    );

    // The crash: the lock stayed IN_PROGRESS, the redelivery refunded once after it expired.
    expect(report.crash?.paymentReference).toBe(plan.crashReference);
    expect(report.crash?.recordAfterCrash).toBe('IN_PROGRESS');
    expect(report.crash?.takenOverOnDelivery).toBeGreaterThanOrEqual(2);
    expect(report.crash?.takenOverAfterMs).toBeGreaterThanOrEqual((report.crash?.lockHeldForMs ?? 0) - 50);
    expect(report.invocations.crashed).toBe(1);

    // The local endpoint delivers in sending order, so the planned batches happen as planned.
    expect(report.batchesWithRepeatedReference).toBeGreaterThanOrEqual(2);
    expect(report.referencesInConcurrentBatches).toBeGreaterThanOrEqual(2);

    expect(report.cleanupFailures).toEqual([]);
    expect(await leftovers(prefix)).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('comes out right with another seed too', async () => {
    const report = await runIdempotentPayments({ dynamodb, sqs, prefix: unique('payments-seed'), seed: 7 });
    expect(report.problems).toEqual([]);
    expect(report.refundsExecuted).toEqual({ actual: 24, expected: 24 });
    expect(report.duplicatesAnswered.actual).toBe(9);
    expect(report.ok).toBe(true);
  });

  it('deletes what it created when setting up fails half-way', async () => {
    const prefix = unique('payments-setup-fails');
    local.setFaults({ seed: 1, serverError: 1, services: ['sqs'], actions: ['CreateQueue'] });
    try {
      await expect(runIdempotentPayments({ dynamodb, sqs, prefix })).rejects.toThrow();
    } finally {
      local.setFaults(undefined);
    }
    expect(await leftovers(prefix)).toEqual([]);
  });
});
