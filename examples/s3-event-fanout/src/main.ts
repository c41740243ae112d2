/**
 * The S3 event-driven fan-out pattern, end to end:
 *
 *   S3 bucket events ──> SNS topic ─┬─> creations queue  (body filter: Records.eventName prefix "ObjectCreated:", raw delivery)
 *   (simulated: the             ├─> deletions queue  (body filter: Records.eventName prefix "ObjectRemoved:")
 *    notifications S3 sends)    └─> invoices queue   (body filter: Records.s3.object.key prefix "invoices/")
 *
 * Each consumer turns received messages into Lambda SQS records and processes them with
 * processSqsBatch + unwrapSqsRecord. The example checks each queue got exactly what its filter
 * selects, computed by matchesFilterPolicy and by a hand-written rule, and exits 1 if not.
 *
 * Usage: pnpm example s3-event-fanout [--events 300] [--seed 1]
 * Runs against AWS_ENDPOINT_URL when set (pnpm example starts a local endpoint), else real AWS.
 */
import { parseArgs } from 'node:util';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { type FanoutReport, type QueueReport, runS3EventFanout } from './fanout-workflow.js';

const USAGE = 'Usage: pnpm example s3-event-fanout [--events <count>] [--seed <integer>]';

function positiveInteger(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) {
    console.error(`--${name} must be an integer of at least ${min}, got "${text}".\n${USAGE}`);
    process.exit(2);
  }
  return value;
}

let args: { events?: string | undefined; seed?: string | undefined };
try {
  args = parseArgs({ options: { events: { type: 'string' }, seed: { type: 'string' } } }).values;
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exit(2);
}
const events = positiveInteger('events', args.events, 300, 1);
const seed = positiveInteger('seed', args.seed, 1, 0);

// Pass the endpoint explicitly: without it the SQS client sends each request to the host in
// the QueueUrl, which bypasses a local endpoint.
const endpoint = process.env.AWS_ENDPOINT_URL;
const sns = new SNSClient(endpoint ? { endpoint } : {});
const sqs = new SQSClient(endpoint ? { endpoint } : {});

const mark = (ok: boolean): string => (ok ? '✔' : '✖');

function table(rows: readonly (readonly string[])[]): void {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) console.log(`  ${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')}`.trimEnd());
}

function queueProblems(q: QueueReport): string {
  return [
    q.evaluatorAgrees ? '' : 'matchesFilterPolicy and the hand-written rule disagree',
    q.missing ? `${q.missing} missing` : '',
    q.unexpected ? `${q.unexpected} unexpected` : '',
    q.testEvents ? `${q.testEvents} test event(s)` : '',
    q.failed ? `${q.failed} failed` : '',
    q.undeleted ? `${q.undeleted} not deleted` : '',
    q.duplicates ? `${q.duplicates} duplicate(s), fine` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

function printReport(report: FanoutReport): void {
  console.log(`\n${report.events} S3 events (seed ${report.seed}) from bucket ${report.bucket}`);
  console.log(`  by event: ${Object.entries(report.byEventName).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`  by prefix: ${Object.entries(report.byPrefix).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`Published ${report.published} notifications (the events and one s3:TestEvent), ${report.publishFailures.length} failed`);
  for (const failure of report.publishFailures.slice(0, 5)) console.log(`  ${failure}`);

  console.log('\nPer queue (filter policies on the message body):');
  const rows: string[][] = [['queue', 'delivery', 'filter policy', 'by hand', 'by matchesFilterPolicy', 'processed', '']];
  for (const q of Object.values(report.queues)) {
    const problems = queueProblems(q);
    const ok = q.evaluatorAgrees && q.missing === 0 && q.unexpected === 0 && q.testEvents === 0 && q.failed === 0 && q.undeleted === 0;
    rows.push([
      q.name,
      q.raw ? 'raw' : 'SNS envelope',
      JSON.stringify(q.filterPolicy),
      String(q.expected),
      `${q.expectedByEvaluator} ${mark(q.evaluatorAgrees)}`,
      `${q.received + q.unexpected} ${mark(ok)}`,
      problems,
    ]);
  }
  table(rows);

  console.log('\nWhat the consumers processed (first records of each queue):');
  const samples: string[][] = [];
  for (const q of Object.values(report.queues)) {
    for (const s of q.samples) {
      samples.push([q.name, s.envelope === 'raw' ? 'raw body' : 'from SNS envelope', s.eventName, s.key, s.size === undefined ? '' : `${s.size} bytes`]);
    }
  }
  if (samples.length > 0) table(samples);
  else console.log('  (nothing)');

  for (const failure of report.cleanupFailures) console.log(`could not delete ${failure}`);
  console.log('');
  console.log(report.ok ? '✔ every queue processed exactly the events its filter selects' : '✖ counts disagree');
  const delivered = Object.values(report.queues).some((q) => q.received > 0);
  if (!report.ok && endpoint && !delivered && Object.values(report.queues).every((q) => q.evaluatorAgrees)) {
    console.log(
      '\nNothing reached the filtered queues. The local SNS (fauxqs 1.9.2) does not look inside arrays when it\n' +
        'evaluates a body filter, so no filter on an S3 notification\'s Records matches there; AWS does match them.\n' +
        'See docs/emulator-divergences.md ("Arrays in the message body"). `pnpm example s3-event-fanout` starts\n' +
        'tools/local-aws with @herald/fanout\'s evaluator (its filterPolicyMatcher option), which does.',
    );
  }
}

try {
  const report = await runS3EventFanout({ sns, sqs, events, seed, onProgress: (m) => console.log(m) });
  printReport(report);
  process.exitCode = report.ok ? 0 : 1;
} catch (error) {
  console.error('The S3 event fan-out example failed:', error);
  process.exitCode = 1;
} finally {
  sns.destroy();
  sqs.destroy();
}
