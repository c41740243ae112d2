import {
  createFanout,
  InvalidEventPatternError,
  InvalidFilterPolicyError,
  InvalidRouteError,
  type FanoutMessage,
  type RouteFilter,
} from '@herald/fanout';
import { describe, expect, it } from 'vitest';

/** A router whose routes record what they receive (function targets), one per filter. */
function recordingRouter(filters: Record<string, RouteFilter>) {
  const received: Record<string, string[]> = {};
  const fanout = createFanout({
    routes: Object.entries(filters).map(([name, filter]) => {
      received[name] = [];
      return { name, filter, target: { type: 'function' as const, handler: (message: FanoutMessage) => void received[name]?.push(message.id ?? '') } };
    }),
  });
  return { fanout, received };
}

const messages: FanoutMessage[] = [
  {
    id: 'eu-big',
    body: JSON.stringify({ source: 'com.example.shop', 'detail-type': 'OrderPlaced', detail: { region: 'eu-west-1', total: 1200 } }),
    attributes: { type: { DataType: 'String', StringValue: 'OrderPlaced' }, total: { DataType: 'Number', StringValue: '1200' } },
  },
  {
    id: 'us-small',
    body: JSON.stringify({ source: 'com.example.shop', 'detail-type': 'OrderPlaced', detail: { region: 'us-east-1', total: 20 } }),
    attributes: { type: { DataType: 'String', StringValue: 'OrderPlaced' }, total: { DataType: 'Number', StringValue: '20' } },
  },
  {
    id: 'refund',
    body: JSON.stringify({ source: 'com.example.payments', 'detail-type': 'RefundIssued', detail: { region: 'eu-central-1', total: 0 } }),
    attributes: { type: { DataType: 'String', StringValue: 'RefundIssued' }, tags: { DataType: 'String.Array', StringValue: '["vip","eu"]' } },
  },
  { id: 'not-json', body: 'plain text' },
  { id: 'json-array', body: '[1, 2]' },
];

describe('createFanout: SNS filter policies and EventBridge event patterns as route filters', () => {
  it('routes with the evaluators\' semantics: attributes, body, event pattern, predicate', async () => {
    const { fanout, received } = recordingRouter({
      'attr-big': { filterPolicy: { type: ['OrderPlaced'], total: [{ numeric: ['>=', 1000] }] } },
      'attr-vip': { filterPolicy: '{"tags":["vip"]}' },
      'body-eu': { filterPolicy: { detail: { region: [{ prefix: 'eu-' }] } }, scope: 'MessageBody' },
      'pattern-shop': { eventPattern: { source: ['com.example.shop'], detail: { total: [{ numeric: ['<', 100] }] } } },
      'pattern-text': { eventPattern: '{"detail-type":["RefundIssued"]}' },
      'pattern-no-total': { eventPattern: { detail: { total: [{ exists: false }] } } },
      everything: (m) => m.body.length > 0,
    });
    const results = await fanout.dispatch(messages);
    expect(received).toEqual({
      'attr-big': ['eu-big'],
      'attr-vip': ['refund'],
      'body-eu': ['eu-big', 'refund'],
      'pattern-shop': ['us-small'],
      'pattern-text': ['refund'],
      // A body that is not a JSON object is no event: no pattern matches it, not even exists: false.
      'pattern-no-total': [],
      everything: ['eu-big', 'us-small', 'refund', 'not-json', 'json-array'],
    });
    expect(results.map((result) => result.matched)).toEqual([
      ['attr-big', 'body-eu', 'everything'],
      ['pattern-shop', 'everything'],
      ['attr-vip', 'body-eu', 'pattern-text', 'everything'],
      ['everything'],
      ['everything'],
    ]);
    expect(results.every((result) => result.status === 'delivered')).toBe(true);
  });

  it('a message that matches no policy or pattern is reported unmatched', async () => {
    const { fanout } = recordingRouter({ big: { filterPolicy: { total: [{ numeric: ['>', 10_000] }] } }, shop: { eventPattern: { source: ['nowhere'] } } });
    const results = await fanout.dispatch(messages);
    expect(results.map((result) => result.status)).toEqual(['unmatched', 'unmatched', 'unmatched', 'unmatched', 'unmatched']);
  });

  it('refuses at construction a policy or pattern AWS would refuse, naming the route, with the evaluator\'s error as cause', () => {
    const attempt = (filter: RouteFilter): InvalidRouteError => {
      try {
        createFanout({ routes: [{ name: 'fine', target: { type: 'function', handler: () => 1 } }, { name: 'bad-filter', filter, target: { type: 'function', handler: () => 1 } }] });
      } catch (error) {
        if (error instanceof InvalidRouteError) return error;
        throw error;
      }
      throw new Error('createFanout accepted an invalid filter');
    };

    const emptyList = attempt({ filterPolicy: { type: [] } });
    expect(emptyList.route).toBe('bad-filter');
    expect(emptyList.message).toContain('Route "bad-filter": its filter policy is invalid');
    expect(emptyList.cause).toBeInstanceOf(InvalidFilterPolicyError);

    const sixKeys = attempt({ filterPolicy: { a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'], f: ['1'] } });
    expect(sixKeys.cause).toBeInstanceOf(InvalidFilterPolicyError);

    const scalar = attempt({ eventPattern: { source: 'com.example.shop' } as never });
    expect(scalar.message).toContain('Route "bad-filter": its event pattern is invalid');
    expect(scalar.cause).toBeInstanceOf(InvalidEventPatternError);

    const notJson = attempt({ eventPattern: '{source:' });
    expect(notJson.cause).toBeInstanceOf(InvalidEventPatternError);

    const badScope = attempt({ filterPolicy: { a: ['1'] }, scope: 'Body' as never });
    expect(badScope.message).toContain('scope');
  });
});
