import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { createSnsPublisher, type PublishResult, type SnsMessage } from '@herald/sns-batch';
import { drainQueue, type ReceivedMessage } from './drain-queue.js';
import { createInfrastructure, deleteInfrastructure, type PipelineInfrastructure } from './infrastructure.js';
import { escapeUndeliverable, parseLogLine } from './parse-log-line.js';

/** What one queue received, against what it should have. */
export interface QueueReport {
  readonly expected: number;
  /** Distinct expected lines that arrived with the content that was published. */
  readonly received: number;
  /** Expected lines that never arrived. */
  readonly missing: number;
  /** Messages that should not be in this queue (filtered out, failed, or unknown). */
  readonly unexpected: number;
  /** Extra copies of a line already received (SNS and SQS deliver at least once). */
  readonly duplicates: number;
  /** Messages whose body differs from what was published for that line. */
  readonly corrupted: number;
}

/** The outcome of one run of the pipeline. */
export interface PipelineReport {
  readonly linesRead: number;
  readonly emptyLines: number;
  /** Lines no parser recognised: published with `parsed=false`. */
  readonly unparsedLines: number;
  /** Lines with an HTTP status (the anomaly filter routes on it). */
  readonly linesWithStatus: number;
  /** Lines with characters SQS refuses, published with those characters escaped. */
  readonly escapedLines: number;
  readonly published: number;
  readonly failed: number;
  /** Failure codes and how often each occurred. */
  readonly failures: Readonly<Record<string, number>>;
  readonly requests: number;
  readonly queues: { readonly anomalies: QueueReport; readonly search: QueueReport; readonly archive: QueueReport };
  /** Every count agrees: each queue got exactly what it should, and every line has a result. */
  readonly ok: boolean;
}

/** What the pipeline needs. */
export interface PipelineOptions {
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
  /** The log file to read, line by line. */
  readonly file: string;
  /** Prefix of the topic and queue names. Default: `herald-log-pipeline-<random>`. */
  readonly prefix?: string;
  /** Called with progress messages. */
  readonly onProgress?: (message: string) => void;
}

const digest = (body: string): string => createHash('sha256').update(body).digest('base64');

interface PublishedLine {
  readonly digest: string;
  readonly anomaly: boolean;
}

function compare(
  received: readonly ReceivedMessage[],
  published: ReadonlyMap<number, PublishedLine>,
  wanted: (line: PublishedLine) => boolean,
): QueueReport {
  let expected = 0;
  for (const line of published.values()) if (wanted(line)) expected += 1;
  const seen = new Set<number>();
  let unexpected = 0;
  let duplicates = 0;
  let corrupted = 0;
  for (const message of received) {
    const lineNo = Number(message.attributes.line);
    const line = published.get(lineNo);
    if (line === undefined || !wanted(line)) unexpected += 1;
    else if (seen.has(lineNo)) duplicates += 1;
    else if (line.digest !== digest(message.body)) corrupted += 1;
    else seen.add(lineNo);
  }
  return { expected, received: seen.size, missing: expected - seen.size, unexpected, duplicates, corrupted };
}

function toMessage(
  lineNo: number,
  line: string,
): { message: SnsMessage; unparsed: boolean; escaped: boolean; hasStatus: boolean; anomaly: boolean } {
  const parsed = parseLogLine(line);
  const body = escapeUndeliverable(line);
  const attributes: NonNullable<SnsMessage['MessageAttributes']> = {
    line: { DataType: 'Number', StringValue: String(lineNo) },
    parsed: { DataType: 'String', StringValue: String(parsed.parsed) },
  };
  if (parsed.parsed) {
    attributes.format = { DataType: 'String', StringValue: parsed.format };
    if (parsed.status !== undefined) attributes.status = { DataType: 'Number', StringValue: String(parsed.status) };
    if (parsed.method !== undefined) attributes.method = { DataType: 'String', StringValue: parsed.method };
  }
  return {
    message: { id: String(lineNo), Message: body, MessageAttributes: attributes },
    unparsed: !parsed.parsed,
    escaped: body !== line,
    hasStatus: parsed.parsed && parsed.status !== undefined,
    anomaly: parsed.parsed && parsed.status !== undefined && parsed.status >= 500,
  };
}

