/**
 * The refund scenario of AWS's guidance on idempotent APIs, end to end:
 *
 *   refund requests → SQS queue → (event source mapping) → refund handler → DynamoDB balances
 *                        │ after 3 failed deliveries            │ makeIdempotentSqsHandler,
 *                        └──> dead-letter queue                  └ records in an idempotency table
 *
 * Usage: pnpm example idempotent-payments [seed]
 * Runs against AWS_ENDPOINT_URL when set (pnpm example starts a local endpoint), else real AWS.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { type Count, type PaymentsReport, runIdempotentPayments } from './payments-workflow.js';

const seedArgument = process.argv[2];
const seed = seedArgument === undefined ? undefined : Number(seedArgument);
if (seed !== undefined && !Number.isInteger(seed)) {
  console.error(`The seed must be an integer, got "${seedArgument}".\nUsage: pnpm example idempotent-payments [seed]`);
  process.exit(2);
}

// Pass the endpoint explicitly: without it the SQS client sends each request to the host in
// the QueueUrl, which bypasses a local endpoint.
const endpoint = process.env.AWS_ENDPOINT_URL;
const dynamodb = new DynamoDBClient(endpoint ? { endpoint } : {});
const sqs = new SQSClient(endpoint ? { endpoint } : {});

const money = (cents: number): string =>
  Number.isFinite(cents) ? (cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : '?';
const mark = (ok: boolean): string => (ok ? '✔' : '✖');
const versus = (count: Count): string => `${count.actual} ${mark(count.actual === count.expected)}${count.actual === count.expected ? '' : ` (expected ${count.expected})`}`;

function printReport(report: PaymentsReport): void {
  const rows: [string, string][] = [
    ['requests sent', versus(report.requests)],
    ['requests received by the handler', `${report.received} (${report.deliveries} deliveries, ${report.deliveries - report.received} of them redeliveries)`],
    ['refunds executed (= distinct valid payment references)', versus(report.refundsExecuted)],
    ['duplicates answered from the store', versus(report.duplicatesAnswered)],
    ['rejected as invalid (dead-letter queue)', versus(report.rejectedInvalid)],
    ['rejected: reference reused, other amount (dead-letter queue)', versus(report.rejectedReusedReference)],
    ['unaccounted for', `${report.unaccounted.length} ${mark(report.unaccounted.length === 0)}`],
    ['refunds applied twice', `${report.refundsRunTwice.length} ${mark(report.refundsRunTwice.length === 0)}`],
    ['second runs stopped by the account check', String(report.creditsRefusedByAccount)],
    ['completed idempotency records', versus(report.completedRecords)],
    [
      'invocations',
      `${report.invocations.total} (${report.invocations.crashed} crashed, ${report.invocations.timedOut} timed out, ${report.invocations.failed} failed)`,
    ],
    ['batches with a payment reference more than once', String(report.batchesWithRepeatedReference)],
    ['payment references in two batches at once', String(report.referencesInConcurrentBatches)],
  ];
  const crash = report.crash;
  if (crash) {
    rows.push([
      'crash',
      `${crash.paymentReference}: record ${crash.recordAfterCrash} after the crash` +
        (crash.lockHeldForMs === undefined ? '' : `, lock expiring ${crash.lockHeldForMs} ms later`) +
        (crash.takenOverOnDelivery === undefined
          ? '; never taken over ✖'
          : `; refunded once by delivery ${crash.takenOverOnDelivery}, ${crash.takenOverAfterMs} ms after the crash ✔`),
    ]);
  }
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log('');
  for (const [name, value] of rows) console.log(`${name.padEnd(width)}  ${value}`);

  const table = [
    ['account', 'opening', 'expected', 'final', ''],
    ...report.balances.map((b) => [b.accountId, money(b.openingCents), money(b.expectedCents), money(b.finalCents), mark(b.finalCents === b.expectedCents)]),
  ];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  console.log('');
  for (const row of table) {
    console.log(row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd());
  }
  console.log('');
  for (const problem of report.problems) console.log(`✖ ${problem}`);
  console.log(
    report.ok
      ? `✔ every count agrees: each refund ran exactly once (seed ${report.seed}, ${(report.durationMs / 1000).toFixed(1)} s)`
      : '✖ counts disagree',
  );
}

try {
  const report = await runIdempotentPayments({ dynamodb, sqs, ...(seed === undefined ? {} : { seed }), onProgress: (line) => console.log(line) });
  printReport(report);
  process.exitCode = report.ok ? 0 : 1;
} catch (error) {
  console.error('The idempotent payments example failed:', error);
  process.exitCode = 1;
} finally {
  dynamodb.destroy();
  sqs.destroy();
}
