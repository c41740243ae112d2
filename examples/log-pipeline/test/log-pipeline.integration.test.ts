import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startLocalAws } from '@herald/local-aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLogPipeline } from '../src/pipeline.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let local: Awaited<ReturnType<typeof startLocalAws>>;
let sns: SNSClient;
let sqs: SQSClient;

beforeAll(async () => {
  local = await startLocalAws({ dynamodb: false });
  sns = new SNSClient({ endpoint: local.endpoint, region: 'us-east-1', credentials });
  sqs = new SQSClient({ endpoint: local.endpoint, region: 'us-east-1', credentials });
});

afterAll(async () => {
  sns?.destroy();
  sqs?.destroy();
  await local?.stop();
});

describe('log pipeline', () => {
  it('publishes the sample log and every queue gets exactly its share', async () => {
    const file = fileURLToPath(new URL('../sample/access.log', import.meta.url));
    const report = await runLogPipeline({ sns, sqs, file });
    expect(report.linesRead).toBe(5209);
    expect(report.emptyLines).toBe(5);
    expect(report.unparsedLines).toBe(4);
    expect(report.linesWithStatus).toBe(5200);
    expect(report.escapedLines).toBe(1);
    expect(report.published).toBe(5204);
    expect(report.failed).toBe(0);
    expect(report.requests).toBeLessThanOrEqual(Math.ceil(5204 / 10) + 5);
    expect(report.queues.anomalies).toMatchObject({ expected: 188, received: 188, missing: 0, unexpected: 0, corrupted: 0 });
    expect(report.queues.search).toMatchObject({ expected: 5204, received: 5204, missing: 0, unexpected: 0 });
    expect(report.queues.archive).toMatchObject({ expected: 5204, received: 5204, missing: 0, unexpected: 0 });
    expect(report.ok).toBe(true);
  });

  it('works on a log in other formats, keeping unparsed lines and failing only what cannot fit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-log-'));
    const file = join(dir, 'mixed.log');
    const lines = [
      'https 2018-07-02T22:23:00.186641Z app/lb/50dc 192.168.131.39:2817 10.0.0.1:80 0.086 0.048 0.037 502 502 0 57 "GET https://x:443/ HTTP/1.1" "curl/7.46.0" - -',
      '{"ts":"2026-12-01T00:00:00Z","status":200,"method":"GET"}',
      '{"ts":"2026-12-01T00:00:01Z","statusCode":503}',
      'level=error status=500 msg="db down"',
      '',
      'Dec  1 00:00:02 host kernel: [  1.234] eth0: link up',
      `big ${'x'.repeat(300_000)}`,
      '€'.repeat(80_000),
    ];
    writeFileSync(file, `${lines.join('\r\n')}\r\n`);
    const report = await runLogPipeline({ sns, sqs, file }).finally(() => rmSync(dir, { recursive: true, force: true }));
    expect(report.linesRead).toBe(8);
    expect(report.emptyLines).toBe(1);
    expect(report.unparsedLines).toBe(3);
    expect(report.linesWithStatus).toBe(4);
    expect(report.published).toBe(6);
    expect(report.failed).toBe(1);
    expect(report.failures).toEqual({ MessageTooLarge: 1 });
    expect(report.queues.anomalies).toMatchObject({ expected: 3, received: 3, unexpected: 0 });
    expect(report.queues.archive).toMatchObject({ expected: 6, received: 6, unexpected: 0 });
    expect(report.ok).toBe(true);
  });
});
