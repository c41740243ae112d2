import { describe, expect, it } from 'vitest';
import { unwrapSqsRecord, type SqsRecord } from '@herald/core';
import { sqsRecord } from './fixtures.js';

// Payloads written after AWS's documented formats: the SNS HTTP/SQS notification document, the
// S3 event notification structure (event version 2.1) and its s3:TestEvent, and the EventBridge
// event envelope with an ECS "Task State Change" detail. Ids, keys and signatures are made up.

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:herald-orders`;

interface EnvelopeParts {
  message: string;
  subject?: string;
  attributes?: Record<string, { Type: string; Value: string }>;
  fifo?: boolean;
}

/** An SNS notification document, as SNS delivers it to a queue without raw message delivery. */
function snsEnvelope({ message, subject, attributes, fifo = false }: EnvelopeParts): Record<string, unknown> {
  const topicArn = fifo ? `${TOPIC_ARN}.fifo` : TOPIC_ARN;
  return {
    Type: 'Notification',
    MessageId: '7c2f4b1e-93a0-5d6f-b8e2-41c9a0d37f55',
    ...(fifo ? { SequenceNumber: '10000000000000003000' } : {}),
    TopicArn: topicArn,
    ...(subject === undefined ? {} : { Subject: subject }),
    Message: message,
    Timestamp: '2025-03-14T09:26:53.589Z',
    SignatureVersion: '1',
    Signature:
      'Qm9ndXNTaWduYXR1cmVGb3JUZXN0c09ubHkrL1RoaXNJc05vdEFSZWFsU2lnbmF0dXJlQnV0SXRIYXNUaGVSaWdodFNoYXBlPT0K+u3h1Lw9cXzR0ZkYp7mN2oQ==',
    SigningCertURL: `https://sns.${REGION}.amazonaws.com/SimpleNotificationService-60eadc530605d63b8e62a523676ef735.pem`,
    UnsubscribeURL: `https://sns.${REGION}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${topicArn}:3e1b9d7a-0c42-4f8e-a5d6-92b7c1e04f13`,
    ...(attributes === undefined ? {} : { MessageAttributes: attributes }),
  };
}

/** One S3 event notification record (event version 2.1), for an upload or a delete. */
function s3Record(eventName: string, key: string): Record<string, unknown> {
  const removed = eventName.startsWith('ObjectRemoved');
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: REGION,
    eventTime: '2025-03-14T09:30:12.457Z',
    eventName,
    userIdentity: { principalId: 'AWS:AROAEXAMPLEROLEID:uploader' },
    requestParameters: { sourceIPAddress: '203.0.113.24' },
    responseElements: {
      'x-amz-request-id': 'C3D13FE58DE4C810',
      'x-amz-id-2': 'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD',
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'invoice-uploads',
      bucket: {
        name: 'herald-invoices',
        ownerIdentity: { principalId: 'A3NL1KOZZKExample' },
        arn: 'arn:aws:s3:::herald-invoices',
      },
      object: removed
        ? { key, sequencer: '0065F2C1A5B3D4E5F7' }
        : { key, size: 18342, eTag: 'd41d8cd98f00b204e9800998ecf8427e', versionId: '096fKKXTRTtl3on89fVO.nfljtsv6qko', sequencer: '0065F2C1A5B3D4E5F6' },
    },
  };
}

const S3_NOTIFICATION = {
  Records: [s3Record('ObjectCreated:Put', 'invoices/2025/March+report%281%29.pdf'), s3Record('ObjectRemoved:Delete', 'tmp/old.csv')],
};

const S3_TEST_EVENT = {
  Service: 'Amazon S3',
  Event: 's3:TestEvent',
  Time: '2025-03-14T09:20:01.118Z',
  Bucket: 'herald-invoices',
  RequestId: '5582815E1AEA5ADF',
  HostId: '8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE',
};

