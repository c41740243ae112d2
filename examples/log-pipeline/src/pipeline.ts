import { createHash } from 'node:crypto';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { createSnsPublisher, type PublishResult, type SnsMessage } from '@herald/sns-batch';
import { drainQueue, type ReceivedMessage } from './drain-queue.js';
import { createInfrastructure, deleteInfrastructure, type PipelineInfrastructure } from './infrastructure.js';
import { escapeUndeliverable, parseLogLine } from './parse-log-line.js';
import { readLines, type LogLine } from './read-lines.js';
import { splitUtf8 } from './split-utf8.js';

/** What one queue received, against what it should have. */
export interface QueueReport {
  readonly expected: number;
  /** Distinct expected messages that arrived with the content that was published. */
  readonly received: number;
  /** Expected messages that never arrived. */
  readonly missing: number;
  /** Messages that should not be in this queue (filtered out, failed, or unknown). */
  readonly unexpected: number;
  /** Extra copies of a message already received (SNS and SQS deliver at least once). */
  readonly duplicates: number;
  /** Messages whose body differs from what was published. */
  readonly corrupted: number;
}

/** The outcome of one run of the pipeline. */
export interface PipelineReport {
  readonly linesRead: number;
  /** Blank (or whitespace-only) lines: counted, not published. */
  readonly emptyLines: number;
  /** Lines no parser recognised: published with `parsed=false`. */
  readonly unparsedLines: number;
  /** Lines with an HTTP status (the anomaly filter routes on it). */
  readonly linesWithStatus: number;
  /** Lines with characters SQS refuses, published with those characters escaped. */
  readonly escapedLines: number;
  /** Lines that were not valid UTF-8, published decoded as Latin-1 (`encoding=latin1`). */
  readonly latin1Lines: number;
  /** Lines too large for one SNS message, published in several parts (`part`, `parts`). */
  readonly splitLines: number;
  /** Messages handed to the publisher (one per non-empty line, more for split lines). */
  readonly messages: number;
  readonly published: number;
  readonly failed: number;
  /** Failure codes and how often each occurred. */
  readonly failures: Readonly<Record<string, number>>;
  readonly requests: number;
  readonly queues: { readonly anomalies: QueueReport; readonly search: QueueReport; readonly archive: QueueReport };
  /** Resources that could not be deleted at the end (empty when cleanup worked). */
  readonly cleanupFailures: readonly string[];
  /**
   * Every count agrees: every message was published and each queue got exactly what it
   * should (none missing, none extra, none changed), and cleanup worked.
   */
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
  /** Largest body of one message, in UTF-8 bytes; longer lines are split. Default 261,120. */
  readonly maxBodyBytes?: number;
  /** Called with progress messages. */
  readonly onProgress?: (message: string) => void;
}

/** SNS's 262,144-byte message limit, less room for the attributes this example sets. */
const DEFAULT_MAX_BODY_BYTES = 262_144 - 1_024;

const digest = (body: string): string => createHash('sha256').update(body).digest('base64');

/** What was published under one key (`<line>` or `<line>.<part>`). */
interface PublishedMessage {
  readonly digest: string;
  readonly anomaly: boolean;
}

/** Checks one queue's messages as they arrive against what was published. */
function queueCheck(published: ReadonlyMap<string, PublishedMessage>, wanted: (m: PublishedMessage) => boolean) {
  let expected = 0;
  for (const message of published.values()) if (wanted(message)) expected += 1;
  const seen = new Set<string>();
  let unexpected = 0;
  let duplicates = 0;
  let corrupted = 0;
  return {
    expected,
    add(message: ReceivedMessage): void {
      const { line, part } = message.attributes;
      const key = part === undefined ? String(line) : `${line}.${part}`;
      const sent = published.get(key);
      if (sent === undefined || !wanted(sent)) unexpected += 1;
      else if (seen.has(key)) duplicates += 1;
      else if (sent.digest !== digest(message.body)) corrupted += 1;
      else seen.add(key);
    },
    report(): QueueReport {
      return { expected, received: seen.size, missing: expected - seen.size, unexpected, duplicates, corrupted };
    },
  };
}

interface LineMessages {
  readonly messages: { readonly key: string; readonly message: SnsMessage }[];
  readonly unparsed: boolean;
  readonly escaped: boolean;
  readonly hasStatus: boolean;
  readonly anomaly: boolean;
}

