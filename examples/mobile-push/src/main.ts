/**
 * SNS mobile push with @herald/push-tokens, end to end:
 *
 *   apps ──register(token)──> push registry ──CreatePlatformEndpoint / Get/SetEndpointAttributes──> SNS
 *                                  │ user ↔ device ↔ endpoint (DynamoDB, conditional writes)
 *   services ──sendToUser──────────┴──Publish (APNS_SANDBOX / GCM payloads)──> SNS ──> APNs / FCM ──> phones
 *
 * Usage: pnpm example mobile-push [seed]
 * Needs the local endpoint (pnpm example starts one): its push service lets the example reject a
 * token and see what each phone received. The keys are made at run time; real APNs/FCM would
 * refuse them.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { runMobilePush, type MobilePushReport } from './mobile-push-workflow.js';
import { localPushServiceControl } from './push-service-control.js';

const seedArgument = process.argv[2];
const seed = seedArgument === undefined ? undefined : Number(seedArgument);
if (seed !== undefined && !Number.isInteger(seed)) {
  console.error(`The seed must be an integer, got "${seedArgument}".\nUsage: pnpm example mobile-push [seed]`);
  process.exit(2);
}
const endpoint = process.env.AWS_ENDPOINT_URL;
if (!endpoint) {
  console.error(
    'This example needs the local AWS endpoint (its push service rejects a token and reports what each phone received).\n' +
      'Run it with: pnpm example mobile-push',
  );
  process.exit(2);
}

const sns = new SNSClient({ endpoint });
const dynamodb = new DynamoDBClient({ endpoint });

function printTable(rows: string[][]): void {
  const widths = (rows[0] ?? []).map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  for (const row of rows) console.log(`  ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd()}`);
}

function printReport(report: MobilePushReport): void {
  for (const user of report.users) {
    console.log(`\n${user.userId}`);
    if (user.devices.length === 0) {
      console.log('  (no devices)');
      continue;
    }
    printTable([
      ['device', 'platform', 'token', 'endpoint', 'status', 'round 1', 'round 2', 'sweep'],
      ...user.devices.map((d) => [d.handset, d.platform, d.token, d.endpoint, d.status, d.rounds[0] ?? '-', d.rounds[1] ?? '-', d.afterSweep]),
    ]);
  }
  const mark = (ok: boolean): string => (ok ? '✔' : '✖');
  console.log('');
  console.log(`notifications delivered           ${report.delivered} of ${report.expectedDelivered} expected ${mark(report.delivered === report.expectedDelivered)}`);
  console.log(`refused by the push service       ${report.rejected} (the uninstalled app's token, round 1)`);
  console.log(`reached someone else's phone      ${report.misdirected.length} ${mark(report.misdirected.length === 0)}`);
  console.log(`swept (disabled 30+ days)         ${report.sweep.deleted}`);
  for (const failure of report.cleanupFailures) console.log(`could not delete ${failure}`);
  console.log('');
  for (const problem of report.problems) console.log(`✖ ${problem}`);
  console.log(report.ok ? `✔ every notification reached exactly the phones of the user it was for (seed ${report.seed})` : '✖ the run disagrees with the story');
}

try {
  const report = await runMobilePush({
    sns,
    dynamodb,
    pushService: localPushServiceControl(endpoint),
    ...(seed === undefined ? {} : { seed }),
    onProgress: (line) => console.log(`• ${line}`),
  });
  printReport(report);
  process.exitCode = report.ok ? 0 : 1;
} catch (error) {
  console.error('The mobile push example failed:', error);
  process.exitCode = 1;
} finally {
  sns.destroy();
  dynamodb.destroy();
}
