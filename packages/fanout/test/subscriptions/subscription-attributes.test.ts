import { describe, expect, it } from 'vitest';
import { attributeChanges, subscribeAttributes } from '../../src/subscriptions/subscription-attributes.js';

const policy = JSON.stringify({ kind: ['order-placed'] });

describe('subscribeAttributes', () => {
  it('sends the filter policy with its scope, and RawMessageDelivery only when raw', () => {
    expect(subscribeAttributes({ filterPolicy: policy, scope: 'MessageBody', raw: true })).toEqual({
      FilterPolicy: policy,
      FilterPolicyScope: 'MessageBody',
      RawMessageDelivery: 'true',
    });
    expect(subscribeAttributes({ filterPolicy: undefined, scope: 'MessageAttributes', raw: false })).toEqual({});
  });
});

describe('attributeChanges', () => {
  it('is empty when the subscription already matches, whatever the key order or spacing of its policy', () => {
    const current = { FilterPolicy: '{ "kind" : [ "order-placed" ] }', FilterPolicyScope: 'MessageAttributes', RawMessageDelivery: 'false' };
    expect(attributeChanges(current, { filterPolicy: policy, scope: 'MessageAttributes', raw: false })).toEqual([]);
    const twoKeys = { FilterPolicy: JSON.stringify({ b: ['2'], a: ['1'] }) };
    expect(attributeChanges(twoKeys, { filterPolicy: JSON.stringify({ a: ['1'], b: ['2'] }), scope: 'MessageAttributes', raw: false })).toEqual([]);
  });

  it('treats a missing scope as MessageAttributes and a missing RawMessageDelivery as false', () => {
    expect(attributeChanges({ FilterPolicy: policy }, { filterPolicy: policy, scope: 'MessageAttributes', raw: false })).toEqual([]);
  });

  it('sets a changed policy', () => {
    const other = JSON.stringify({ kind: ['order-shipped'] });
    expect(attributeChanges({ FilterPolicy: policy }, { filterPolicy: other, scope: 'MessageAttributes', raw: false })).toEqual([
      { name: 'FilterPolicy', value: other },
    ]);
  });

  it('sets the scope first when moving to MessageBody, the policy first when moving to MessageAttributes', () => {
    const nested = JSON.stringify({ order: { kind: ['order-placed'] } });
    expect(attributeChanges({ FilterPolicy: policy }, { filterPolicy: nested, scope: 'MessageBody', raw: false })).toEqual([
      { name: 'FilterPolicyScope', value: 'MessageBody' },
      { name: 'FilterPolicy', value: nested },
    ]);
    expect(
      attributeChanges({ FilterPolicy: nested, FilterPolicyScope: 'MessageBody' }, { filterPolicy: policy, scope: 'MessageAttributes', raw: false }),
    ).toEqual([
      { name: 'FilterPolicy', value: policy },
      { name: 'FilterPolicyScope', value: 'MessageAttributes' },
    ]);
    // Only the scope changes.
    expect(attributeChanges({ FilterPolicy: policy }, { filterPolicy: policy, scope: 'MessageBody', raw: false })).toEqual([
      { name: 'FilterPolicyScope', value: 'MessageBody' },
    ]);
  });

  it('removes a policy by writing {} (and leaves the scope), and treats {} as no policy', () => {
    expect(attributeChanges({ FilterPolicy: policy, FilterPolicyScope: 'MessageBody' }, { filterPolicy: undefined, scope: 'MessageAttributes', raw: false })).toEqual([
      { name: 'FilterPolicy', value: '{}' },
    ]);
    expect(attributeChanges({ FilterPolicy: '{}' }, { filterPolicy: undefined, scope: 'MessageAttributes', raw: false })).toEqual([]);
    expect(attributeChanges({}, { filterPolicy: undefined, scope: 'MessageAttributes', raw: false })).toEqual([]);
  });

  it('switches raw delivery both ways', () => {
    expect(attributeChanges({}, { filterPolicy: undefined, scope: 'MessageAttributes', raw: true })).toEqual([{ name: 'RawMessageDelivery', value: 'true' }]);
    expect(attributeChanges({ RawMessageDelivery: 'true' }, { filterPolicy: undefined, scope: 'MessageAttributes', raw: false })).toEqual([
      { name: 'RawMessageDelivery', value: 'false' },
    ]);
  });
});