/**
 * Runs the whole workflow: creates the topic and queues, publishes every non-empty line of
 * the file with the batch publisher, drains the three queues, deletes what it created and
 * reports whether every count agrees.
 */
export async function runLogPipeline(options: PipelineOptions): Promise<PipelineReport> {
  const { sns, sqs } = options;
  const progress = options.onProgress ?? (() => {});
  const prefix = options.prefix ?? `herald-log-pipeline-${Math.random().toString(36).slice(2, 8)}`;
  const infra: PipelineInfrastructure = await createInfrastructure(sns, sqs, prefix);
  try {
    // Reading pauses while 2,000 messages are pending (publisher.ready() below).
    const publisher = createSnsPublisher({ client: sns, topicArn: infra.topicArn, maxQueued: 2_000 });
    const published = new Map<number, PublishedLine>();
    const pending = new Map<number, { digest: string; anomaly: boolean }>();
    const failures: Record<string, number> = {};
    let linesRead = 0;
    let emptyLines = 0;
    let unparsedLines = 0;
    let escapedLines = 0;
    let linesWithStatus = 0;
    let failed = 0;

    const onResult = (lineNo: number) => (result: PublishResult) => {
      const line = pending.get(lineNo);
      pending.delete(lineNo);
      if (result.status === 'published' && line) published.set(lineNo, line);
      else if (result.status === 'failed') {
        failed += 1;
        failures[result.code] = (failures[result.code] ?? 0) + 1;
      }
    };

    progress(`Publishing ${options.file} to ${infra.topicArn}`);
    const lines = createInterface({ input: createReadStream(options.file, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const line of lines) {
      linesRead += 1;
      if (line.trim() === '') {
        emptyLines += 1;
        continue;
      }
      const { message, unparsed, escaped, hasStatus, anomaly } = toMessage(linesRead, line);
      if (unparsed) unparsedLines += 1;
      if (escaped) escapedLines += 1;
      if (hasStatus) linesWithStatus += 1;
      pending.set(linesRead, { digest: digest(message.Message ?? ''), anomaly });
      // Backpressure: wait until the publisher has room, then hand the message over; its
      // result is recorded when it comes.
      await publisher.ready();
      void publisher.publish(message).then(onResult(linesRead));
    }
    // close() sends what is buffered and resolves after every result was recorded.
    await publisher.close();
    const requests = publisher.stats().requests;

    progress(`Published ${published.size}, failed ${failed}; draining the queues`);
    const all = () => true;
    const anomalyOnly = (line: PublishedLine) => line.anomaly;
    const expectedAnomalies = [...published.values()].filter(anomalyOnly).length;
    const [anomalies, search, archive] = await Promise.all([
      drainQueue(sqs, infra.anomalies.url, { expected: expectedAnomalies }),
      drainQueue(sqs, infra.search.url, { expected: published.size }),
      drainQueue(sqs, infra.archive.url, { expected: published.size }),
    ]);
    const queues = {
      anomalies: compare(anomalies, published, anomalyOnly),
      search: compare(search, published, all),
      archive: compare(archive, published, all),
    };
    const nonEmpty = linesRead - emptyLines;
    const ok =
      published.size + failed === nonEmpty &&
      Object.values(queues).every((q) => q.missing === 0 && q.unexpected === 0 && q.corrupted === 0);
    return {
      linesRead,
      emptyLines,
      unparsedLines,
      linesWithStatus,
      escapedLines,
      published: published.size,
      failed,
      failures,
      requests,
      queues,
      ok,
    };
  } finally {
    await deleteInfrastructure(sns, sqs, infra).catch((error: unknown) => {
      progress(`Could not delete the topic and queues of ${prefix}: ${String(error)}`);
    });
  }
}
