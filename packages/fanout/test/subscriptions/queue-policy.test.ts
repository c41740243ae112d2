import { describe, expect, it } from 'vitest';
import {
  addTopicToQueuePolicy,
  HERALD_QUEUE_POLICY_SID,
  QueuePolicyConflictError,
  QueuePolicyTooLargeError,
  queuePolicyTopics,
  removeTopicFromQueuePolicy,
} from '../../src/subscriptions/index.js';

const queueArn = 'arn:aws:sqs:us-east-1:111122223333:orders-queue';
const topicA = 'arn:aws:sns:us-east-1:111122223333:orders';
const topicB = 'arn:aws:sns:us-east-1:111122223333:audit';

/** A statement someone else wrote: an account may receive from the queue. */
const unrelated = {
  Sid: 'ConsumerAccess',
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::444455556666:role/consumer' },
  Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'],
  Resource: queueArn,
};

const heraldStatement = (topics: string[], operator = 'ArnEquals') => ({
  Sid: HERALD_QUEUE_POLICY_SID,
  Effect: 'Allow',
  Principal: { Service: 'sns.amazonaws.com' },
  Action: 'sqs:SendMessage',
  Resource: queueArn,
  Condition: { [operator]: { 'aws:SourceArn': topics } },
});

const parse = (policy: string) => JSON.parse(policy) as { Version?: string; Id?: string; Statement: unknown[] };