const ECS_TASK_STATE_CHANGE = {
  version: '0',
  id: '3317b2af-7005-947d-b652-f55e762e571a',
  'detail-type': 'ECS Task State Change',
  source: 'aws.ecs',
  account: ACCOUNT,
  time: '2025-03-14T09:41:07Z',
  region: REGION,
  resources: [`arn:aws:ecs:${REGION}:${ACCOUNT}:task/herald-cluster/a1b2c3d4e5f64789a0b1c2d3e4f56789`],
  detail: {
    clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/herald-cluster`,
    taskArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task/herald-cluster/a1b2c3d4e5f64789a0b1c2d3e4f56789`,
    taskDefinitionArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/herald-worker:14`,
    group: 'service:herald-worker',
    launchType: 'FARGATE',
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    availabilityZone: `${REGION}b`,
    containers: [
      {
        containerArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:container/herald-cluster/a1b2c3d4e5f64789a0b1c2d3e4f56789/6f2d`,
        name: 'worker',
        lastStatus: 'RUNNING',
        networkInterfaces: [{ attachmentId: 'eni-attach-0a1b', privateIpv4Address: '10.0.12.34' }],
      },
    ],
    createdAt: '2025-03-14T09:40:31.262Z',
    startedAt: '2025-03-14T09:41:06.981Z',
    version: 3,
  },
};

const record = (body: string): SqsRecord => sqsRecord('m1', body);

describe('unwrapSqsRecord: SNS envelopes', () => {
  it('takes the published message out of a standard SNS envelope and keeps the whole document', () => {
    const envelope = snsEnvelope({
      message: '{"orderId":"o-1001","total":42.5}',
      subject: 'Order placed',
      attributes: {
        eventType: { Type: 'String', Value: 'OrderPlaced' },
        priority: { Type: 'Number', Value: '3' },
        regions: { Type: 'String.Array', Value: '["eu-west-1","us-east-1"]' },
        thumbprint: { Type: 'Binary', Value: 'AAECAwQ=' },
      },
    });
    const unwrapped = unwrapSqsRecord(record(JSON.stringify(envelope)));
    expect(unwrapped.kind).toBe('sns');
    if (unwrapped.kind !== 'sns') return;
    expect(unwrapped.message).toBe('{"orderId":"o-1001","total":42.5}');
    expect(unwrapped.envelope).toEqual(envelope);
    expect(unwrapped.envelope.TopicArn).toBe(TOPIC_ARN);
    expect(unwrapped.envelope.Subject).toBe('Order placed');
    expect(unwrapped.envelope.MessageAttributes?.['priority']).toEqual({ Type: 'Number', Value: '3' });
    expect((unwrapped.envelope as unknown as Record<string, unknown>)['Signature']).toBe(envelope['Signature']);
    expect((unwrapped.envelope as unknown as Record<string, unknown>)['UnsubscribeURL']).toBe(envelope['UnsubscribeURL']);
  });

  it('unwraps an envelope from a FIFO topic, with its sequence number', () => {
    const envelope = snsEnvelope({ message: 'plain text, not JSON', fifo: true });
    const unwrapped = unwrapSqsRecord(record(JSON.stringify(envelope)));
    expect(unwrapped).toEqual({ kind: 'sns', message: 'plain text, not JSON', envelope });
    if (unwrapped.kind === 'sns') expect(unwrapped.envelope.SequenceNumber).toBe('10000000000000003000');
  });

  it('keeps an empty published message', () => {
    const unwrapped = unwrapSqsRecord(record(JSON.stringify(snsEnvelope({ message: '' }))));
    expect(unwrapped.kind === 'sns' && unwrapped.message).toBe('');
  });

  it('reads an envelope that is pretty-printed or has leading whitespace', () => {
    const envelope = snsEnvelope({ message: 'hi' });
    expect(unwrapSqsRecord(record(`\n\t  ${JSON.stringify(envelope, null, 2)}\n`))).toEqual({ kind: 'sns', message: 'hi', envelope });
  });

  it('leaves the published message as text, even when it is an EventBridge event', () => {
    const message = JSON.stringify(ECS_TASK_STATE_CHANGE);
    const unwrapped = unwrapSqsRecord(record(JSON.stringify(snsEnvelope({ message }))));
    expect(unwrapped.kind).toBe('sns');
    expect(unwrapped.kind === 'sns' && unwrapped.message).toBe(message);
  });

  it('takes a full Lambda SQS record as well as any object with a body', () => {
    const body = JSON.stringify(snsEnvelope({ message: 'x' }));
    expect(unwrapSqsRecord(record(body))).toEqual(unwrapSqsRecord({ body }));
  });
});

