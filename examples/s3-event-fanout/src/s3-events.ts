import { createSeededRandom } from '@herald/core';

/** The S3 events this example generates. */
export type S3EventName =
  | 'ObjectCreated:Put'
  | 'ObjectCreated:CompleteMultipartUpload'
  | 'ObjectRemoved:Delete'
  | 'ObjectRemoved:DeleteMarkerCreated';

/** What happened to one object, before it is shaped as S3's notification. */
export interface ObjectEvent {
  /** S3's `sequencer`: unique here, so it identifies the event. */
  readonly sequencer: string;
  readonly eventName: S3EventName;
  /** The object key as stored (not URL-encoded). */
  readonly key: string;
  /** The object size in bytes (creations only). */
  readonly size?: number;
}

/** One S3 event notification as S3 publishes it to SNS (event structure version 2.1). */
export interface S3Notification {
  readonly Records: readonly S3NotificationRecord[];
}

/** One record of {@link S3Notification}. */
export interface S3NotificationRecord {
  readonly eventVersion: '2.1';
  readonly eventSource: 'aws:s3';
  readonly awsRegion: string;
  readonly eventTime: string;
  readonly eventName: S3EventName;
  readonly userIdentity: { readonly principalId: string };
  readonly requestParameters: { readonly sourceIPAddress: string };
  readonly responseElements: { readonly 'x-amz-request-id': string; readonly 'x-amz-id-2': string };
  readonly s3: {
    readonly s3SchemaVersion: '1.0';
    readonly configurationId: string;
    readonly bucket: { readonly name: string; readonly ownerIdentity: { readonly principalId: string }; readonly arn: string };
    readonly object: {
      readonly key: string;
      readonly size?: number;
      readonly eTag?: string;
      readonly versionId?: string;
      readonly sequencer: string;
    };
  };
}

/** A generated event and the notification that carries it. */
export interface GeneratedS3Event {
  readonly event: ObjectEvent;
  readonly notification: S3Notification;
}

/** The key prefixes objects are written under. */
export const KEY_PREFIXES = ['invoices/', 'photos/', 'logs/', 'reports/'] as const;

/** The subject S3 gives the notifications it publishes to an SNS topic. */
export const S3_NOTIFICATION_SUBJECT = 'Amazon S3 Notification';

/**
 * Encodes an object key the way S3 writes it into notifications: URL encoding with spaces as
 * `+` (a literal `+` becomes `%2B`, non-ASCII characters are UTF-8 percent-encoded, `/` is kept).
 *
 * @param key - The key as stored.
 * @returns The key as it appears in `s3.object.key`.
 */
export function encodeS3Key(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}

/**
 * Decodes `s3.object.key` back to the stored key: `+` is a space, then percent-decoding.
 * (`decodeURIComponent` alone would leave `+` in place of spaces.)
 *
 * @param encoded - The key from a notification.
 * @returns The key as stored.
 */
export function decodeS3Key(encoded: string): string {
  return decodeURIComponent(encoded.replace(/\+/g, ' '));
}

/** Options of {@link generateS3Events}. */
export interface GenerateOptions {
  /** How many events. */
  readonly count: number;
  /** The seed: the same seed gives the same events. */
  readonly seed: number;
  /** The bucket the events are about. */
  readonly bucket: string;
  /** When the first event happened; each next one is 250 ms later. */
  readonly startTime: Date;
}

const NAMES: Record<(typeof KEY_PREFIXES)[number], readonly string[]> = {
  'invoices/': ['2024/inv-{n}.pdf', '2024/credit note {n}.pdf', 'archive/inv-{n}.pdf'],
  'photos/': ['summer trip/IMG_{n}.jpg', 'café/{n}.png', 'raw/DSC{n}.NEF'],
  'logs/': ['app/2024-05-01/part-{n}.log', 'web/access {n}.log.gz'],
  'reports/': ['Q2 summary {n}.xlsx', 'weekly/{n}+draft.csv'],
};

/** How often each event occurs (creations outnumber removals, as in most buckets). */
const EVENT_WEIGHTS: readonly (readonly [S3EventName, number])[] = [
  ['ObjectCreated:Put', 0.45],
  ['ObjectCreated:CompleteMultipartUpload', 0.15],
  ['ObjectRemoved:Delete', 0.25],
  ['ObjectRemoved:DeleteMarkerCreated', 0.15],
];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function hex(random: () => number, digits: number): string {
  let out = '';
  while (out.length < digits) out += Math.floor(random() * 16).toString(16);
  return out;
}

function eventName(random: () => number): S3EventName {
  let draw = random();
  for (const [name, weight] of EVENT_WEIGHTS) {
    if (draw < weight) return name;
    draw -= weight;
  }
  return EVENT_WEIGHTS[0]![0];
}

/**
 * Generates S3 object events under {@link KEY_PREFIXES} and the notifications S3 would send
 * for them, deterministically from a seed (no clock, no `Math.random`).
 *
 * @param options - Count, seed, bucket and start time.
 * @returns The events, in the order S3 would send them.
 */
export function generateS3Events(options: GenerateOptions): GeneratedS3Event[] {
  const random = createSeededRandom(options.seed);
  const events: GeneratedS3Event[] = [];
  for (let i = 0; i < options.count; i += 1) {
    const prefix = pick(random, KEY_PREFIXES);
    const key = prefix + pick(random, NAMES[prefix]).replace('{n}', String(Math.floor(random() * 10_000)).padStart(4, '0'));
    const name = eventName(random);
    const sequencer = `00621F${i.toString(16).toUpperCase().padStart(12, '0')}`;
    const requestId = hex(random, 16).toUpperCase();
    const multipart = name === 'ObjectCreated:CompleteMultipartUpload';
    const size = name.startsWith('ObjectCreated:')
      ? multipart
        ? 5_242_880 + Math.floor(random() * 100_000_000)
        : Math.floor(random() * 5_000_000)
      : undefined;
    const object = {
      key: encodeS3Key(key),
      ...(size === undefined ? {} : { size, eTag: multipart ? `${hex(random, 32)}-${1 + Math.floor(size / 5_242_880)}` : hex(random, 32) }),
      ...(name === 'ObjectRemoved:DeleteMarkerCreated' ? { versionId: hex(random, 32) } : {}),
      sequencer,
    };
    const record: S3NotificationRecord = {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: new Date(options.startTime.getTime() + i * 250).toISOString(),
      eventName: name,
      userIdentity: { principalId: 'AWS:AIDAEXAMPLEUPLOADER' },
      requestParameters: { sourceIPAddress: '198.51.100.7' },
      responseElements: { 'x-amz-request-id': requestId, 'x-amz-id-2': `${hex(random, 40)}=` },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'object-events-to-sns',
        bucket: { name: options.bucket, ownerIdentity: { principalId: 'A3NL1KOZZKEXAMPLE' }, arn: `arn:aws:s3:::${options.bucket}` },
        object,
      },
    };
    events.push({
      event: { sequencer, eventName: name, key, ...(size === undefined ? {} : { size }) },
      notification: { Records: [record] },
    });
  }
  return events;
}

/**
 * The message S3 sends once when notifications are configured on a bucket. It has no
 * `Records`, so body filters on `Records` never select it.
 *
 * @param bucket - The bucket.
 * @param time - When it was sent.
 * @returns The test event.
 */
export function s3TestEvent(bucket: string, time: Date): Record<string, string> {
  return {
    Service: 'Amazon S3',
    Event: 's3:TestEvent',
    Time: time.toISOString(),
    Bucket: bucket,
    RequestId: '5582815E1AEA5ADF',
    HostId: '8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE',
  };
}
