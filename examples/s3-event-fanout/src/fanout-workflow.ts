import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { FilterPolicy } from '@herald/fanout';
import { consumeQueue, type ProcessedS3Record } from './consume-queue.js';
import { CONSUMER_QUEUES, type ConsumerName } from './consumer-queues.js';
import { evaluatorSelects } from './evaluator-selects.js';
import { createInfrastructure, deleteInfrastructure, type FanoutInfrastructure } from './infrastructure.js';
import {
  generateS3Events,
  type GeneratedS3Event,
  KEY_PREFIXES,
  S3_NOTIFICATION_SUBJECT,
  s3TestEvent,
} from './s3-events.js';

/** What one consumer queue got, against what it should have. */
export interface QueueReport {
  readonly name: ConsumerName;
  readonly filterPolicy: FilterPolicy;
  readonly raw: boolean;
  /** Events the hand-written selection picks. */
  readonly expected: number;
  /** Events `matchesFilterPolicy` picks for the queue's policy. */
  readonly expectedByEvaluator: number;
  /** The evaluator and the hand-written selection pick exactly the same events (and neither picks the test event). */
  readonly evaluatorAgrees: boolean;
  /** Distinct expected events the consumer processed. */
  readonly received: number;
  /** Expected events that never arrived. */
  readonly missing: number;
  /** Events processed that the queue should not have had. */
  readonly unexpected: number;
  /** Extra deliveries of an event already processed (SNS and SQS deliver at least once). */
  readonly duplicates: number;
  /** s3:TestEvent messages that reached the queue (its filter should drop them). */
  readonly testEvents: number;
  /** Messages whose processing failed. */
  readonly failed: number;
  /** Processed messages that could not be deleted. */
  readonly undeleted: number;
  /** A few processed records, for the printout. */
  readonly samples: readonly ProcessedS3Record[];
}

/** The outcome of one run. */
export interface FanoutReport {
  readonly bucket: string;
  readonly seed: number;
  readonly events: number;
  /** Events per S3 event name. */
  readonly byEventName: Readonly<Record<string, number>>;
  /** Events per key prefix. */
  readonly byPrefix: Readonly<Record<string, number>>;
  /** Notifications published (the events plus one s3:TestEvent). */
  readonly published: number;
  /** Publish calls that failed, with their errors. */
  readonly publishFailures: readonly string[];
  readonly queues: Readonly<Record<ConsumerName, QueueReport>>;
  /** Resources that could not be deleted at the end. */
  readonly cleanupFailures: readonly string[];
  /**
   * Every count agrees: everything published; for each queue the evaluator agrees with the
   * hand-written selection and the consumer processed exactly the selected events (none
   * missing, none extra, no test event, no failure); cleanup worked.
   */
  readonly ok: boolean;
}

/** Options of {@link runS3EventFanout}. */
export interface FanoutOptions {
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
  /** How many S3 events to generate. Default 300. */
  readonly events?: number;
  /** Seed of the generator. Default 1. */
  readonly seed?: number;
  /** Prefix of the topic and queue names. Default `herald-s3-fanout-<random>`. */
  readonly prefix?: string;
  /** How long a consumer waits without a new message before it stops (ms). Default 5,000. */
  readonly idleMs?: number;
  /** Called with progress messages. */
  readonly onProgress?: (message: string) => void;
}

const SAMPLES = 3;
/** Publish calls in flight at once (S3 publishes each notification on its own). */
const PUBLISH_CONCURRENCY = 8;
/** A fixed start time keeps the generated events the same on every run. */
const START_TIME = new Date('2024-05-01T10:00:00.000Z');

function tally(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

async function publishAll(sns: SNSClient, topicArn: string, documents: readonly object[]): Promise<{ published: number; failures: string[] }> {
  let next = 0;
  let published = 0;
  const failures: string[] = [];
  const worker = async (): Promise<void> => {
    while (next < documents.length) {
      const document = documents[next];
      next += 1;
      try {
        await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: S3_NOTIFICATION_SUBJECT, Message: JSON.stringify(document) }));
        published += 1;
      } catch (error) {
        failures.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: PUBLISH_CONCURRENCY }, worker));
  return { published, failures };
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/**
 * The whole workflow: generates the S3 events, creates the topic and the three subscribed
 * queues, publishes an s3:TestEvent and every notification as S3 would, lets each consumer
 * process its queue, compares what each processed with what its filter selects (by
 * `matchesFilterPolicy` and by hand), deletes what it created and reports.
 *
 * @param options - Clients, size, seed and naming.
 * @returns The report; `ok` says whether every count agrees.
 */