describe('unwrapSqsRecord: S3 event notifications', () => {
  it('recognises a notification S3 sends to the queue directly', () => {
    const unwrapped = unwrapSqsRecord(record(JSON.stringify(S3_NOTIFICATION)));
    expect(unwrapped).toEqual({ kind: 's3', records: S3_NOTIFICATION.Records, test: false, envelope: undefined });
    if (unwrapped.kind !== 's3') return;
    expect(unwrapped.records.map((r) => r.eventName)).toEqual(['ObjectCreated:Put', 'ObjectRemoved:Delete']);
    // The key is passed on as S3 sends it: URL-encoded, spaces as '+'.
    expect(unwrapped.records[0]?.s3.object.key).toBe('invoices/2025/March+report%281%29.pdf');
    expect(unwrapped.records[0]?.s3.bucket.name).toBe('herald-invoices');
  });

  it('recognises a notification delivered through an SNS topic, and keeps the envelope', () => {
    const envelope = snsEnvelope({ message: JSON.stringify(S3_NOTIFICATION), subject: 'Amazon S3 Notification' });
    const unwrapped = unwrapSqsRecord(record(JSON.stringify(envelope)));
    expect(unwrapped).toEqual({ kind: 's3', records: S3_NOTIFICATION.Records, test: false, envelope });
  });

  it('recognises the s3:TestEvent S3 sends when notifications are configured', () => {
    expect(unwrapSqsRecord(record(JSON.stringify(S3_TEST_EVENT)))).toEqual({ kind: 's3', records: [], test: true, envelope: undefined });
  });

  it('recognises the s3:TestEvent inside an SNS envelope', () => {
    const envelope = snsEnvelope({ message: JSON.stringify(S3_TEST_EVENT), subject: 'Amazon S3 Notification' });
    expect(unwrapSqsRecord(record(JSON.stringify(envelope)))).toEqual({ kind: 's3', records: [], test: true, envelope });
  });
});

describe('unwrapSqsRecord: EventBridge events', () => {
  it('recognises an ECS Task State Change delivered by a rule with an SQS target', () => {
    const unwrapped = unwrapSqsRecord(record(JSON.stringify(ECS_TASK_STATE_CHANGE)));
    expect(unwrapped).toEqual({ kind: 'eventbridge', event: ECS_TASK_STATE_CHANGE });
    if (unwrapped.kind !== 'eventbridge') return;
    expect(unwrapped.event['detail-type']).toBe('ECS Task State Change');
    expect((unwrapped.event.detail as { lastStatus: string }).lastStatus).toBe('RUNNING');
  });

  it('recognises a custom event whose detail is empty or null', () => {
    const event = { version: '0', id: 'e-1', 'detail-type': 'OrderShipped', source: 'com.example.orders', detail: {} };
    expect(unwrapSqsRecord(record(JSON.stringify(event)))).toEqual({ kind: 'eventbridge', event });
    const nullDetail = { ...event, detail: null };
    expect(unwrapSqsRecord(record(JSON.stringify(nullDetail)))).toEqual({ kind: 'eventbridge', event: nullDetail });
  });
});

