/**
 * bench/fanout — how fast @herald/fanout evaluates SNS filter policies and EventBridge event
 * patterns locally, and what checking (validate) and compiling them costs.
 *
 * Workloads, on one core, with deterministic data (seeded):
 * - SNS 3-key policy (MessageAttributes): the target workload, at least 1,000,000 evaluations
 *   per second.
 * - SNS policy mix (MessageAttributes): six policies with 3 to 5 keys (exact, numeric ranges,
 *   prefix, anything-but, exists, String.Array, cidr, $or), round-robin.
 * - SNS policy mix (MessageBody): the same kind of policies on parsed JSON bodies.
 * - EventBridge pattern mix: six patterns with 3 to 5 fields over full event envelopes whose
 *   detail has 5 to 10 fields.
 * Messages carry 5 to 10 attributes; half report an incident, and the share of evaluations
 * that match is printed (about a third for the 3-key policy).
 * - validate and compile: `validateFilterPolicy` / `validateEventPattern` and
 *   `compileFilterPolicy` / `compileEventPattern` over the same policies and patterns.
 *
 * Every workload runs once per round and the rounds interleave them, so a noisy moment on a
 * shared machine moves one sample of each, not one workload's result; the table reports the
 * median with the range over the rounds. Exits non-zero when the 3-key target is missed or a
 * workload's number of matches changes between rounds (the evaluators keep no state).
 *
 * Environment: BENCH_ROUNDS (default 7), BENCH_EVALS (evaluations per workload per round,
 * default 2,000,000), BENCH_COMPILES (validations/compilations per round, default 20,000).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSeededRandom } from '@herald/core';
import {
  compileEventPattern,
  compileFilterPolicy,
  type EventPattern,
  type FilterPolicy,
  type FilterPolicyMessage,
  type FilterPolicyMessageAttribute,
  validateEventPattern,
  validateFilterPolicy,
} from '@herald/fanout';
import { positiveIntegerFromEnv, summary } from '../shared/bench-stats.js';

const ROUNDS = positiveIntegerFromEnv('BENCH_ROUNDS', 7);
const EVALS = positiveIntegerFromEnv('BENCH_EVALS', 2_000_000);
const COMPILES = positiveIntegerFromEnv('BENCH_COMPILES', 20_000);
const TARGET_3_KEY = 1_000_000;
const POOL = 1024; // messages per workload (a power of two: index with a mask)

const random = createSeededRandom(20_240_611);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const chance = (p: number): boolean => random() < p;

const SERVICES = ['checkout', 'payments', 'search', 'inventory', 'shipping'];
const LEVELS = ['debug', 'info', 'warn', 'error'];
const REGIONS = ['eu-west-1', 'eu-central-1', 'us-east-1', 'us-west-2', 'ap-southeast-2'];
const EVENTS = ['order_placed', 'order_cancelled', 'order_shipped', 'payment_failed'];

// ---------------------------------------------------------------------------------------------
// Messages: 5 to 10 attributes each.

const str = (value: string): FilterPolicyMessageAttribute => ({ DataType: 'String', StringValue: value });
const num = (value: number): FilterPolicyMessageAttribute => ({ DataType: 'Number', StringValue: String(value) });

function messageFields(): Record<string, unknown> {
  // About half the messages report an incident (5xx, error or warn, mostly from the order path),
  // so that policies written for incidents match some messages and not others.
  const incident = chance(0.5);
  const fields: Record<string, unknown> = {
    service: incident ? pick(['checkout', 'payments', 'checkout', 'shipping']) : pick(SERVICES),
    level: incident ? pick(['error', 'error', 'warn']) : pick(LEVELS),
    status: incident ? 500 + Math.floor(random() * 4) : 200 + Math.floor(random() * 5),
    region: pick(REGIONS),
    event: pick(EVENTS),
  };
  const extra = Math.floor(random() * 6); // 0..5 more: 5 to 10 in all
  const optional: [string, () => unknown][] = [
    ['tags', () => [pick(['vip', 'new', 'eu', 'beta']), pick(['mobile', 'web'])]],
    ['price_usd', () => Math.round(random() * 50_000) / 100],
    ['source_ip', () => `10.${Math.floor(random() * 3)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}`],
    ['customer', () => `c-${Math.floor(random() * 10_000)}`],
    ['trace', () => `t-${Math.floor(random() * 1e9).toString(16)}`],
  ];
  for (const [name, make] of optional.slice(0, extra)) fields[name] = make();
  return fields;
}

function asAttributes(fields: Record<string, unknown>): FilterPolicyMessage {
  const attributes: Record<string, FilterPolicyMessageAttribute> = {};
  for (const [name, value] of Object.entries(fields)) {
    attributes[name] =
      typeof value === 'number' ? num(value) : Array.isArray(value) ? { DataType: 'String.Array', StringValue: JSON.stringify(value) } : str(String(value));
  }
  return { attributes };
}

const fieldPool = Array.from({ length: POOL }, messageFields);
const attributeMessages = fieldPool.map(asAttributes);
const bodyMessages: FilterPolicyMessage[] = fieldPool.map((fields) => ({ body: fields }));
const events = fieldPool.map((fields, i) => ({
  version: '0',
  id: `e-${i}`,
  'detail-type': fields['level'] === 'error' ? 'Service Error' : 'Service Event',
  source: `app.${String(fields['service'])}`,
  account: '123456789012',
  time: '2024-06-11T10:00:00Z',
  region: String(fields['region']),
  resources: [`arn:aws:ecs:${String(fields['region'])}:123456789012:task/${i}`],
  detail: fields,
}));

// ---------------------------------------------------------------------------------------------
// Policies and patterns: 3 to 5 keys.

const threeKeyPolicy: FilterPolicy = {
  service: ['checkout', 'payments'],
  level: ['error', 'warn'],
  status: [{ numeric: ['>=', 500] }],
};

const policyMix: FilterPolicy[] = [
  threeKeyPolicy,
  { service: ['checkout'], status: [{ numeric: ['>=', 500, '<', 600] }], region: [{ prefix: 'eu-' }], event: [{ 'anything-but': 'order_cancelled' }] },
  { level: ['error'], tags: ['vip', 'beta'], customer: [{ exists: true }] },
  { region: ['us-east-1', 'us-west-2'], price_usd: [{ numeric: ['>', 100] }], event: ['order_placed', 'order_shipped'], trace: [{ exists: false }] },
  { source_ip: [{ cidr: '10.1.0.0/16' }], service: [{ 'anything-but': ['search', 'inventory'] }], level: [{ 'equals-ignore-case': 'ERROR' }], status: [500, 503], region: [{ suffix: '-1' }] },
  { event: [{ prefix: 'order_' }], $or: [{ level: ['error'] }, { status: [{ numeric: ['>=', 500] }] }], service: ['checkout', 'shipping'] },
];

const patternMix: EventPattern[] = [
  { source: ['app.checkout', 'app.payments'], 'detail-type': ['Service Error'], detail: { status: [{ numeric: ['>=', 500] }] } },
  { source: [{ prefix: 'app.' }], detail: { region: [{ prefix: 'eu-' }], event: [{ 'anything-but': 'order_cancelled' }], status: [{ numeric: ['>=', 500, '<', 600] }] } },
  { 'detail-type': ['Service Error'], detail: { tags: ['vip', 'beta'], customer: [{ exists: true }] } },
  { region: ['us-east-1', 'us-west-2'], detail: { price_usd: [{ numeric: ['>', 100] }], event: ['order_placed', 'order_shipped'], trace: [{ exists: false }] } },
  { detail: { source_ip: [{ cidr: '10.1.0.0/16' }], service: [{ 'anything-but': ['search', 'inventory'] }], level: [{ 'equals-ignore-case': 'ERROR' }], region: [{ wildcard: '*-1' }] } },
  { source: [{ prefix: 'app.' }], detail: { event: [{ prefix: 'order_' }], $or: [{ level: ['error'] }, { status: [{ numeric: ['>=', 500] }] }] } },
];

// ---------------------------------------------------------------------------------------------
// Measurement.

interface Sample {
  readonly perSecond: number;
  readonly matches: number;
}

/** Runs `evaluate` on pool entries `count` times; returns evaluations per second and matches. */
function timeEvaluations<T>(count: number, pool: readonly T[], evaluate: (item: T, i: number) => boolean): Sample {
  let matches = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i += 1) {
    if (evaluate(pool[i & (POOL - 1)] as T, i)) matches += 1;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { perSecond: count / seconds, matches };
}

