/**
 * Dynamic SNS subscriptions for an auto-scaling ECS service, end to end:
 *
 *   ECS task state change events ──(EventBridge rules: RUNNING, STOPPED)──> handleTaskStateChange
 *        │ RUNNING: queue <prefix><task id>, queue policy, subscription, mapping in DynamoDB
 *        │ STOPPED: subscription, queue and mapping removed; tombstone kept (TTL)
 *   broadcast topic ──> one SQS queue per running task <── each container (task metadata endpoint → queueForTask)
 *
 * A service scales from 1 task to 3 and back to 1; the events arrive duplicated, concurrently and
 * out of order, and one never arrives (the sweep catches it). After each phase a broadcast must
 * reach exactly the running tasks.
 *
 * Usage: pnpm example container-subscriptions
 * Runs against AWS_ENDPOINT_URL when set (pnpm example starts a local endpoint), else real AWS.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { type ContainerSubscriptionsReport, type PhaseReport, runContainerSubscriptions } from './container-subscriptions-workflow.js';

// Pass the endpoint explicitly: without it the SQS client sends each request to the host inside
// the QueueUrl, which bypasses a local endpoint.
const endpoint = process.env.AWS_ENDPOINT_URL;
const config = endpoint ? { endpoint } : {};
const sns = new SNSClient(config);
const sqs = new SQSClient(config);
const dynamodb = new DynamoDBClient(config);

const mark = (ok: boolean): string => (ok ? '✔' : '✖');

function printTable(rows: string[][]): void {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  for (const row of rows) console.log(row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd());
}

function printPhase(phase: PhaseReport, index: number, total: number): void {
  console.log(`\n── phase ${index + 1}/${total}: ${phase.name} ──`);
  console.log(phase.story);
  console.log('');
  printTable([
    ['#', 'task', 'event delivered', 'how', 'handler answered', ''],
    ...phase.deliveries.map((d, i) => [
      String(i + 1),
      d.task,
      d.event,
      d.note,
      d.outcome,
      d.outcome === '–' ? '' : d.ok ? mark(true) : `${mark(false)} expected ${d.expected}`,
    ]),
  ]);
  if (phase.sweep !== undefined) {
    const s = phase.sweep;
    console.log(
      `\nsweepOrphans (with the running tasks ECS lists): queues deleted: ${s.queuesDeleted.join(', ') || 'none'}; ` +
        `mappings stopped: ${s.mappingsStopped.join(', ') || 'none'}; dangling subscriptions removed: ${s.subscriptionsRemoved}; failures: ${s.failures}`,
    );
  }
  console.log('');
  printTable([
    ['task', 'id', 'ECS', 'queue', 'subscribed', 'mapping', 'broadcast', ''],
    ...phase.rows.map((row) => [
      row.label,
      `${row.taskId.slice(0, 12)}…`,
      row.running ? 'running' : 'stopped',
      row.queue ? 'yes' : 'no',
      row.subscribed ? 'yes' : 'no',
      row.mapping === 'STOPPED' ? 'tombstone' : row.mapping,
      row.received > 0 ? `received ×${row.received}` : 'not received',
      mark(row.problems.length === 0),
    ]),
  ]);
  for (const row of phase.rows) for (const problem of row.problems) console.log(`✖ ${row.label}: ${problem}`);
}

function printReport(report: ContainerSubscriptionsReport): void {
  report.phases.forEach((phase, index) => printPhase(phase, index, report.phases.length));
  const f = report.final;
  const none = (list: readonly string[]): string => list.join(', ') || 'none';
  console.log('\n── at the end ──');
  printTable([
    ['running tasks', none(f.running), ''],
    ['queues left', none(f.queues), mark(f.queues.join() === f.running.join())],
    ['subscriptions left', none(f.subscriptions), mark(f.subscriptions.join() === f.running.join())],
    ['mappings (RUNNING)', none(f.mappings), mark(f.mappings.join() === f.running.join())],
    ['tombstones (expire with TTL)', none(f.tombstones), ''],
  ]);
  console.log('');
  for (const problem of report.problems) console.log(`✖ ${problem}`);
  for (const failure of report.cleanupFailures) console.log(`✖ not deleted: ${failure}`);
  console.log(
    report.ok
      ? `✔ every broadcast reached exactly the running tasks; nothing is left for stopped tasks (${(report.durationMs / 1000).toFixed(1)} s)`
      : `✖ ${report.problems.length + report.cleanupFailures.length} check(s) failed`,
  );
}

try {
  const report = await runContainerSubscriptions({ sns, sqs, dynamodb });
  printReport(report);
  process.exitCode = report.ok ? 0 : 1;
} catch (error) {
  console.error('The container subscriptions example failed:', error);
  process.exitCode = 1;
} finally {
  sns.destroy();
  sqs.destroy();
  dynamodb.destroy();
}