describe('unwrapSqsRecord: raw bodies', () => {
  const raw: Array<[string, string]> = [
    ['an object from raw SNS delivery', '{"orderId":"o-1001","total":42.5}'],
    ['Type: Notification and nothing else', '{"Type":"Notification"}'],
    ['an envelope without TopicArn', JSON.stringify({ ...snsEnvelope({ message: 'x' }), TopicArn: undefined })],
    ['an envelope without MessageId', JSON.stringify({ ...snsEnvelope({ message: 'x' }), MessageId: undefined })],
    ['an envelope whose Message is not a string', JSON.stringify({ ...snsEnvelope({ message: 'x' }), Message: { a: 1 } })],
    [
      'an SNS subscription confirmation',
      JSON.stringify({ ...snsEnvelope({ message: 'You have chosen to subscribe…' }), Type: 'SubscriptionConfirmation', Token: '2336412f37fb687f5d51e6e2425' }),
    ],
    ['an empty Records array', '{"Records":[]}'],
    [
      'Records from DynamoDB Streams',
      JSON.stringify({ Records: [{ eventID: '1', eventName: 'INSERT', eventSource: 'aws:dynamodb', dynamodb: { Keys: { id: { S: 'a' } } } }] }),
    ],
    ['Records mixing S3 and other entries', JSON.stringify({ Records: [s3Record('ObjectCreated:Put', 'a.txt'), { eventSource: 'aws:sqs' }] })],
    ['an S3-looking record without an object key', JSON.stringify({ Records: [{ ...s3Record('ObjectCreated:Put', 'a'), s3: { bucket: { name: 'b' }, object: {} } }] })],
    ['an S3-looking record with a null entry', JSON.stringify({ Records: [s3Record('ObjectCreated:Put', 'a.txt'), null] })],
    ['Records that is not an array', JSON.stringify({ Records: s3Record('ObjectCreated:Put', 'a.txt') })],
    ['an Amazon S3 event that is not the test event', '{"Service":"Amazon S3","Event":"s3:ObjectCreated:Put"}'],
    ['an EventBridge-looking event without detail', JSON.stringify({ ...ECS_TASK_STATE_CHANGE, detail: undefined })],
    ['an EventBridge-looking event without source', JSON.stringify({ ...ECS_TASK_STATE_CHANGE, source: undefined })],
    ['an EventBridge-looking event with a numeric id', JSON.stringify({ ...ECS_TASK_STATE_CHANGE, id: 17 })],
    ['plain text', 'hello, world'],
    ['text that starts like JSON', '{not json at all'],
    ['a truncated envelope', JSON.stringify(snsEnvelope({ message: 'x' })).slice(0, 80)],
    ['an array of envelopes', JSON.stringify([snsEnvelope({ message: 'x' })])],
    ['an array of S3 records', JSON.stringify(S3_NOTIFICATION.Records)],
    ['JSON null', 'null'],
    ['a JSON number', '42'],
    ['a JSON string holding an envelope', JSON.stringify(JSON.stringify(snsEnvelope({ message: 'x' })))],
    ['JSON true', 'true'],
    ['the empty string', ''],
    ['only whitespace', ' \n\t '],
    ['a byte order mark before an envelope', `\uFEFF${JSON.stringify(snsEnvelope({ message: 'x' }))}`],
    ['XML', '<?xml version="1.0"?><order id="o-1"/>'],
  ];

  it.each(raw)('gives %s back as raw, unchanged', (_label, body) => {
    const unwrapped = unwrapSqsRecord(record(body));
    expect(unwrapped).toEqual({ kind: 'raw', body });
    expect(unwrapped.kind === 'raw' && unwrapped.body).toBe(body);
  });

  it('keeps an SNS envelope whose message looks partly like S3 as SNS', () => {
    for (const message of ['{"Records":[]}', '{"Records":[{"eventSource":"aws:sqs"}]}', '{"Service":"Amazon S3"}', 'not json']) {
      const envelope = snsEnvelope({ message });
      expect(unwrapSqsRecord(record(JSON.stringify(envelope)))).toEqual({ kind: 'sns', message, envelope });
    }
  });
});

describe('unwrapSqsRecord: records without a string body', () => {
  it.each<[string, unknown]>([
    ['a numeric body', { messageId: 'm1', body: 42 }],
    ['a null body', { messageId: 'm1', body: null }],
    ['no body', { messageId: 'm1' }],
    ['an object body', { messageId: 'm1', body: { Type: 'Notification' } }],
    ['a Buffer body', { messageId: 'm1', body: Buffer.from('{}') }],
    ['a null record', null],
    ['an undefined record', undefined],
  ])('throws a TypeError for %s', (_label, value) => {
    expect(() => unwrapSqsRecord(value as SqsRecord)).toThrow(TypeError);
    expect(() => unwrapSqsRecord(value as SqsRecord)).toThrow(/^unwrapSqsRecord: the record must have a string body/);
  });
});
