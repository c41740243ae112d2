import type { SqsRecord } from './sqs-event.js';

/** One message attribute inside an SNS envelope (`Type` is `String`, `Number`, `Binary` or `String.Array`). */
export interface SnsEnvelopeAttribute {
  /** The attribute's data type. */
  Type: string;
  /** The value as text (base64 for `Binary`). */
  Value: string;
}

/**
 * The JSON document SNS delivers to an SQS queue subscribed without raw message delivery.
 * Only the fields Herald reads are typed; the signature fields are kept in `envelope`.
 */
export interface SnsEnvelope {
  /** Always `'Notification'` for a published message. */
  Type: 'Notification';
  /** The SNS message id (not the SQS one). */
  MessageId: string;
  /** The topic the message was published to. */
  TopicArn: string;
  /** The published message text. */
  Message: string;
  /** The subject, when the publisher gave one. */
  Subject?: string;
  /** When SNS accepted the message, ISO 8601. */
  Timestamp?: string;
  /** The message attributes, by name. */
  MessageAttributes?: Record<string, SnsEnvelopeAttribute>;
  /** FIFO topics: the sequence number SNS gave the message. */
  SequenceNumber?: string;
}

/**
 * One record of an S3 event notification. Only the fields most handlers read are typed; the
 * record is passed through whole.
 */
export interface S3EventRecord {
  /** Always `'aws:s3'`. */
  eventSource: 'aws:s3';
  /** For example `'ObjectCreated:Put'`. */
  eventName: string;
  /** When the event happened, ISO 8601. */
  eventTime?: string;
  /** The bucket and object. */
  s3: {
    /** The bucket. */
    bucket: { name: string; arn?: string };
    /** The object: its key is URL-encoded, with spaces as `+`, as S3 sends it. */
    object: { key: string; size?: number; eTag?: string; versionId?: string; sequencer?: string };
  };
}

/** An EventBridge event as a rule with an SQS target delivers it (the whole event as the body). */
export interface EventBridgeEvent {
  /** The event id. */
  id: string;
  /** Always `'0'` today. */
  version?: string;
  /** The event's `detail-type`. */
  'detail-type': string;
  /** The event's source, e.g. `'aws.ecs'` or your own. */
  source: string;
  /** The account the event came from. */
  account?: string;
  /** When the event happened, ISO 8601. */
  time?: string;
  /** The region the event came from. */
  region?: string;
  /** ARNs of the resources the event is about. */
  resources?: string[];
  /** The event's payload. */
  detail: unknown;
}

/**
 * What an SQS record carries, recognised by {@link unwrapSqsRecord}:
 *
 * - `'sns'`: an SNS notification delivered without raw message delivery; `message` is the
 *   published text and `envelope` the whole SNS document.
 * - `'s3'`: an S3 event notification, sent to the queue directly or through an SNS topic
 *   (then `envelope` is the SNS document). An `s3:TestEvent` (sent when notifications are
 *   configured) gives `test: true` and no records.
 * - `'eventbridge'`: an event delivered by an EventBridge rule.
 * - `'raw'`: anything else, including raw SNS delivery: `body` is the SQS body as sent.
 */
export type UnwrappedSqsRecord =
  | { readonly kind: 'sns'; readonly message: string; readonly envelope: SnsEnvelope }
  | {
      readonly kind: 's3';
      readonly records: readonly S3EventRecord[];
      readonly test: boolean;
      readonly envelope: SnsEnvelope | undefined;
    }
  | { readonly kind: 'eventbridge'; readonly event: EventBridgeEvent }
  | { readonly kind: 'raw'; readonly body: string };

type JsonObject = Record<string, unknown>;

function parseObject(text: string): JsonObject | undefined {
  const start = text.trimStart();
  if (!start.startsWith('{')) return undefined; // cheap check before JSON.parse on every body
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

function isSnsEnvelope(value: JsonObject): value is JsonObject & SnsEnvelope {
  return (
    value['Type'] === 'Notification' &&
    typeof value['MessageId'] === 'string' &&
    typeof value['TopicArn'] === 'string' &&
    typeof value['Message'] === 'string'
  );
}

function isS3Record(value: unknown): value is S3EventRecord {
  if (value === null || typeof value !== 'object') return false;
  const record = value as JsonObject;
  const s3 = record['s3'] as JsonObject | undefined;
  return (
    record['eventSource'] === 'aws:s3' &&
    typeof record['eventName'] === 'string' &&
    s3 !== null &&
    typeof s3 === 'object' &&
    typeof (s3['bucket'] as JsonObject | undefined)?.['name'] === 'string' &&
    typeof (s3['object'] as JsonObject | undefined)?.['key'] === 'string'
  );
}

/** The S3 notification in `value`, or `undefined` when it is not one. */
function readS3(value: JsonObject): { records: S3EventRecord[]; test: boolean } | undefined {
  const records = value['Records'];
  if (Array.isArray(records) && records.length > 0 && records.every(isS3Record)) return { records, test: false };
  if (value['Service'] === 'Amazon S3' && value['Event'] === 's3:TestEvent') return { records: [], test: true };
  return undefined;
}

function isEventBridgeEvent(value: JsonObject): value is JsonObject & EventBridgeEvent {
  return (
    typeof value['id'] === 'string' &&
    typeof value['detail-type'] === 'string' &&
    typeof value['source'] === 'string' &&
    'detail' in value
  );
}

/**
 * Says what an SQS record carries and takes it out of its wrapping: an SNS envelope (standard
 * SNS → SQS delivery), an S3 event notification (sent directly or through SNS), an EventBridge
 * event, or a raw body. A body that is not JSON, or JSON of another shape, is `'raw'`; the
 * function never throws for a string body (a record without one is a `TypeError`).
 *
 * Recognition goes by the fields AWS always sends: an SNS envelope has `Type: 'Notification'`,
 * `MessageId`, `TopicArn` and a string `Message`; an S3 notification has `Records` whose every
 * entry has `eventSource: 'aws:s3'`; an EventBridge event has `id`, `detail-type`, `source`
 * and `detail`. The SNS signature is not verified (SQS delivered it, so it came through your
 * queue policy); check `envelope.TopicArn` if several topics feed one queue.
 *
 * @param record - One record of a Lambda SQS event.
 * @returns What the record carries; see {@link UnwrappedSqsRecord}.
 * @example
 * ```ts
 * const unwrapped = unwrapSqsRecord(record);
 * const text = unwrapped.kind === 'sns' ? unwrapped.message : unwrapped.kind === 'raw' ? unwrapped.body : undefined;
 * ```
 */
export function unwrapSqsRecord(record: Pick<SqsRecord, 'body'>): UnwrappedSqsRecord {
  const body: unknown = record?.body;
  if (typeof body !== 'string') {
    throw new TypeError(`unwrapSqsRecord: the record must have a string body, got ${body === null ? 'null' : typeof body}.`);
  }
  const outer = parseObject(body);
  if (outer === undefined) return { kind: 'raw', body };
  if (isSnsEnvelope(outer)) {
    const envelope = outer;
    const inner = parseObject(envelope.Message);
    const s3 = inner === undefined ? undefined : readS3(inner);
    if (s3 !== undefined) return { kind: 's3', ...s3, envelope };
    return { kind: 'sns', message: envelope.Message, envelope };
  }
  const s3 = readS3(outer);
  if (s3 !== undefined) return { kind: 's3', ...s3, envelope: undefined };
  if (isEventBridgeEvent(outer)) return { kind: 'eventbridge', event: outer };
  return { kind: 'raw', body };
}
