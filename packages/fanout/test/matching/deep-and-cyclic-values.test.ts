import { compileEventPattern, compileFilterPolicy, createFanout, matchesEventPattern, matchesFilterPolicy } from '@herald/fanout';
import { describe, expect, it } from 'vitest';

/** JSON text of `value` inside `depth` nested arrays: `[[[ ... value ... ]]]`. */
const nestedArrayText = (depth: number, value: string): string => `${'['.repeat(depth)}${value}${']'.repeat(depth)}`;

/** Deeper than any call stack: 200,000 levels take 400 KB of JSON (SNS and EventBridge bodies may be 256 KB to 1 MB). */
const DEEP = 200_000;

describe('evaluators on deeply nested and cyclic arrays', () => {
  it('an SNS MessageBody policy answers for a body of arrays nested deeper than the call stack, instead of throwing', () => {
    const body = `{"tag":${nestedArrayText(DEEP, '"red"')},"n":${nestedArrayText(DEEP, '[]')}}`;
    expect(matchesFilterPolicy({ tag: ['red'] }, { body }, { scope: 'MessageBody' })).toBe(true);
    expect(matchesFilterPolicy({ tag: ['blue'] }, { body }, { scope: 'MessageBody' })).toBe(false);
    expect(matchesFilterPolicy({ tag: [{ exists: true }] }, { body }, { scope: 'MessageBody' })).toBe(true);
    // Only empty arrays under "n": no value there.
    expect(matchesFilterPolicy({ n: [{ exists: false }], tag: [{ prefix: 'r' }] }, { body }, { scope: 'MessageBody' })).toBe(true);
    // Nested policy objects look into arrays of arrays the same way.
    const objects = `{"items":${nestedArrayText(DEEP, '{"kind":"book","price":12}')}}`;
    expect(matchesFilterPolicy({ items: { kind: ['book'], price: [{ numeric: ['<', 20] }] } }, { body: objects }, { scope: 'MessageBody' })).toBe(true);
    expect(matchesFilterPolicy({ items: { kind: ['book'], price: [{ numeric: ['>', 20] }] } }, { body: objects }, { scope: 'MessageBody' })).toBe(false);
  });

  it('an SNS String.Array attribute nested deeper than the call stack is searched without throwing', () => {
    const wants = compileFilterPolicy({ colour: ['red'] });
    const attribute = { DataType: 'String.Array', StringValue: nestedArrayText(DEEP, '"red"') };
    expect(wants({ attributes: { colour: attribute } })).toBe(true);
  });

  it('an EventBridge pattern answers for events with arrays nested deeper than the call stack', () => {
    const event = `{"source":"shop","detail":{"tags":${nestedArrayText(DEEP, '"vip"')},"lines":${nestedArrayText(DEEP, '{"sku":"a1"}')}}}`;
    expect(matchesEventPattern({ detail: { tags: ['vip'] } }, event)).toBe(true);
    expect(matchesEventPattern({ detail: { tags: [{ 'anything-but': 'vip' }] } }, event)).toBe(false);
    expect(matchesEventPattern({ detail: { lines: { sku: [{ prefix: 'a' }] } } }, event)).toBe(true);
    expect(matchesEventPattern({ detail: { lines: { sku: ['b2'] } } }, event)).toBe(false);
  });

  it('parsed bodies and events with cyclic arrays get an answer (every element is looked at once)', () => {
    const tags: unknown[] = ['blue'];
    tags.push(tags, [tags, 'green']);
    expect(matchesFilterPolicy({ tags: ['green'] }, { body: { tags } }, { scope: 'MessageBody' })).toBe(true);
    expect(matchesFilterPolicy({ tags: ['red'] }, { body: { tags } }, { scope: 'MessageBody' })).toBe(false);
    const lines: unknown[] = [{ sku: 'a1' }];
    lines.push(lines);
    const wantsB2 = compileEventPattern({ detail: { lines: { sku: ['b2'] } } });
    expect(wantsB2({ detail: { lines } })).toBe(false);
    lines.push([{ sku: 'b2' }]);
    expect(wantsB2({ detail: { lines } })).toBe(true);
    expect(matchesEventPattern({ detail: { tags: [{ exists: false }] } }, { detail: { tags: [[], [[]]] } })).toBe(true);
  });

  it('the router delivers a deeply nested message to the route whose filter takes it, instead of failing with FilterFailed', async () => {
    const seen: string[] = [];
    const fanout = createFanout({
      routes: [
        {
          name: 'red',
          filter: { filterPolicy: { tag: ['red'] }, scope: 'MessageBody' },
          target: { type: 'function', handler: (message) => void seen.push(message.id ?? '') },
        },
        { name: 'vip', filter: { eventPattern: { tag: ['vip'] } }, target: { type: 'function', handler: () => undefined } },
      ],
    });
    const result = await fanout.dispatch({ id: 'deep', body: `{"tag":${nestedArrayText(DEEP, '"red"')}}` });
    expect(result).toEqual({
      id: 'deep',
      status: 'delivered',
      matched: ['red'],
      outcomes: [{ route: 'red', target: 'function', status: 'delivered', attempts: 1 }],
    });
    expect(seen).toEqual(['deep']);
    await fanout.close();
  });
});
