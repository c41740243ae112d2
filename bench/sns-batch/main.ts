/**
 * bench/sns-batch — the Herald publisher against one `Publish` per message, side by side in
 * one run, against tools/local-aws with injected latency. Also the publisher's own CPU cost
 * per message (against a client that answers at once) next to the AWS SDK's own cost of
 * serialising a PublishBatch request and parsing its response.
 *
 * Both paths run in rounds, interleaved (single, Herald, single, Herald, …), and the table
 * reports the median with the range, so a noisy moment on a shared machine moves one sample,
 * not the result. The local endpoint runs in a child process, so its CPU is not counted as the
 * publisher's and does not compete with it on the same event loop.
 *
 * Environment: BENCH_MESSAGES (default 20,000), BENCH_LATENCY_MS (default 20),
 * BENCH_CPU_MESSAGES (default 100,000), BENCH_ROUNDS (default 3).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import {
  CreateTopicCommand,
  PublishBatchCommand,
  type PublishBatchCommandOutput,
  PublishCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { createSnsPublisher, type SnsMessage, type SnsPublishBatchClient } from '@herald/sns-batch';
import { summary } from '../shared/bench-stats.js';

const N = Number(process.env.BENCH_MESSAGES ?? 20_000);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const CPU_MESSAGES = Number(process.env.BENCH_CPU_MESSAGES ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = 10;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

function message(i: number): SnsMessage {
  return {
    id: `m-${i}`,
    Message: JSON.stringify({ seq: i, service: 'checkout', level: i % 50 === 0 ? 'error' : 'info', text: 'order placed for customer 1234 with 3 items' }),
    MessageAttributes: {
      status: { DataType: 'Number', StringValue: i % 50 === 0 ? '503' : '200' },
      service: { DataType: 'String', StringValue: 'checkout' },
    },
  };
}

async function publishOneByOne(client: SNSClient, topicArn: string, messages: readonly SnsMessage[]): Promise<number> {
  let next = 0;
  let requests = 0;
  const worker = async (): Promise<void> => {
    while (next < messages.length) {
      const { id: _id, ...entry } = messages[next++]!;
      await client.send(new PublishCommand({ TopicArn: topicArn, ...entry }));
      requests += 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return requests;
}

/** CPU microseconds per message of `work`, measured with process.cpuUsage (user + system). */
async function cpuMicrosPerMessage(count: number, work: () => Promise<void>): Promise<number> {
  globalThis.gc?.();
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / count;
}

/** A client whose `send` answers every PublishBatch at once, as SNS would on success. */
const instantClient: SnsPublishBatchClient = {
  send: async (command: PublishBatchCommand): Promise<PublishBatchCommandOutput> => ({
    $metadata: {},
    Successful: (command.input.PublishBatchRequestEntries ?? []).map((e) => ({ Id: e.Id, MessageId: `id-${e.Id}` })),
    Failed: [],
  }),
};

/** PublishBatch answers for batches of 1..10 entries with ids "0".."n-1", made once. */
const cannedAnswers = Array.from({ length: 11 }, (_, n) => {
  const members = Array.from({ length: n }, (_, i) => `<member><Id>${i}</Id><MessageId>id-${i}</MessageId></member>`);
  return Buffer.from(
    `<PublishBatchResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishBatchResult><Successful>${members.join('')}</Successful><Failed/></PublishBatchResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishBatchResponse>`,
  );
});

/**
 * A real SNSClient whose HTTP handler answers at once with a canned PublishBatch answer, so
 * what is measured is the SDK's own work (serialising, signing, parsing), not a network.
 */
function sdkClientWithoutNetwork(entriesPerRequest: number): SNSClient {
  const answer = cannedAnswers[entriesPerRequest] as Buffer;
  return new SNSClient({
    region: 'us-east-1',
    credentials,
    endpoint: 'http://127.0.0.1:1',
    maxAttempts: 1,
    requestHandler: {
      handle: async () => ({
        response: { statusCode: 200, headers: { 'content-type': 'text/xml' }, body: Readable.from([answer]) },
      }),
    },
  });
}

