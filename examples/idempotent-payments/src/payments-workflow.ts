import { randomBytes } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { createSeededRandom, type SqsRecord } from '@herald/core';
import { createDynamoDbStore, type IdempotencyStore } from '@herald/idempotency';
import { readAccounts } from './account-balances.js';
import { type AccountBalance, checkOutcome, type Count } from './check-outcome.js';
import { createEventSourceMapping, type EventSourceMapping, type Invocation } from './event-source-mapping.js';
import { createInfrastructure, deleteInfrastructure, type PaymentsInfrastructure } from './infrastructure.js';
import { createRefundHandler, refundRecordKey } from './refund-handler.js';
import { isRefundRequest } from './refund-request.js';
import { RequestLedger } from './request-ledger.js';
import { buildRefundPlan, type PlannedRequest, type RefundPlan, VALID_KINDS } from './requests.js';

export type { AccountBalance, Count } from './check-outcome.js';
import { plural } from './plural.js';
import { sendRequests } from './send-requests.js';

/** Options for {@link runIdempotentPayments}. */
export interface PaymentsWorkflowOptions {
  /** Configured client; pass `endpoint` explicitly for a local endpoint. */
  readonly dynamodb: DynamoDBClient;
  /** Configured client; pass `endpoint` explicitly (see DESIGN.md's QueueUrl pitfall). */
  readonly sqs: SQSClient;
  /** Seed of the request stream. Default 20260501. */
  readonly seed?: number;
  /** Start of every resource name. Default `herald-payments-<time>-<random>`, unique per run. */
  readonly prefix?: string;
  /** The Lambda function timeout; also how long a crashed invocation's lock lasts. Default 2,000 ms. */
  readonly functionTimeoutMs?: number;
  /** The refund queue's visibility timeout, at least the function timeout. Default 2 s. */
  readonly visibilityTimeoutSeconds?: number;
  /** Deliveries before a message goes to the dead-letter queue. Default 3. */
  readonly maxReceiveCount?: number;
  /** Give up waiting for messages to settle after this long. Default 45,000 ms. */
  readonly maxDurationMs?: number;
  /** Told what happens, one line at a time. */
  readonly onProgress?: (line: string) => void;
}

/** What the crash did, and how the redelivery recovered. */
export interface CrashReport {
  readonly paymentReference: string;
  /** The idempotency record right after the crash: `IN_PROGRESS` with the lock's expiry. */
  readonly recordAfterCrash: string;
  /** Milliseconds from the crash until the lock expired (the invocation's remaining time). */
  readonly lockHeldForMs: number | undefined;
  /** The delivery (ApproximateReceiveCount) that credited the refund in the end. */
  readonly takenOverOnDelivery: number | undefined;
  /** Milliseconds from the crash to that credit. */
  readonly takenOverAfterMs: number | undefined;
}

/** The outcome of a run. */
export interface PaymentsReport {
  readonly seed: number;
  readonly prefix: string;
  /** Messages sent to the refund queue. */
  readonly requests: Count;
  /** Distinct sent messages the handler received at least once. */
  readonly received: number;
  /** Deliveries to the handler, redeliveries included. */
  readonly deliveries: number;
  /** Accounts credited (handler runs past the lock); must equal the distinct valid payment references. */
  readonly refundsExecuted: Count;
  /** Valid messages processed without crediting: the store answered for their payment reference. */
  readonly duplicatesAnswered: Count;
  /** Malformed messages that ended in the dead-letter queue (failed validation each time). */
  readonly rejectedInvalid: Count;
  /** Messages reusing a payment reference with another amount, dead-lettered (payload mismatch). */
  readonly rejectedReusedReference: Count;
  /** Sent messages neither processed nor dead-lettered when the run ended. */
  readonly unaccounted: readonly string[];
  /** Payment references credited more than once (by the handler, or in an account's `appliedRefunds`). */
  readonly refundsRunTwice: readonly string[];
  /**
   * Runs of a refund that got past the lock but found the payment reference already applied to
   * the account: an earlier run credited and then timed out or died before completing its
   * record. Nothing was credited twice; 0 unless the machine is very slow.
   */
  readonly creditsRefusedByAccount: number;
  readonly balances: readonly AccountBalance[];
  /** Distinct valid payment references with a COMPLETED idempotency record. */
  readonly completedRecords: Count;
  readonly crash: CrashReport | undefined;
  readonly invocations: { readonly total: number; readonly crashed: number; readonly timedOut: number; readonly failed: number };
  /** Batches holding some payment reference more than once. */
  readonly batchesWithRepeatedReference: number;
  /** Payment references found in two batches processed at the same time. */
  readonly referencesInConcurrentBatches: number;
  readonly durationMs: number;
  readonly cleanupFailures: readonly string[];
  /** Every disagreement found, in words; empty when the run is right. */
  readonly problems: readonly string[];
  readonly ok: boolean;
}