/** Runs `work` over `items` round-robin `count` times; returns operations per second. */
function timeOperations<T>(count: number, items: readonly T[], work: (item: T) => unknown): Sample {
  let kept = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i += 1) if (work(items[i % items.length] as T)) kept += 1;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { perSecond: count / seconds, matches: kept };
}

function main(): void {
  for (const policy of policyMix) {
    const problems = [...validateFilterPolicy(policy).problems, ...validateFilterPolicy(policy, { scope: 'MessageBody' }).problems];
    if (problems.length > 0) throw new Error(`bench policy refused: ${JSON.stringify(problems)}`);
  }
  for (const pattern of patternMix) {
    const { problems } = validateEventPattern(pattern);
    if (problems.length > 0) throw new Error(`bench pattern refused: ${JSON.stringify(problems)}`);
  }

  const threeKey = compileFilterPolicy(threeKeyPolicy);
  const attributeMix = policyMix.map((policy) => compileFilterPolicy(policy));
  const bodyMix = policyMix.map((policy) => compileFilterPolicy(policy, { scope: 'MessageBody' }));
  const eventMix = patternMix.map((pattern) => compileEventPattern(pattern));
  const policies = policyMix.length;

  const workloads = {
    filter3Key: () => timeEvaluations(EVALS, attributeMessages, (message) => threeKey(message)),
    filterMix: () => timeEvaluations(EVALS, attributeMessages, (message, i) => (attributeMix[i % policies] as (m: FilterPolicyMessage) => boolean)(message)),
    filterBodyMix: () => timeEvaluations(EVALS, bodyMessages, (message, i) => (bodyMix[i % policies] as (m: FilterPolicyMessage) => boolean)(message)),
    patternMix: () => timeEvaluations(EVALS, events, (event, i) => (eventMix[i % policies] as (e: unknown) => boolean)(event)),
    filterValidate: () => timeOperations(COMPILES, policyMix, (policy) => validateFilterPolicy(policy).valid),
    patternValidate: () => timeOperations(COMPILES, patternMix, (pattern) => validateEventPattern(pattern).valid),
    filterCompile: () => timeOperations(COMPILES, policyMix, (policy) => compileFilterPolicy(policy)),
    patternCompile: () => timeOperations(COMPILES, patternMix, (pattern) => compileEventPattern(pattern)),
  } as const;
  type Workload = keyof typeof workloads;
  const names = Object.keys(workloads) as Workload[];

  // Warm up (JIT) on a tenth of a round.
  for (const name of names) {
    if (name.endsWith('Validate') || name.endsWith('Compile')) timeOperations(Math.ceil(COMPILES / 10), name.startsWith('filter') ? policyMix : patternMix, () => true);
    workloads[name]();
  }

  const samples = Object.fromEntries(names.map((name) => [name, [] as Sample[]])) as Record<Workload, Sample[]>;
  for (let round = 1; round <= ROUNDS; round += 1) {
    globalThis.gc?.();
    const line: string[] = [];
    for (const name of names) {
      const sample = workloads[name]();
      samples[name].push(sample);
      line.push(`${name} ${(sample.perSecond / 1e6).toFixed(2)}M/s`);
    }
    console.log(`round ${round}/${ROUNDS}: ${line.join(', ')}`);
  }

  const problems: string[] = [];
  const rate = Object.fromEntries(names.map((name) => [name, summary(samples[name].map((s) => s.perSecond))])) as Record<Workload, ReturnType<typeof summary>>;
  const matchRatio = Object.fromEntries(
    (['filter3Key', 'filterMix', 'filterBodyMix', 'patternMix'] as const).map((name) => {
      const counts = new Set(samples[name].map((s) => s.matches));
      if (counts.size !== 1) problems.push(`${name}: the number of matches changed between rounds (${[...counts].join(', ')})`);
      return [name, (samples[name][0] as Sample).matches / EVALS];
    }),
  ) as Record<'filter3Key' | 'filterMix' | 'filterBodyMix' | 'patternMix', number>;
  if (rate.filter3Key.median < TARGET_3_KEY) {
    problems.push(`3-key SNS policy: ${Math.round(rate.filter3Key.median)} evaluations/s, target ${TARGET_3_KEY}`);
  }

  const micros = (perSecond: number): number => 1e6 / perSecond;
  const result = {
    filterEvalsPerSec: Math.round(rate.filterMix.median),
    patternEvalsPerSec: Math.round(rate.patternMix.median),
    filterEvalsPerSec3Key: Math.round(rate.filter3Key.median),
    filterBodyEvalsPerSec: Math.round(rate.filterBodyMix.median),
    filterMicrosPerEval: micros(rate.filterMix.median),
    filterMicrosPerEval3Key: micros(rate.filter3Key.median),
    filterBodyMicrosPerEval: micros(rate.filterBodyMix.median),
    patternMicrosPerEval: micros(rate.patternMix.median),
    filterValidateMicros: micros(rate.filterValidate.median),
    patternValidateMicros: micros(rate.patternValidate.median),
    filterCompileMicros: micros(rate.filterCompile.median),
    patternCompileMicros: micros(rate.patternCompile.median),
    ranges: Object.fromEntries(names.map((name) => [name, { perSecondMin: Math.round(rate[name].min), perSecondMax: Math.round(rate[name].max) }])),
    matchRatio,
    target: { filterEvalsPerSec3Key: TARGET_3_KEY },
    targetMet: problems.length === 0,
    problems,
    workload: {
      rounds: ROUNDS,
      evaluationsPerWorkloadPerRound: EVALS,
      validationsAndCompilesPerRound: COMPILES,
      messages: POOL,
      attributesPerMessage: '5 to 10',
      keysPerPolicy: '3 to 5',
      policies: policyMix.length,
      patterns: patternMix.length,
    },
    node: process.version,
    date: new Date().toISOString(),
  };

  const per = (s: { median: number; min: number; max: number }): string =>
    `${(s.median / 1e6).toFixed(2)}M (${(s.min / 1e6).toFixed(2)}–${(s.max / 1e6).toFixed(2)})`;
  const perK = (s: { median: number; min: number; max: number }): string =>
    `${(s.median / 1e3).toFixed(1)}k (${(s.min / 1e3).toFixed(1)}–${(s.max / 1e3).toFixed(1)})`;
  const us = (s: { median: number }, digits = 3): string => micros(s.median).toFixed(digits);
  const pct = (ratio: number): string => `${(ratio * 100).toFixed(1)}%`;
  const rows: [string, string, string, string][] = [
    ['workload', 'per second: median (range)', 'µs each', 'matched'],
    ['SNS 3-key policy, attributes (target 1M/s)', per(rate.filter3Key), us(rate.filter3Key), pct(matchRatio.filter3Key)],
    ['SNS 3–5-key policy mix, attributes', per(rate.filterMix), us(rate.filterMix), pct(matchRatio.filterMix)],
    ['SNS 3–5-key policy mix, parsed body', per(rate.filterBodyMix), us(rate.filterBodyMix), pct(matchRatio.filterBodyMix)],
    ['EventBridge 3–5-field pattern mix', per(rate.patternMix), us(rate.patternMix), pct(matchRatio.patternMix)],
    ['validateFilterPolicy', perK(rate.filterValidate), us(rate.filterValidate, 2), ''],
    ['validateEventPattern', perK(rate.patternValidate), us(rate.patternValidate, 2), ''],
    ['compileFilterPolicy (validates too)', perK(rate.filterCompile), us(rate.filterCompile, 2), ''],
    ['compileEventPattern (validates too)', perK(rate.patternCompile), us(rate.patternCompile, 2), ''],
  ];
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((row) => row[c]!.length)));
  console.log('');
  for (const row of rows) console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
  console.log(
    `\n(${ROUNDS} interleaved rounds of ${EVALS.toLocaleString('en-US')} evaluations per workload, ${COMPILES.toLocaleString('en-US')} validations/compilations; ` +
      `${POOL} messages with 5–10 attributes; one core; Node ${process.version}.)`,
  );

  const out = fileURLToPath(new URL('../results/fanout.json', import.meta.url));
  mkdirSync(fileURLToPath(new URL('../results/', import.meta.url)), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwrote ${out}`);

  if (problems.length > 0) {
    for (const problem of problems) console.error(`✖ ${problem}`);
    process.exitCode = 1;
  }
}

main();
