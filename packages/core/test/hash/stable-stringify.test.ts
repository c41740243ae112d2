import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../src/random/seeded-random.js';
import { stableStringify } from '../../src/hash/stable-stringify.js';

const seeded = createSeededRandom;

function randomValue(random: () => number, depth: number): unknown {
  const pick = Math.floor(random() * (depth > 3 ? 4 : 6));
  switch (pick) {
    case 0:
      return Math.floor(random() * 1e6) / 100 - 5000;
    case 1:
      return `s${Math.floor(random() * 1000)}"\\\n€😀`;
    case 2:
      return random() < 0.5;
    case 3:
      return null;
    case 4:
      return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
    default: {
      const out: Record<string, unknown> = {};
      for (let i = Math.floor(random() * 5); i > 0; i--) out[`k${Math.floor(random() * 50)}`] = randomValue(random, depth + 1);
      return out;
    }
  }
}

function shuffleKeys(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((item) => shuffleKeys(item, random));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).sort(() => random() - 0.5);
  return Object.fromEntries(entries.map(([key, item]) => [key, shuffleKeys(item, random)]));
}

describe('stableStringify', () => {
  it('sorts object keys recursively and keeps array order', () => {
    expect(stableStringify({ b: 1, a: [3, { d: 1, c: 2 }, 1] })).toBe('{"a":[3,{"c":2,"d":1},1],"b":1}');
  });

  it('follows JSON.stringify for undefined, functions, symbols, non-finite numbers and holes', () => {
    const value = {
      u: undefined,
      f: () => 1,
      s: Symbol('x'),
      n: Number.NaN,
      i: Number.NEGATIVE_INFINITY,
      list: [undefined, () => 1, Symbol('y'), 1, , 2], // eslint-disable-line no-sparse-arrays
    };
    expect(stableStringify(value)).toBe('{"i":null,"list":[null,null,null,1,null,2],"n":null}');
    expect(stableStringify(value)).toBe(JSON.stringify(JSON.parse(JSON.stringify(value)), ['i', 'list', 'n']));
  });

  it('honours toJSON (Dates) and boxed primitives, and escapes keys and strings', () => {
    const date = new Date('2024-01-02T03:04:05.678Z');
    expect(stableStringify({ when: date })).toBe('{"when":"2024-01-02T03:04:05.678Z"}');
    expect(stableStringify({ z: { toJSON: (key: string) => `key=${key}` } })).toBe('{"z":"key=z"}');
    expect(stableStringify([new Number(1), new String('s'), new Boolean(false)])).toBe('[1,"s",false]');
    expect(stableStringify({ 'a"b': 'line\nbreak', '\u2028': '' })).toBe('{"a\\"b":"line\\nbreak","\u2028":""}');
  });

  it('gives the same text for equal values whatever the key order, and parses back to the value', () => {
    const random = seeded(7);
    for (let i = 0; i < 300; i++) {
      const value = randomValue(random, 0);
      const text = stableStringify(value);
      expect(stableStringify(shuffleKeys(value, random))).toBe(text);
      expect(JSON.parse(text)).toEqual(value);
    }
  });

  it('accepts shared references that are not cycles', () => {
    const shared = { x: 1 };
    expect(stableStringify({ a: shared, b: [shared, shared] })).toBe('{"a":{"x":1},"b":[{"x":1},{"x":1}]}');
  });

  it('throws a TypeError on cycles, BigInt and a top-level value with no JSON form', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = { back: cyclic };
    expect(() => stableStringify(cyclic)).toThrow(TypeError);
    expect(() => stableStringify(cyclic)).toThrow(/cycle.*"back"/);
    const list: unknown[] = [];
    list.push(list);
    expect(() => stableStringify(list)).toThrow(/cycle/);
    expect(() => stableStringify({ n: 10n })).toThrow(/BigInt/);
    expect(() => stableStringify(undefined)).toThrow(TypeError);
    expect(() => stableStringify(() => 1)).toThrow(TypeError);
  });

  it('refuses Maps and Sets, which JSON would turn into {} whatever they hold', () => {
    expect(() => stableStringify(new Map([['a', 1]]))).toThrow(/Map.*Object\.fromEntries/);
    expect(() => stableStringify({ tags: new Set(['x']) })).toThrow(/Set \(at key "tags"\)/);
    expect(() => stableStringify([new WeakMap()])).toThrow(TypeError);
    expect(stableStringify({ tags: [...new Set(['x'])] })).toBe('{"tags":["x"]}');
  });
});
