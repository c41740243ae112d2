/**
 * bench/sns-batch — the Herald publisher against one `Publish` per message, side by side in
 * one run, against tools/local-aws with injected latency. Also the publisher's own CPU cost
 * per message (against a client that answers at once) next to the AWS SDK's own cost of
 * serialising a PublishBatch request and parsing its response.
 *
 * Environment: BENCH_MESSAGES (default 20,000), BENCH_LATENCY_MS (default 20),
 * BENCH_CPU_MESSAGES (default 100,000).
 */
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
import { startLocalAws } from '@herald/local-aws';
import { createSnsPublisher, type SnsMessage, type SnsPublishBatchClient } from '@herald/sns-batch';

const N = Number(process.env.BENCH_MESSAGES ?? 20_000);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const CPU_MESSAGES = Number(process.env.BENCH_CPU_MESSAGES ?? 100_000);
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

/** A real SNSClient whose HTTP handler answers PublishBatch at once, without a network. */
function sdkClientWithoutNetwork(): SNSClient {
  return new SNSClient({
    region: 'us-east-1',
    credentials,
    endpoint: 'http://127.0.0.1:1',
    requestHandler: {
      handle: async (request: { body?: unknown }) => {
        const form = new URLSearchParams(String(request.body ?? ''));
        const members: string[] = [];
        for (const [key, value] of form) {
          if (/^PublishBatchRequestEntries\.member\.\d+\.Id$/.test(key)) {
            members.push(`<member><Id>${value}</Id><MessageId>id-${value}</MessageId></member>`);
          }
        }
        const xml = `<PublishBatchResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishBatchResult><Successful>${members.join('')}</Successful><Failed/></PublishBatchResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishBatchResponse>`;
        return { response: { statusCode: 200, headers: { 'content-type': 'text/xml' }, body: Readable.from([Buffer.from(xml)]) } };
      },
    } as never,
  });
}

async function main(): Promise<void> {
  const local = await startLocalAws({ dynamodb: false, latencyMs: LATENCY_MS });
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

    let start = performance.now();
    await publishOneByOne(client, topicArn, messages);
    const singleSeconds = (performance.now() - start) / 1000;

    const publisher = createSnsPublisher({ client, topicArn, maxInFlight: CONCURRENCY });
    start = performance.now();
    const results = await publisher.publishAll(messages);
    await publisher.close();
    const heraldSeconds = (performance.now() - start) / 1000;
    const failed = results.filter((r) => r.status !== 'published').length;
    const { requests } = publisher.stats();

    const cpuMessages = Array.from({ length: CPU_MESSAGES }, (_, i) => message(i));
    const heraldCpu = await cpuMicrosPerMessage(CPU_MESSAGES, async () => {
      const p = createSnsPublisher({ client: instantClient, topicArn, maxInFlight: CONCURRENCY });
      await p.publishAll(cpuMessages);
      await p.close();
    });
    const sdk = sdkClientWithoutNetwork();
    const sdkCpu = await cpuMicrosPerMessage(CPU_MESSAGES, async () => {
      for (let i = 0; i < CPU_MESSAGES; i += 10 * CONCURRENCY) {
        await Promise.all(
          Array.from({ length: CONCURRENCY }, (_, j) => {
            const batch = cpuMessages.slice(i + j * 10, i + j * 10 + 10);
            if (batch.length === 0) return undefined;
            return sdk.send(
              new PublishBatchCommand({
                TopicArn: topicArn,
                PublishBatchRequestEntries: batch.map(({ id: _id, ...entry }, k) => ({ Id: String(k), ...entry })),
              }),
            );
          }),
        );
      }
    });
    sdk.destroy();

    const result = {
      messages: N,
      latencyMs: LATENCY_MS,
      concurrency: CONCURRENCY,
      failed,
      requests,
      requestsPerMessage: requests / N,
      throughputSingle: N / singleSeconds,
      throughputHerald: N / heraldSeconds,
      speedup: singleSeconds / heraldSeconds,
      heraldCpuMicrosPerMessage: heraldCpu,
      sdkCpuMicrosPerMessage: sdkCpu,
      heraldCpuShareOfSdk: heraldCpu / sdkCpu,
      node: process.version,
      date: new Date().toISOString(),
    };
    const rows: [string, string][] = [
      ['messages', String(N)],
      ['injected latency (ms)', String(LATENCY_MS)],
      ['requests in flight (both)', String(CONCURRENCY)],
      ['Publish, one per message (msg/s)', result.throughputSingle.toFixed(0)],
      ['Herald publisher (msg/s)', result.throughputHerald.toFixed(0)],
      ['speedup (target ≥ 8)', result.speedup.toFixed(2)],
      ['PublishBatch requests', String(requests)],
      ['requests per message (target ≤ 0.11)', result.requestsPerMessage.toFixed(4)],
      ['failed messages', String(failed)],
      ['Herald CPU per message (µs)', heraldCpu.toFixed(2)],
      ['SDK CPU per message, PublishBatch (µs)', sdkCpu.toFixed(2)],
      ['Herald CPU / SDK CPU', result.heraldCpuShareOfSdk.toFixed(2)],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
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
