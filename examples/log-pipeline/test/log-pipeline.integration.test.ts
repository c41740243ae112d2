import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startLocalAws } from '@herald/local-aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLogPipeline } from '../src/pipeline.js';

let local: Awaited<ReturnType<typeof startLocalAws>>;
let sns: SNSClient;
let sqs: SQSClient;

beforeAll(async () => {
  local = await startLocalAws({ dynamodb: false });
  sns = new SNSClient({ ...local.clientConfig, maxAttempts: 1 });
  sqs = new SQSClient(local.clientConfig);
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
    expect(report.messages).toBe(5204);
    expect(report.failures).toEqual({});
    expect(report.published).toBe(5204);
    expect(report.cleanupFailures).toEqual([]);
    expect(report.failed).toBe(0);
    expect(report.requests).toBeLessThanOrEqual(Math.ceil(5204 / 10) + 5);
    expect(report.queues.anomalies).toMatchObject({ expected: 188, received: 188, missing: 0, unexpected: 0, corrupted: 0 });
    expect(report.queues.search).toMatchObject({ expected: 5204, received: 5204, missing: 0, unexpected: 0 });
    expect(report.queues.archive).toMatchObject({ expected: 5204, received: 5204, missing: 0, unexpected: 0 });
    expect(report.ok).toBe(true);
  });

  it('works on a log in other formats: unparsed lines kept, long lines split, Latin-1 and a BOM handled', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-log-'));
    const file = join(dir, 'mixed.log');
    const lines = [
      '\ufeffhttps 2018-07-02T22:23:00.186641Z app/lb/50dc 192.168.131.39:2817 10.0.0.1:80 0.086 0.048 0.037 502 502 0 57 "GET https://x:443/ HTTP/1.1" "curl/7.46.0" - -',
      '{"ts":"2026-12-01T00:00:00Z","status":200,"method":"GET"}',
      '{"ts":"2026-12-01T00:00:01Z","statusCode":503}',
      'level=error status=500 msg="db down"',
      '',
      'Dec  1 00:00:02 host kernel: [  1.234] eth0: link up',
      `big ${'x'.repeat(300_000)}`,
      '€'.repeat(80_000),
    ];
    const latin1 = Buffer.from('level=warn status=504 msg="caf\xe9 ferm\xe9"', 'latin1');
    writeFileSync(file, Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n`), latin1]));
    const report = await runLogPipeline({ sns, sqs, file }).finally(() => rmSync(dir, { recursive: true, force: true }));
    expect(report).toMatchObject({
      linesRead: 9,
      emptyLines: 1,
      unparsedLines: 3,
      linesWithStatus: 5,
      latin1Lines: 1,
      splitLines: 1,
      messages: 9,
      published: 9,
      failed: 0,
      cleanupFailures: [],
      ok: true,
    });
    expect(report.queues.anomalies).toMatchObject({ expected: 4, received: 4, unexpected: 0, corrupted: 0 });
    expect(report.queues.archive).toMatchObject({ expected: 9, received: 9, unexpected: 0, corrupted: 0 });
  });

  it('deletes what it created when setting up fails half-way, and says why', async () => {
    const prefix = `herald-setup-fails-${Date.now()}`;
    local.setFaults({ seed: 1, serverError: 1, services: ['sns'], actions: ['Subscribe'] });
    try {
      await expect(runLogPipeline({ sns, sqs, file: fileURLToPath(import.meta.url), prefix })).rejects.toThrow();
    } finally {
      local.setFaults(undefined);
    }
    const topics = await sns.send(new ListTopicsCommand({}));
    expect((topics.Topics ?? []).filter((t) => t.TopicArn?.includes(prefix))).toEqual([]);
    const queues = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
    expect(queues.QueueUrls ?? []).toEqual([]);
  });
});