/** The payment references of the valid refund bodies in a batch. */
function referencesIn(records: readonly SqsRecord[]): string[] {
  return records.flatMap((record) => {
    try {
      const body: unknown = JSON.parse(record.body);
      return isRefundRequest(body) ? [body.paymentReference] : [];
    } catch {
      return [];
    }
  });
}

/** Receives and deletes everything in the dead-letter queue, recording each message. */
async function drainDeadLetters(
  sqs: SQSClient,
  queueUrl: string,
  onMessage: (messageId: string, body: string) => void,
): Promise<number> {
  let drained = 0;
  for (;;) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    const messages = out.Messages ?? [];
    if (messages.length === 0) return drained;
    for (const m of messages) onMessage(m.MessageId ?? '?', m.Body ?? '');
    drained += messages.length;
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
      }),
    );
  }
}

/**
 * The refund scenario of AWS's guidance on idempotent APIs, end to end against SQS and
 * DynamoDB: creates the tables and queues, sends the seeded request stream, lets a stand-in
 * for Lambda's event source mapping feed it to the idempotent refund handler (one runtime crash
 * included), collects the dead-letter queue, compares every count and balance with what the
 * request list says, and deletes what it created (also after a failure).
 */
export async function runIdempotentPayments(options: PaymentsWorkflowOptions): Promise<PaymentsReport> {
  const { dynamodb, sqs } = options;
  const seed = options.seed ?? 20_260_501;
  const functionTimeoutMs = options.functionTimeoutMs ?? 2_000;
  const visibilityTimeoutSeconds = options.visibilityTimeoutSeconds ?? 2;
  const maxReceiveCount = options.maxReceiveCount ?? 3;
  const maxDurationMs = options.maxDurationMs ?? 45_000;
  const progress = options.onProgress ?? (() => {});
  const prefix = options.prefix ?? `herald-payments-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  if (visibilityTimeoutSeconds * 1000 < functionTimeoutMs) {
    throw new RangeError('visibilityTimeoutSeconds must be at least the function timeout (Lambda refuses such an event source mapping).');
  }

  const started = Date.now();
  const plan = buildRefundPlan(seed);
  const infra = await createInfrastructure(dynamodb, sqs, prefix, plan.accounts, { visibilityTimeoutSeconds, maxReceiveCount });
  progress(
    `Created ${prefix}-*: accounts table (${plan.accounts.length} accounts), idempotency table (TTL on "expiration"), ` +
      `refund queue (visibility timeout ${visibilityTimeoutSeconds} s, dead-letter queue after ${maxReceiveCount} deliveries).`,
  );
  let report: ScenarioReport;
  try {
    report = await runScenario(options, plan, infra, { functionTimeoutMs, maxReceiveCount, maxDurationMs, progress, started, prefix });
  } catch (error) {
    const leftovers = await deleteInfrastructure(dynamodb, sqs, infra);
    if (leftovers.length > 0) {
      throw new Error(`The run failed (${String(error)}), and these could not be deleted: ${leftovers.join('; ')}`, { cause: error });
    }
    throw error;
  }
  const cleanupFailures = await deleteInfrastructure(dynamodb, sqs, infra);
  if (cleanupFailures.length === 0) progress('Deleted the two tables and the two queues.');
  const problems = [...report.problems, ...cleanupFailures.map((f) => `could not delete ${f}`)];
  return { ...report, durationMs: Date.now() - started, cleanupFailures, problems, ok: problems.length === 0 };
}

/** The report before cleanup. */
type ScenarioReport = Omit<PaymentsReport, 'cleanupFailures' | 'ok' | 'problems' | 'durationMs'> & { problems: string[] };

interface RunSettings {
  readonly functionTimeoutMs: number;
  readonly maxReceiveCount: number;
  readonly maxDurationMs: number;
  readonly progress: (line: string) => void;
  readonly started: number;
  readonly prefix: string;
}

async function runScenario(
  options: PaymentsWorkflowOptions,
  plan: RefundPlan,
  infra: PaymentsInfrastructure,
  settings: RunSettings,
): Promise<ScenarioReport> {
  const { dynamodb, sqs } = options;
  const { progress } = settings;
  const store: IdempotencyStore = createDynamoDbStore({ client: dynamodb, tableName: infra.idempotencyTable });
  const ledger = new RequestLedger();

  // The crash: the first time the handler gets to crediting the crash refund (its lock taken),
  // the runtime dies.
  let crash: { messageId: string; at: number } | undefined;
  let takeover: { delivery: number; at: number } | undefined;
  let creditsRefusedByAccount = 0;
  let esm: EventSourceMapping | undefined;
  const handler = createRefundHandler({
    dynamodb,
    accountsTable: infra.accountsTable,
    store,
    random: createSeededRandom(plan.seed),
    beforeCredit: (refund, record) => {
      if (esm === undefined) return;
      // Records of an invocation that is over (crashed, or past its timeout) stop here: with the
      // process gone nothing more is credited (work already past this point finishes, like a
      // request in flight).
      if (esm.isDead(record)) return new Promise<never>(() => {});
      if (refund.paymentReference !== plan.crashReference || crash !== undefined) return;
      crash = { messageId: record.messageId, at: Date.now() };
      return esm.crash(record);
    },
    onCredited: (result, record) => {
      ledger.credited(record, result.paymentReference);
      if (result.paymentReference === plan.crashReference && crash !== undefined) {
        takeover = { delivery: Number(record.attributes?.ApproximateReceiveCount ?? Number.NaN), at: Date.now() };
      }
    },
    onAlreadyApplied: () => void (creditsRefusedByAccount += 1),
    onRecordError: (error, record) => ledger.failed(record, error),
  });
  esm = createEventSourceMapping({
    sqs,
    queue: infra.refundQueue,
    handler,
    functionTimeoutMs: settings.functionTimeoutMs,
  });

  const send = async (requests: readonly PlannedRequest[]): Promise<void> => {
    const ids = await sendRequests(
      sqs,
      infra.refundQueue.url,
      requests.map((r) => r.body),
    );
    requests.forEach((request, i) => ledger.sent(request, ids[i]!));
  };
  const main = plan.requests.filter((r) => r.wave === 'main');
  const late = plan.requests.filter((r) => r.wave === 'late');
  await send(main);
  const kinds = (list: readonly PlannedRequest[], kind: PlannedRequest['kind']): number => list.filter((r) => r.kind === kind).length;
  progress(
    `Sent ${main.length} refund requests: ${kinds(main, 'refund')} refunds, ` +
      `${kinds(main, 'exact-duplicate')} exact duplicates in later batches, ${kinds(main, 'same-batch-duplicate')} duplicates in the same batch, ` +
      `${kinds(main, 'concurrent-batch-duplicate')} in the batch processed alongside, ${kinds(main, 'malformed')} malformed.`,
  );

  let lateSent = late.length === 0;
  let round = 0;
  let recordAfterCrash = '';
  let lockHeldForMs: number | undefined;
  let batchesWithRepeatedReference = 0;
  const referencesInConcurrentBatches = new Set<string>();
  const all: Invocation[] = [];
  let unknownDeadLetters = 0;

  const describe = (invocation: Invocation): string => {
    const head = `batch ${invocation.number} (${plural(invocation.records.length, 'record')})`;
    if (invocation.outcome === 'crashed') {
      return `${head}: the runtime died while refunding ${plan.crashReference} (lock taken, account not credited); no answer, so all ${invocation.records.length} come back`;
    }
    if (invocation.outcome !== 'returned') return `${head}: ${invocation.outcome}; all ${invocation.records.length} come back`;
    const byId = new Map(invocation.records.map((r) => [r.messageId, r]));
    const refunded = invocation.deleted.filter((id) => ledger.creditedIn(byId.get(id)!)).length;
    const answered = invocation.deleted.length - refunded;
    const codes = new Map<string, number>();
    for (const id of invocation.returned) {
      const code = ledger.entry(id)?.lastFailure ?? 'unknown';
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    const returned = invocation.returned.length
      ? `, ${invocation.returned.length} returned to the queue (${[...codes].map(([c, n]) => (n > 1 ? `${c} ×${n}` : c)).join(', ')})`
      : '';
    const redelivered = invocation.records.filter((r) => Number(r.attributes?.ApproximateReceiveCount ?? 1) > 1).length;
    const again = redelivered ? `, ${redelivered} of them redelivered` : '';
    return `${head}${again}: ${refunded} refunded, ${answered} answered from the store${returned}`;
  };

  const deadline = settings.started + settings.maxDurationMs;
  while ((!lateSent || ledger.unsettled().length > 0) && Date.now() < deadline) {
    const invocations = await esm.poll();
    if (invocations.length > 0) {
      round += 1;
      invocations.forEach((invocation, i) => {
        all.push(invocation);
        for (const record of invocation.records) {
          ledger.delivered(record);
          if (invocation.outcome !== 'returned') ledger.invocationLost(record, invocation.outcome);
        }
        for (const id of invocation.deleted) ledger.deleted(id);
        const references = referencesIn(invocation.records);
        if (new Set(references).size < references.length) batchesWithRepeatedReference += 1;
        for (const other of invocations.slice(i + 1)) {
          const theirs = new Set(referencesIn(other.records));
          for (const reference of references) if (theirs.has(reference)) referencesInConcurrentBatches.add(reference);
        }
        progress(`${i === 0 ? `round ${round}:`.padEnd(10) : ''.padEnd(10)}${describe(invocation)}`);
      });
      if (crash !== undefined && recordAfterCrash === '') {
        const record = await store.get(refundRecordKey(plan.crashReference));
        const expiresAt = record?.inProgressExpiresAt;
        lockHeldForMs = expiresAt === undefined ? undefined : expiresAt - crash.at;
        recordAfterCrash = record === undefined ? 'none' : record.status;
        progress(
          `${''.padEnd(10)}idempotency record of ${plan.crashReference}: ${recordAfterCrash}` +
            (lockHeldForMs === undefined ? '' : `, its lock expires ${lockHeldForMs} ms after the crash`),
        );
      }
    }
    if (!lateSent) {
      const waitingFor = new Set(late.map((r) => r.refund?.paymentReference));
      const originals = ledger.entries().filter((e) => VALID_KINDS.has(e.request.kind) && waitingFor.has(e.request.refund?.paymentReference));
      if (originals.length > 0 && originals.every((e) => e.settlement !== undefined)) {
        await send(late);
        lateSent = true;
        progress(`${''.padEnd(10)}sent ${plural(late.length, 'late request')}: ${late.map((r) => `${r.refund?.paymentReference} (${r.description})`).join(', ')}`);
      }
    }
    const drained = await drainDeadLetters(sqs, infra.deadLetterQueue.url, (messageId, body) => {
      if (ledger.deadLettered(messageId, body) === undefined) unknownDeadLetters += 1;
    });
    if (drained > 0) progress(`${''.padEnd(10)}dead-letter queue: ${plural(drained, 'message')} moved there after ${settings.maxReceiveCount} failed deliveries each`);
  }

  // Compare what happened (ledger, tables) with what the request list says.
  const stored = await readAccounts(dynamodb, infra.accountsTable);
  const completed = new Set<string>();
  for (const reference of plan.expected.refundedReferences) {
    if ((await store.get(refundRecordKey(reference)))?.status === 'COMPLETED') completed.add(reference);
  }
  const outcome = checkOutcome({
    plan,
    ledger,
    accounts: stored,
    completedReferences: completed,
    neverSent: lateSent ? [] : late,
    unknownDeadLetters,
  });
  const problems = [...outcome.problems];
  if (crash === undefined) problems.push(`the crash of ${plan.crashReference} never happened`);
  else if (takeover === undefined) problems.push(`the crashed refund ${plan.crashReference} was never taken over`);
  const crashed = all.filter((i) => i.outcome === 'crashed').length;
  const crashAt = crash?.at;

  return {
    seed: plan.seed,
    prefix: settings.prefix,
    ...outcome.counts,
    received: outcome.received,
    deliveries: outcome.deliveries,
    unaccounted: outcome.unaccounted,
    refundsRunTwice: outcome.refundsRunTwice,
    creditsRefusedByAccount,
    balances: outcome.balances,
    crash:
      crashAt === undefined
        ? undefined
        : {
            paymentReference: plan.crashReference,
            recordAfterCrash,
            lockHeldForMs,
            takenOverOnDelivery: takeover?.delivery,
            takenOverAfterMs: takeover === undefined ? undefined : takeover.at - crashAt,
          },
    invocations: {
      total: all.length,
      crashed,
      timedOut: all.filter((i) => i.outcome === 'timed-out').length,
      failed: all.filter((i) => i.outcome === 'failed').length,
    },
    batchesWithRepeatedReference,
    referencesInConcurrentBatches: referencesInConcurrentBatches.size,
    problems,
  };
}
