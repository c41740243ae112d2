import { describe, expect, it } from 'vitest';
import { CONSUMER_QUEUES } from '../src/consumer-queues.js';
import { evaluatorSelects } from '../src/evaluator-selects.js';
import { decodeS3Key, encodeS3Key, generateS3Events, KEY_PREFIXES, s3TestEvent } from '../src/s3-events.js';

const options = { count: 300, seed: 1, bucket: 'example-bucket', startTime: new Date('2024-05-01T10:00:00.000Z') };

describe('generateS3Events', () => {
  it('gives the same events for the same seed, and other events for another seed', () => {
    expect(generateS3Events(options)).toEqual(generateS3Events(options));
    const other = generateS3Events({ ...options, seed: 2 });
    expect(other.map((g) => g.event.key)).not.toEqual(generateS3Events(options).map((g) => g.event.key));
  });

  it('covers every event name and prefix, with unique sequencers and times 250 ms apart', () => {
    const events = generateS3Events(options);
    expect(new Set(events.map((g) => g.event.eventName))).toEqual(
      new Set(['ObjectCreated:Put', 'ObjectCreated:CompleteMultipartUpload', 'ObjectRemoved:Delete', 'ObjectRemoved:DeleteMarkerCreated']),
    );
    for (const prefix of KEY_PREFIXES) expect(events.some((g) => g.event.key.startsWith(prefix)), prefix).toBe(true);
    expect(new Set(events.map((g) => g.event.sequencer)).size).toBe(events.length);
    const times = events.map((g) => Date.parse(g.notification.Records[0]!.eventTime));
    expect(times.slice(1).map((t, i) => t - times[i]!)).toEqual(Array(events.length - 1).fill(250));
  });

  it('shapes each notification as S3 does: one record, encoded key, size and eTag only on creations', () => {
    for (const { event, notification } of generateS3Events(options)) {
      expect(notification.Records).toHaveLength(1);
      const record = notification.Records[0]!;
      expect(record).toMatchObject({ eventVersion: '2.1', eventSource: 'aws:s3', eventName: event.eventName });
      expect(record.s3.bucket).toEqual({ name: 'example-bucket', ownerIdentity: expect.any(Object), arn: 'arn:aws:s3:::example-bucket' });
      expect(record.s3.object.key).toBe(encodeS3Key(event.key));
      expect(record.s3.object.sequencer).toBe(event.sequencer);
      const created = event.eventName.startsWith('ObjectCreated:');
      expect(record.s3.object.size !== undefined, event.eventName).toBe(created);
      expect(record.s3.object.eTag !== undefined, event.eventName).toBe(created);
      expect(record.s3.object.versionId !== undefined, event.eventName).toBe(event.eventName === 'ObjectRemoved:DeleteMarkerCreated');
      if (event.eventName === 'ObjectCreated:CompleteMultipartUpload') expect(record.s3.object.eTag).toMatch(/^[0-9a-f]{32}-\d+$/);
    }
  });
});

describe('S3 key encoding', () => {
  it('writes spaces as +, a literal + as %2B and non-ASCII as UTF-8 escapes, keeping /', () => {
    expect(encodeS3Key('photos/red flower.jpg')).toBe('photos/red+flower.jpg');
    expect(encodeS3Key('notes/a+b c.txt')).toBe('notes/a%2Bb+c.txt');
    expect(encodeS3Key('photos/café/1.png')).toBe('photos/caf%C3%A9/1.png');
  });

  it('decodes what it encodes, and + as a space (unlike decodeURIComponent alone)', () => {
    for (const key of ['reports/weekly/0042+draft.csv', 'photos/summer trip/IMG_0001.jpg', 'photos/café/0001.png']) {
      expect(decodeS3Key(encodeS3Key(key))).toBe(key);
    }
    expect(decodeURIComponent('red+flower.jpg')).toBe('red+flower.jpg');
    expect(decodeS3Key('red+flower.jpg')).toBe('red flower.jpg');
  });
});

describe('the consumers’ filter policies', () => {
  it('select, by matchesFilterPolicy, exactly what the hand-written rules select', () => {
    const events = generateS3Events({ ...options, count: 1_000, seed: 42 });
    for (const consumer of CONSUMER_QUEUES) {
      const byEvaluator = events.filter((g) => evaluatorSelects(consumer.filterPolicy, JSON.stringify(g.notification)));
      const byHand = events.filter((g) => consumer.wants(g.event));
      expect(byHand.length, consumer.name).toBeGreaterThan(0);
      expect(byEvaluator.map((g) => g.event.sequencer), consumer.name).toEqual(byHand.map((g) => g.event.sequencer));
    }
  });

  it('drop the s3:TestEvent, which has no Records', () => {
    const testEvent = JSON.stringify(s3TestEvent('example-bucket', new Date(0)));
    for (const consumer of CONSUMER_QUEUES) expect(evaluatorSelects(consumer.filterPolicy, testEvent), consumer.name).toBe(false);
  });
});