/** Starts tools/local-aws in a child process and reads its endpoint from what it prints. */
async function startLocalAwsProcess(latencyMs: number): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const cli = fileURLToPath(new URL('../../tools/local-aws/dist/cli.js', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, [cli, '--port', '0', '--latency', String(latencyMs), '--no-dynamodb'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`local-aws exited (${code}) before it listened:\n${output}`)));
  });
  return {
    endpoint,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** Median and range of samples. */

async function main(): Promise<void> {
  const local = await startLocalAwsProcess(LATENCY_MS);
  const client = new SNSClient({ endpoint: local.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  try {
    const { TopicArn: topicArn } = await client.send(new CreateTopicCommand({ Name: `bench-sns-batch-${Date.now()}` }));
    if (!topicArn) throw new Error('CreateTopic returned no TopicArn');
    const messages = Array.from({ length: N }, (_, i) => message(i));

    // Warm both paths (connections, JIT) before measuring.
    await publishOneByOne(client, topicArn, messages.slice(0, 50));
    const warm = createSnsPublisher({ client, topicArn, maxInFlight: CONCURRENCY });
    await warm.publishAll(messages.slice(0, 200));
    await warm.close();

    const singleSeconds: number[] = [];
    const heraldSeconds: number[] = [];
    let failed = 0;
    let requests = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      let start = performance.now();
      await publishOneByOne(client, topicArn, messages);
      singleSeconds.push((performance.now() - start) / 1000);

      const publisher = createSnsPublisher({ client, topicArn, maxInFlight: CONCURRENCY });
      start = performance.now();
      const results = await publisher.publishAll(messages);
      await publisher.close();
      heraldSeconds.push((performance.now() - start) / 1000);
      failed += results.filter((r) => r.status !== 'published').length;
      requests += publisher.stats().requests;
      console.log(`round ${round}: Publish ${singleSeconds.at(-1)?.toFixed(2)} s, Herald ${heraldSeconds.at(-1)?.toFixed(2)} s`);
    }

    const cpuMessages = Array.from({ length: CPU_MESSAGES }, (_, i) => message(i));
    const heraldCpuSamples: number[] = [];
    const sdkCpuSamples: number[] = [];
    const sdk = sdkClientWithoutNetwork(10);
    for (let round = 1; round <= ROUNDS; round++) {
      heraldCpuSamples.push(
        await cpuMicrosPerMessage(CPU_MESSAGES, async () => {
          const p = createSnsPublisher({ client: instantClient, topicArn, maxInFlight: CONCURRENCY });
          await p.publishAll(cpuMessages);
          await p.close();
        }),
      );
      sdkCpuSamples.push(
        await cpuMicrosPerMessage(CPU_MESSAGES, async () => {
          for (let i = 0; i < CPU_MESSAGES; i += 10 * CONCURRENCY) {
            await Promise.all(
              Array.from({ length: CONCURRENCY }, (_, j) =>
                sdk.send(
                  new PublishBatchCommand({
                    TopicArn: topicArn,
                    PublishBatchRequestEntries: cpuMessages
                      .slice(i + j * 10, i + j * 10 + 10)
                      .map(({ id: _id, ...entry }, k) => ({ Id: String(k), ...entry })),
                  }),
                ),
              ),
            );
          }
        }),
      );
    }
    sdk.destroy();

    const single = summary(singleSeconds.map((s) => N / s));
    const herald = summary(heraldSeconds.map((s) => N / s));
    const speedups = summary(singleSeconds.map((s, i) => s / (heraldSeconds[i] as number)));
    const heraldCpu = summary(heraldCpuSamples);
    const sdkCpu = summary(sdkCpuSamples);
    const result = {
      messages: N,
      rounds: ROUNDS,
      latencyMs: LATENCY_MS,
      concurrency: CONCURRENCY,
      failed,
      requests: requests / ROUNDS,
      requestsPerMessage: requests / ROUNDS / N,
      throughputSingle: single.median,
      throughputHerald: herald.median,
      speedup: speedups.median,
      speedupRange: [speedups.min, speedups.max],
      heraldCpuMicrosPerMessage: heraldCpu.median,
      sdkCpuMicrosPerMessage: sdkCpu.median,
      heraldCpuShareOfSdk: heraldCpu.median / sdkCpu.median,
      node: process.version,
      date: new Date().toISOString(),
    };
    const range = (s: { min: number; max: number }, digits: number): string => `(${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
    const rows: [string, string][] = [
      ['messages per round, rounds', `${N}, ${ROUNDS}`],
      ['injected latency (ms)', String(LATENCY_MS)],
      ['requests in flight (both)', String(CONCURRENCY)],
      ['Publish, one per message (msg/s)', `${single.median.toFixed(0)} ${range(single, 0)}`],
      ['Herald publisher (msg/s)', `${herald.median.toFixed(0)} ${range(herald, 0)}`],
      ['speedup, median of rounds (target ≥ 8)', `${speedups.median.toFixed(2)} ${range(speedups, 2)}`],
      ['PublishBatch requests per round', String(result.requests)],
      ['requests per message (target ≤ 0.11)', result.requestsPerMessage.toFixed(4)],
      ['failed messages', String(failed)],
      ['Herald CPU per message (µs)', `${heraldCpu.median.toFixed(2)} ${range(heraldCpu, 2)}`],
      ['SDK CPU per message, PublishBatch (µs)', `${sdkCpu.median.toFixed(2)} ${range(sdkCpu, 2)}`],
      ['Herald CPU / SDK CPU', result.heraldCpuShareOfSdk.toFixed(2)],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    console.log('');
    for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
    const out = fileURLToPath(new URL('../results/sns-batch.json', import.meta.url));
    mkdirSync(fileURLToPath(new URL('../results/', import.meta.url)), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\nwrote ${out}`);
    const targetsMet = result.requestsPerMessage <= 0.11 && result.speedup >= 8 && failed === 0;
    if (!targetsMet) {
      console.error('✖ a target was not met');
      process.exitCode = 1;
    }
  } finally {
    client.destroy();
    await local.stop();
  }
}

await main();
