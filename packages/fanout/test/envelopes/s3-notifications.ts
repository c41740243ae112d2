/**
 * S3 event notifications shaped as S3 sends them (event structure version 2.1, from the
 * Amazon S3 user guide, "Event message structure"): one JSON document with a `Records` array;
 * object keys URL-encoded with spaces as `+`; `size` and `eTag` only on creations; `versionId`
 * on versioned buckets; `sequencer` to order events for one key. S3 publishes them to SNS with
 * the subject "Amazon S3 Notification".
 */

/** The subject S3 gives the notifications it publishes to an SNS topic. */
export const S3_NOTIFICATION_SUBJECT = 'Amazon S3 Notification';

const BUCKET = 'herald-envelope-demo';

/** What one record says, before it is shaped like S3's JSON. */
interface RecordSpec {
  readonly eventName: string;
  /** The object key as stored (decoded). */
  readonly key: string;
  readonly eventTime: string;
  readonly requestId: string;
  readonly sequencer: string;
  readonly size?: number;
  readonly eTag?: string;
  readonly versionId?: string;
}

/**
 * Encodes an object key the way S3 writes it into notifications: form URL encoding (spaces
 * become `+`, a literal `+` becomes `%2B`, non-ASCII characters are UTF-8 percent-encoded).
 *
 * @param key - The key as stored.
 * @returns The key as it appears in `s3.object.key`.
 */
export function encodeS3Key(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}

/**
 * Decodes `s3.object.key` back to the stored key: `+` is a space, then percent-decoding.
 *
 * @param encoded - The key from a notification.
 * @returns The key as stored.
 */
export function decodeS3Key(encoded: string): string {
  return decodeURIComponent(encoded.replace(/\+/g, ' '));
}

function s3Record(spec: RecordSpec): Record<string, unknown> {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: spec.eventTime,
    eventName: spec.eventName,
    userIdentity: { principalId: 'AWS:AIDAEXAMPLEUSERID' },
    requestParameters: { sourceIPAddress: '198.51.100.7' },
    responseElements: { 'x-amz-request-id': spec.requestId, 'x-amz-id-2': `${spec.requestId}/host-id-example` },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'herald-object-events',
      bucket: { name: BUCKET, ownerIdentity: { principalId: 'A3NL1KOZZKExample' }, arn: `arn:aws:s3:::${BUCKET}` },
      object: {
        key: encodeS3Key(spec.key),
        ...(spec.size === undefined ? {} : { size: spec.size }),
        ...(spec.eTag === undefined ? {} : { eTag: spec.eTag }),
        ...(spec.versionId === undefined ? {} : { versionId: spec.versionId }),
        sequencer: spec.sequencer,
      },
    },
  };
}

/** One notification to publish, with the stored keys its records name. */
export interface S3NotificationFixture {
  /** A name for assertions. */
  readonly name: string;
  /** The notification document (what S3 publishes as the SNS message). */
  readonly notification: { readonly Records: readonly Record<string, unknown>[] };
  /** The decoded keys of its records, in order. */
  readonly keys: readonly string[];
}

const specs: readonly (readonly RecordSpec[])[] = [
  [
    {
      eventName: 'ObjectCreated:Put',
      key: 'photos/2024/red flower.jpg',
      eventTime: '2024-05-01T10:00:00.000Z',
      requestId: 'C3D13FE58DE4C810',
      sequencer: '0A1B2C3D4E5F678901',
      size: 1024,
      eTag: 'd41d8cd98f00b204e9800998ecf8427e',
    },
  ],
  [
    {
      eventName: 'ObjectCreated:CompleteMultipartUpload',
      key: 'videos/résumé final.mp4',
      eventTime: '2024-05-01T10:00:01.250Z',
      requestId: 'D4E24GF69EF5D921',
      sequencer: '0A1B2C3D4E5F678902',
      size: 26_214_400,
      eTag: '6b2f1f1a7e4b4c0b9a3b5f2a1c9d8e7f-3',
      versionId: '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY',
    },
  ],
  [
    {
      eventName: 'ObjectRemoved:Delete',
      key: 'notes/a+b c.txt',
      eventTime: '2024-05-01T10:00:02.500Z',
      requestId: 'E5F35HG70FG6EA32',
      sequencer: '0A1B2C3D4E5F678903',
    },
  ],
  [
    {
      eventName: 'ObjectRemoved:DeleteMarkerCreated',
      key: 'photos/2024/red flower.jpg',
      eventTime: '2024-05-01T10:00:03.750Z',
      requestId: 'F6G46IH81GH7FB43',
      sequencer: '0A1B2C3D4E5F678904',
      versionId: 'null',
    },
  ],
  // The structure allows several records in one notification; a handler must read them all.
  [
    {
      eventName: 'ObjectCreated:Put',
      key: 'logs/2024-05-01/app 1.log',
      eventTime: '2024-05-01T10:00:04.000Z',
      requestId: 'G7H57JI92HI8GC54',
      sequencer: '0A1B2C3D4E5F678905',
      size: 0,
      eTag: 'd41d8cd98f00b204e9800998ecf8427e',
    },
    {
      eventName: 'ObjectCreated:Put',
      key: 'logs/2024-05-01/app 2.log',
      eventTime: '2024-05-01T10:00:04.001Z',
      requestId: 'G7H57JI92HI8GC55',
      sequencer: '0A1B2C3D4E5F678906',
      size: 73,
      eTag: '0cc175b9c0f1b6a831c399e269772661',
    },
  ],
];

/** The S3 event notifications the envelope test publishes. */
export const s3NotificationFixtures: readonly S3NotificationFixture[] = specs.map((records) => ({
  name: records.map((r) => `${r.eventName} ${r.key}`).join(' + '),
  notification: { Records: records.map(s3Record) },
  keys: records.map((r) => r.key),
}));

/** The message S3 sends once when notifications are configured on a bucket (no `Records`). */
export const s3TestEvent = {
  Service: 'Amazon S3',
  Event: 's3:TestEvent',
  Time: '2024-05-01T09:59:00.000Z',
  Bucket: BUCKET,
  RequestId: '5582815E1AEA5ADF',
  HostId: '8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE',
} as const;