export async function runS3EventFanout(options: FanoutOptions): Promise<FanoutReport> {
  const { sns, sqs } = options;
  const progress = options.onProgress ?? (() => {});
  const seed = options.seed ?? 1;
  const prefix = options.prefix ?? `herald-s3-fanout-${Math.random().toString(36).slice(2, 8)}`;
  const bucket = `${prefix}-bucket`;
  const generated = generateS3Events({ count: options.events ?? 300, seed, bucket, startTime: START_TIME });
  const testEvent = s3TestEvent(bucket, new Date(START_TIME.getTime() - 60_000));

  const infra = await createInfrastructure(sns, sqs, prefix);
  progress(`Created ${infra.topicArn} and queues ${Object.values(infra.queues).map((q) => q.url).join(', ')}`);
  let result: Omit<FanoutReport, 'cleanupFailures' | 'ok'> | undefined;
  let cleanupFailures: string[] = [];
  try {
    result = await publishAndConsume(options, infra, generated, testEvent, { bucket, seed }, progress);
  } finally {
    cleanupFailures = await deleteInfrastructure(sns, sqs, infra);
    for (const failure of cleanupFailures) progress(`Could not delete ${failure}`);
  }
  const queuesOk = Object.values(result.queues).every(
    (q) =>
      q.evaluatorAgrees && q.missing === 0 && q.unexpected === 0 && q.testEvents === 0 && q.failed === 0 && q.undeleted === 0,
  );
  const ok = result.publishFailures.length === 0 && queuesOk && cleanupFailures.length === 0;
  return { ...result, cleanupFailures, ok };
}

async function publishAndConsume(
  options: FanoutOptions,
  infra: FanoutInfrastructure,
  generated: readonly GeneratedS3Event[],
  testEvent: object,
  run: { bucket: string; seed: number },
  progress: (message: string) => void,
): Promise<Omit<FanoutReport, 'cleanupFailures' | 'ok'>> {
  // What each queue should get, decided twice, independently of each other and of delivery.
  const expectations = CONSUMER_QUEUES.map((consumer) => {
    const byHand = new Set(generated.filter((g) => consumer.wants(g.event)).map((g) => g.event.sequencer));
    const byEvaluator = new Set(
      generated.filter((g) => evaluatorSelects(consumer.filterPolicy, JSON.stringify(g.notification))).map((g) => g.event.sequencer),
    );
    const evaluatorTakesTestEvent = evaluatorSelects(consumer.filterPolicy, JSON.stringify(testEvent));
    return { consumer, byHand, byEvaluator, agrees: sameSet(byHand, byEvaluator) && !evaluatorTakesTestEvent };
  });

  progress(`Publishing an s3:TestEvent and ${generated.length} S3 event notifications to the topic`);
  const { published, failures } = await publishAll(options.sns, infra.topicArn, [testEvent, ...generated.map((g) => g.notification)]);

  progress('Consuming the three queues');
  const queues = await Promise.all(
    expectations.map(async ({ consumer, byHand, byEvaluator, agrees }): Promise<QueueReport> => {
      const queue = infra.queues[consumer.name];
      const processed = new Map<string, number>();
      const samples: ProcessedS3Record[] = [];
      const consumed = await consumeQueue(options.sqs, {
        queueUrl: queue.url,
        queueArn: queue.arn,
        expectedRecords: byHand.size,
        idleMs: options.idleMs ?? 5_000,
        onRecord: (record) => {
          processed.set(record.sequencer, (processed.get(record.sequencer) ?? 0) + 1);
          if (samples.length < SAMPLES) samples.push(record);
        },
      });
      const received = [...byHand].filter((s) => processed.has(s)).length;
      return {
        name: consumer.name,
        filterPolicy: consumer.filterPolicy,
        raw: consumer.raw,
        expected: byHand.size,
        expectedByEvaluator: byEvaluator.size,
        evaluatorAgrees: agrees,
        received,
        missing: byHand.size - received,
        unexpected: [...processed.keys()].filter((s) => !byHand.has(s)).length,
        duplicates: [...processed.values()].reduce((sum, n) => sum + n - 1, 0),
        testEvents: consumed.testEvents,
        failed: consumed.failed,
        undeleted: consumed.undeleted,
        samples,
      };
    }),
  );

  return {
    bucket: run.bucket,
    seed: run.seed,
    events: generated.length,
    byEventName: tally(generated.map((g) => g.event.eventName)),
    byPrefix: tally(generated.map((g) => KEY_PREFIXES.find((p) => g.event.key.startsWith(p)) ?? '(other)')),
    published,
    publishFailures: failures,
    queues: Object.fromEntries(queues.map((q) => [q.name, q])) as Record<ConsumerName, QueueReport>,
  };
}
