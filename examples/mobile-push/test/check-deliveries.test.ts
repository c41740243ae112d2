import { describe, expect, it } from 'vitest';
import { findMisdirected, meantFor } from '../src/check-deliveries.js';
import type { PushServiceDelivery } from '../src/push-service-control.js';

const apns = (token: string, forUser: string, outcome: 'delivered' | 'rejected' = 'delivered'): PushServiceDelivery => ({
  messageId: `m-${token}-${forUser}`,
  endpointArn: `arn:aws:sns:us-east-1:000000000000:endpoint/APNS_SANDBOX/app/${token}`,
  platform: 'APNS_SANDBOX',
  token,
  payload: JSON.stringify({ aps: { alert: { body: 'hi' } }, forUser }),
  outcome,
});

const fcm = (token: string, forUser: string): PushServiceDelivery => ({
  messageId: `m-${token}-${forUser}`,
  endpointArn: `arn:aws:sns:us-east-1:000000000000:endpoint/GCM/app/${token}`,
  platform: 'GCM',
  token,
  payload: JSON.stringify({ fcmV1Message: { message: { notification: { body: 'hi' }, data: { forUser } } } }),
  outcome: 'delivered',
});

describe('meantFor', () => {
  it('reads forUser from APNs and FCM payloads', () => {
    expect(meantFor(apns('t1', 'alice'))).toBe('alice');
    expect(meantFor(fcm('t2', 'bob'))).toBe('bob');
    expect(meantFor({ ...fcm('t3', 'x'), payload: 'not json' })).toBeUndefined();
  });
});

describe('findMisdirected', () => {
  const holders = new Map([
    ['t1', 'alice'],
    ['t2', 'bob'],
  ]);
  const holderOf = (token: string): string | undefined => holders.get(token);
  const redact = (token: string): string => `…${token}`;

  it('finds nothing when every notification reached its user', () => {
    expect(findMisdirected([apns('t1', 'alice'), fcm('t2', 'bob')], holderOf, redact)).toEqual([]);
  });

  it('reports a notification that reached another user, or a phone nobody holds', () => {
    expect(findMisdirected([apns('t1', 'bob'), fcm('t9', 'carol')], holderOf, redact)).toEqual([
      { meantFor: 'bob', reached: 'alice', token: '…t1' },
      { meantFor: 'carol', reached: 'nobody', token: '…t9' },
    ]);
  });

  it('ignores what the push service refused (it reached nobody)', () => {
    expect(findMisdirected([apns('t1', 'bob', 'rejected')], holderOf, redact)).toEqual([]);
  });
});
