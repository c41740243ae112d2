/**
 * The log pipeline of AWS's PublishBatch announcement, end to end:
 *
 *   log file → @herald/sns-batch → SNS topic ─┬─> anomalies queue (status ≥ 500 only)
 *                                             ├─> search-index queue (everything)
 *                                             └─> archive queue (everything)
 *
 * Usage: pnpm example log-pipeline [log-file]   (default: the sample access log)
 * Runs against AWS_ENDPOINT_URL when set (pnpm example starts a local endpoint), else real AWS.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { runLogPipeline, type PipelineReport } from './pipeline.js';

const sample = fileURLToPath(new URL('../sample/access.log', import.meta.url));
const file = process.argv[2] ?? sample;
if (!existsSync(file)) {
  console.error(`No such file: ${file}\nUsage: pnpm example log-pipeline [log-file]`);
  process.exit(2);
}

// Pass the endpoint explicitly: without it the SQS client sends each request to the host in
// the QueueUrl, which bypasses a local endpoint.
const endpoint = process.env.AWS_ENDPOINT_URL;
// maxAttempts: 1 on the SNS client: the batch publisher does the retrying (with a budget);
// SDK retries underneath would multiply its attempts unseen.
const sns = new SNSClient({ maxAttempts: 1, ...(endpoint ? { endpoint } : {}) });
const sqs = new SQSClient(endpoint ? { endpoint } : {});

function printReport(report: PipelineReport): void {
  const rows: [string, string | number][] = [
    ['lines read', report.linesRead],
    ['empty lines (skipped)', report.emptyLines],
    ['unparsed lines (published, parsed=false)', report.unparsedLines],
    ['lines with an HTTP status', report.linesWithStatus],
    ['lines with escaped control characters', report.escapedLines],
    ['lines not in UTF-8 (published as Latin-1)', report.latin1Lines],
    ['lines over one message (published in parts)', report.splitLines],
    ['messages to publish', report.messages],
    ['messages published', report.published],
    ['messages failed', report.failed],
    ['PublishBatch requests', report.requests],
    ['messages per request', report.requests === 0 ? '-' : (report.published / report.requests).toFixed(2)],
  ];
  for (const [name, q] of Object.entries(report.queues)) {
    const extra = [
      q.missing ? `${q.missing} missing` : '',
      q.unexpected ? `${q.unexpected} unexpected` : '',
      q.corrupted ? `${q.corrupted} corrupted` : '',
      q.duplicates ? `${q.duplicates} duplicates` : '',
    ].filter(Boolean);
    rows.push([`received by ${name} queue`, `${q.received} of ${q.expected}${extra.length ? ` (${extra.join(', ')})` : ''}`]);
  }
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log('');
  for (const [name, value] of rows) console.log(`${name.padEnd(width)}  ${value}`);
  for (const [code, count] of Object.entries(report.failures)) console.log(`  failed with ${code}: ${count}`);
  for (const failure of report.cleanupFailures) console.log(`could not delete ${failure}`);
  if (report.linesWithStatus === 0 && report.published > 0) {
    console.log('\nNote: no line had an HTTP status, so the anomaly filter (status >= 500) had nothing to');
    console.log('pass. Recognised formats: nginx/Apache common and combined logs, ALB access logs,');
    console.log('JSON lines and logfmt with a status field. Other lines are published with parsed=false.');
  }
  console.log('');
  console.log(report.ok ? '✔ every count agrees' : '✖ counts disagree');
}

try {
  const report = await runLogPipeline({ sns, sqs, file, onProgress: (m) => console.log(m) });
  printReport(report);
  process.exitCode = report.ok ? 0 : 1;
} catch (error) {
  console.error('The log pipeline failed:', error);
  process.exitCode = 1;
} finally {
  sns.destroy();
  sqs.destroy();
}