describe('addTopicToQueuePolicy', () => {
  it('creates a policy with one ArnEquals statement when the queue has none', () => {
    for (const none of [undefined, '', '  ']) {
      const edit = addTopicToQueuePolicy({ policy: none, queueArn, topicArn: topicA });
      expect(edit.changed).toBe(true);
      expect(edit.topics).toEqual([topicA]);
      expect(parse(edit.policy)).toEqual({ Version: '2012-10-17', Statement: [heraldStatement([topicA])] });
    }
  });

  it('keeps unrelated statements, Version and Id, and appends its statement', () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Id: 'queue-policy', Statement: [unrelated] });
    const edit = addTopicToQueuePolicy({ policy, queueArn, topicArn: topicA });
    expect(parse(edit.policy)).toEqual({ Version: '2012-10-17', Id: 'queue-policy', Statement: [unrelated, heraldStatement([topicA])] });
  });

  it('turns a single non-array Statement into an array holding it and Herald’s statement', () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: unrelated });
    const edit = addTopicToQueuePolicy({ policy, queueArn, topicArn: topicA });
    expect(parse(edit.policy).Statement).toEqual([unrelated, heraldStatement([topicA])]);
  });

  it('adds a second topic to the same statement, in place and sorted, without duplicating it', () => {
    const first = addTopicToQueuePolicy({ policy: JSON.stringify({ Statement: [unrelated] }), queueArn, topicArn: topicA });
    const second = addTopicToQueuePolicy({ policy: first.policy, queueArn, topicArn: topicB });
    expect(second.changed).toBe(true);
    expect(second.topics).toEqual([topicB, topicA].sort());
    const statements = parse(second.policy).Statement;
    expect(statements).toHaveLength(2);
    expect(statements[0]).toEqual(unrelated);
    expect(statements[1]).toEqual(heraldStatement([topicA, topicB].sort()));
  });

  it('changes nothing when the topic is already listed (the text is returned as it was)', () => {
    const policy = JSON.stringify({ Statement: [heraldStatement([topicA, topicB]), unrelated] }, null, 2);
    const edit = addTopicToQueuePolicy({ policy, queueArn, topicArn: topicB });
    expect(edit).toEqual({ policy, changed: false, topics: [topicB, topicA].sort() });
  });

  it('reads its statement in the forms AWS accepts: string values, one-element arrays, SQS:SendMessage, lower-case key', () => {
    const written = {
      Sid: HERALD_QUEUE_POLICY_SID,
      Effect: 'Allow',
      Principal: { Service: ['sns.amazonaws.com'] },
      Action: ['SQS:SendMessage'],
      Resource: [queueArn],
      Condition: { ArnEquals: { 'aws:sourcearn': topicA } },
    };
    const policy = JSON.stringify({ Statement: [written] });
    expect(addTopicToQueuePolicy({ policy, queueArn, topicArn: topicA }).changed).toBe(false);
    expect(queuePolicyTopics(policy, queueArn)).toEqual([topicA]);
    expect(parse(addTopicToQueuePolicy({ policy, queueArn, topicArn: topicB }).policy).Statement).toEqual([
      heraldStatement([topicA, topicB].sort()),
    ]);
  });

  it('keeps ArnLike when its statement was changed to it (wildcards would otherwise stop matching)', () => {
    const policy = JSON.stringify({ Statement: [heraldStatement(['arn:aws:sns:*:111122223333:orders-*'], 'ArnLike')] });
    const edit = addTopicToQueuePolicy({ policy, queueArn, topicArn: topicB });
    expect(parse(edit.policy).Statement).toEqual([heraldStatement([topicB, 'arn:aws:sns:*:111122223333:orders-*'].sort(), 'ArnLike')]);
  });

  it('refuses a statement with Herald’s Sid that Herald did not write, and changes nothing', () => {
    const foreign = [
      { ...heraldStatement([topicA]), Principal: { AWS: '*' } },
      { ...heraldStatement([topicA]), Action: 'sqs:*' },
      { ...heraldStatement([topicA]), Effect: 'Deny' },
      { ...heraldStatement([topicA]), Resource: 'arn:aws:sqs:us-east-1:111122223333:other' },
      { ...heraldStatement([topicA]), Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } } },
      { ...heraldStatement([topicA]), Condition: { ArnEquals: { 'aws:SourceArn': topicA }, Bool: { 'aws:SecureTransport': 'true' } } },
      { ...heraldStatement([topicA]), NotAction: 'sqs:DeleteQueue' },
      { ...heraldStatement([]) },
    ];
    for (const statement of foreign) {
      const policy = JSON.stringify({ Statement: [unrelated, statement] });
      expect(() => addTopicToQueuePolicy({ policy, queueArn, topicArn: topicB })).toThrow(QueuePolicyConflictError);
      expect(() => removeTopicFromQueuePolicy({ policy, queueArn, topicArn: topicA })).toThrow(QueuePolicyConflictError);
    }
  });

  it('refuses two statements with Herald’s Sid, and text that is not a policy', () => {
    const twice = JSON.stringify({ Statement: [heraldStatement([topicA]), heraldStatement([topicB])] });
    expect(() => addTopicToQueuePolicy({ policy: twice, queueArn, topicArn: topicA })).toThrow(/2 statements have the Sid/);
    for (const policy of ['{not json', '[]', '"text"', JSON.stringify({ Statement: ['x'] })]) {
      const error = (() => {
        try {
          addTopicToQueuePolicy({ policy, queueArn, topicArn: topicA });
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(QueuePolicyConflictError);
      expect(error).toMatchObject({ code: 'QueuePolicyConflict', retryable: false, queue: queueArn });
    }
  });

  it('says what to do for each conflict: fix the Policy attribute when it is not a policy, rename the statement when it is not Herald\'s', () => {
    const messageOf = (policy: string): string => {
      try {
        addTopicToQueuePolicy({ policy, queueArn, topicArn: topicA });
      } catch (error) {
        return (error as Error).message;
      }
      return 'no error';
    };
    for (const policy of ['{not json', '[]', JSON.stringify({ Statement: ['x'] })]) {
      const message = messageOf(policy);
      expect(message, policy).toMatch(/Herald changed nothing; fix or remove the queue's Policy attribute \(SetQueueAttributes\), then call again\./);
      expect(message, policy).not.toMatch(/rename or remove that statement/);
    }
    const twice = messageOf(JSON.stringify({ Statement: [heraldStatement([topicA]), heraldStatement([topicB])] }));
    expect(twice).toMatch(/rename or remove those statements \(Herald owns the Sid "HeraldSnsTopicsSendMessage"\)/);
    const foreign = messageOf(JSON.stringify({ Statement: [{ ...heraldStatement([topicA]), Effect: 'Deny' }] }));
    expect(foreign).toMatch(/rename or remove that statement \(Herald owns the Sid "HeraldSnsTopicsSendMessage"\), then call again\./);
  });

  it('refuses a policy SQS would refuse: over 8,192 bytes or 20 statements', () => {
    const bulky = { ...unrelated, Sid: 'Bulky', Principal: { AWS: 'x'.repeat(8_000) } };
    expect(() => addTopicToQueuePolicy({ policy: JSON.stringify({ Statement: [bulky] }), queueArn, topicArn: topicA })).toThrow(
      QueuePolicyTooLargeError,
    );
    const twenty = Array.from({ length: 20 }, (_, i) => ({ ...unrelated, Sid: `S${i}` }));
    expect(() => addTopicToQueuePolicy({ policy: JSON.stringify({ Statement: twenty }), queueArn, topicArn: topicA })).toThrow(
      /21 statements, at most 20/,
    );
    // Just at the limit is accepted: 19 others plus Herald's.
    const nineteen = JSON.stringify({ Statement: twenty.slice(1) });
    expect(parse(addTopicToQueuePolicy({ policy: nineteen, queueArn, topicArn: topicA }).policy).Statement).toHaveLength(20);
  });
});

describe('removeTopicFromQueuePolicy', () => {
  const both = JSON.stringify({ Version: '2012-10-17', Statement: [unrelated, heraldStatement([topicB, topicA].sort())] });

  it('removes one topic and keeps the statement for the other', () => {
    const edit = removeTopicFromQueuePolicy({ policy: both, queueArn, topicArn: topicA });
    expect(edit.changed).toBe(true);
    expect(edit.topics).toEqual([topicB]);
    expect(parse(edit.policy).Statement).toEqual([unrelated, heraldStatement([topicB])]);
  });

  it('removes the statement with the last topic and keeps unrelated ones', () => {
    const once = removeTopicFromQueuePolicy({ policy: both, queueArn, topicArn: topicA });
    const twice = removeTopicFromQueuePolicy({ policy: once.policy, queueArn, topicArn: topicB });
    expect(twice.topics).toEqual([]);
    expect(parse(twice.policy)).toEqual({ Version: '2012-10-17', Statement: [unrelated] });
  });

  it('returns the empty policy (SQS’s way to have none) when Herald’s statement was the only one', () => {
    const single = JSON.stringify({ Version: '2012-10-17', Statement: heraldStatement([topicA]) });
    expect(removeTopicFromQueuePolicy({ policy: single, queueArn, topicArn: topicA })).toEqual({ policy: '', changed: true, topics: [] });
  });

  it('changes nothing when the topic is not listed or there is no policy', () => {
    expect(removeTopicFromQueuePolicy({ policy: both, queueArn, topicArn: 'arn:aws:sns:us-east-1:111122223333:x' })).toEqual({
      policy: both,
      changed: false,
      topics: [topicA, topicB].sort(),
    });
    expect(removeTopicFromQueuePolicy({ policy: undefined, queueArn, topicArn: topicA })).toEqual({ policy: '', changed: false, topics: [] });
    const others = JSON.stringify({ Statement: [unrelated] });
    expect(removeTopicFromQueuePolicy({ policy: others, queueArn, topicArn: topicA }).changed).toBe(false);
  });

  it('round-trips: adding then removing a topic gives back the unrelated statements', () => {
    const start = JSON.stringify({ Version: '2012-10-17', Statement: [unrelated] });
    const added = addTopicToQueuePolicy({ policy: start, queueArn, topicArn: topicA });
    const removed = removeTopicFromQueuePolicy({ policy: added.policy, queueArn, topicArn: topicA });
    expect(parse(removed.policy)).toEqual(parse(start));
  });
});