function toMessages(lineNo: number, line: LogLine, maxBodyBytes: number): LineMessages {
  const parsed = parseLogLine(line.text);
  const body = escapeUndeliverable(line.text);
  const attributes: NonNullable<SnsMessage['MessageAttributes']> = {
    line: { DataType: 'Number', StringValue: String(lineNo) },
    parsed: { DataType: 'String', StringValue: String(parsed.parsed) },
  };
  if (line.encoding !== 'utf-8') attributes.encoding = { DataType: 'String', StringValue: line.encoding };
  if (parsed.parsed) {
    attributes.format = { DataType: 'String', StringValue: parsed.format };
    if (parsed.status !== undefined) attributes.status = { DataType: 'Number', StringValue: String(parsed.status) };
    if (parsed.method !== undefined) attributes.method = { DataType: 'String', StringValue: parsed.method };
  }
  const parts = splitUtf8(body, maxBodyBytes);
  const messages =
    parts.length === 1
      ? [{ key: String(lineNo), message: { id: String(lineNo), Message: body, MessageAttributes: attributes } }]
      : parts.map((text, i) => ({
          key: `${lineNo}.${i + 1}`,
          message: {
            id: `${lineNo}.${i + 1}`,
            Message: text,
            MessageAttributes: {
              ...attributes,
              part: { DataType: 'Number', StringValue: String(i + 1) },
              parts: { DataType: 'Number', StringValue: String(parts.length) },
            },
          },
        }));
  const hasStatus = parsed.parsed && parsed.status !== undefined;
  return {
    messages,
    unparsed: !parsed.parsed,
    escaped: body !== line.text,
    hasStatus,
    anomaly: hasStatus && (parsed.status ?? 0) >= 500,
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
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const infra: PipelineInfrastructure = await createInfrastructure(sns, sqs, prefix);
  let report: Omit<PipelineReport, 'cleanupFailures' | 'ok'> | undefined;
  let cleanupFailures: string[] = [];
  try {
    report = await publishAndCheck(options, infra, maxBodyBytes, progress);
  } finally {
    cleanupFailures = await deleteInfrastructure(sns, sqs, infra);
    for (const failure of cleanupFailures) progress(`Could not delete ${failure}`);
  }
  const consistent =
    report.failed === 0 &&
    report.published === report.messages &&
    Object.values(report.queues).every((q) => q.missing === 0 && q.unexpected === 0 && q.corrupted === 0);
  return { ...report, cleanupFailures, ok: consistent && cleanupFailures.length === 0 };
}

async function publishAndCheck(
  options: PipelineOptions,
  infra: PipelineInfrastructure,
  maxBodyBytes: number,
  progress: (message: string) => void,
): Promise<Omit<PipelineReport, 'cleanupFailures' | 'ok'>> {
  // Reading pauses while 2,000 messages are pending (publisher.ready() below).
  const publisher = createSnsPublisher({ client: options.sns, topicArn: infra.topicArn, maxQueued: 2_000 });
  const published = new Map<string, PublishedMessage>();
  const failures: Record<string, number> = {};
  const counts = { linesRead: 0, emptyLines: 0, unparsedLines: 0, linesWithStatus: 0, escapedLines: 0, latin1Lines: 0, splitLines: 0, messages: 0 };
  let failed = 0;

  const record = (key: string, sent: PublishedMessage) => (result: PublishResult) => {
    if (result.status === 'published') published.set(key, sent);
    else {
      failed += 1;
      failures[result.code] = (failures[result.code] ?? 0) + 1;
    }
  };

  progress(`Publishing ${options.file} to ${infra.topicArn}`);
  try {
    for await (const line of readLines(options.file)) {
      counts.linesRead += 1;
      if (line.text.trim() === '') {
        counts.emptyLines += 1;
        continue;
      }
      const out = toMessages(counts.linesRead, line, maxBodyBytes);
      if (out.unparsed) counts.unparsedLines += 1;
      if (out.escaped) counts.escapedLines += 1;
      if (out.hasStatus) counts.linesWithStatus += 1;
      if (line.encoding === 'latin1') counts.latin1Lines += 1;
      if (out.messages.length > 1) counts.splitLines += 1;
      for (const { key, message } of out.messages) {
        counts.messages += 1;
        // Backpressure: wait until the publisher has room, then hand the message over; its
        // result is recorded when it comes.
        await publisher.ready();
        void publisher.publish(message).then(record(key, { digest: digest(message.Message), anomaly: out.anomaly }));
      }
    }
  } finally {
    // Also on a read error: what was handed over is sent and its result recorded.
    await publisher.close();
  }
  const requests = publisher.stats().requests;

  progress(`Published ${published.size}, failed ${failed}; draining the queues`);
  const checks = {
    anomalies: queueCheck(published, (m) => m.anomaly),
    search: queueCheck(published, () => true),
    archive: queueCheck(published, () => true),
  };
  await Promise.all(
    (Object.keys(checks) as (keyof typeof checks)[]).map((name) =>
      drainQueue(options.sqs, infra[name].url, { expected: checks[name].expected, onMessage: (m) => checks[name].add(m) }),
    ),
  );
  return {
    ...counts,
    published: published.size,
    failed,
    failures,
    requests,
    queues: { anomalies: checks.anomalies.report(), search: checks.search.report(), archive: checks.archive.report() },
  };
}
