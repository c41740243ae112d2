import {
  compileEventPattern,
  compileFilterPolicy,
  InvalidEventPatternError,
  InvalidFilterPolicyError,
  validateEventPattern,
  validateFilterPolicy,
  type FilterPolicyMessage,
} from '@herald/fanout';
import { describe, expect, it } from 'vitest';

/** mulberry32: a small seeded generator, so every run checks the same inputs. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Keys and strings chosen to hit the readers' branches: operators, prototype members, dots, odd text. */
const KEYS = [
  'a', 'b', 'a.b', 'detail', 'source', '$or', 'prefix', 'suffix', 'numeric', 'exists', 'anything-but', 'cidr', 'wildcard',
  'equals-ignore-case', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'length', '', ' ', '~/', '\u0000',
];
const STRINGS = [
  '', 'a', 'A', 'ß', 'İ', '*', 'a*b', '**', '\\', '\\*', 'a\\', '10.0.0.0/8', '10.0.0.1/32', '::/0', '::ffff:10.0.0.1/120', '010.1.2.3/8',
  '1.2.3.4', '2001:db8::1', '>', '<=', '=', '<', '>=', '1', '-0', 'NaN', '0x10', ' 1 ', '1e400', '\u{1F600}', '\ud800', 'null',
];
const NUMBERS = [0, -0, 1, -1, 0.5, 1e-7, 5e9, 5000000001, -5e9, 1e300, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 3.0151234567];

function generator(random: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const scalar = (): unknown => {
    const r = random();
    if (r < 0.45) return pick(STRINGS);
    if (r < 0.8) return pick(NUMBERS);
    return pick([true, false, null]);
  };
  const operator = (depth: number): unknown => {
    const name = pick(KEYS.slice(6, 14));
    const r = random();
    const numericTerms = [pick(['>', '>=', '<', '<=', '=', 'x']), pick(NUMBERS), pick(['<', '<=', '>']), pick(NUMBERS)];
    const operand = r < 0.3 ? scalar() : r < 0.6 ? numericTerms.slice(0, 1 + Math.floor(random() * 4)) : value(depth + 1);
    return random() < 0.1 ? { [name]: operand, [pick(KEYS)]: scalar() } : { [name]: operand };
  };
  function value(depth: number): unknown {
    const r = random();
    if (depth >= 4 || r < 0.3) return scalar();
    if (r < 0.6) return Array.from({ length: Math.floor(random() * 4) }, () => (random() < 0.4 ? operator(depth) : value(depth + 1)));
    return object(depth);
  }
  function object(depth: number): Record<string, unknown> {
    const entries = Array.from({ length: Math.floor(random() * 4) }, () => [pick(KEYS), value(depth + 1)] as const);
    // Through JSON, as policies arrive: "__proto__" becomes an own key.
    return JSON.parse(JSON.stringify(Object.fromEntries(entries))) as Record<string, unknown>;
  }
  /** A policy or pattern: mostly well formed (keys to lists of values and operators, nested objects, $or), sometimes anything. */
  const policy = (): unknown => {
    if (random() < 0.1) return value(0);
    const list = (): unknown[] => Array.from({ length: Math.floor(random() * 3) }, () => (random() < 0.5 ? operator(2) : scalar()));
    const fields = Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
      const r = random();
      const key = random() < 0.85 ? pick(KEYS.slice(0, 5)) : pick(KEYS);
      if (r < 0.7) return [key, list()] as const;
      if (r < 0.85) return [key, { [pick(KEYS)]: list() }] as const;
      return ['$or', [{ [pick(KEYS)]: list() }, { [pick(KEYS)]: list() }]] as const;
    });
    // Through JSON, as policies arrive: "__proto__" becomes an own key.
    return JSON.parse(JSON.stringify(Object.fromEntries(fields))) as unknown;
  };
  const attributes = (): FilterPolicyMessage['attributes'] => {
    const result: Record<string, { DataType: string; StringValue?: string }> = {};
    for (const key of KEYS.slice(0, 5).concat(['__proto__', 'constructor'])) {
      if (random() < 0.3) continue;
      const type = pick(['String', 'Number', 'String.Array', 'Binary', 'Number.float', 'String.x', '']);
      const raw = value(1);
      const text = random() < 0.2 ? undefined : typeof raw === 'string' ? raw : JSON.stringify(raw) ?? '';
      Object.defineProperty(result, key, { value: text === undefined ? { DataType: type } : { DataType: type, StringValue: text }, enumerable: true });
    }
    return result as FilterPolicyMessage['attributes'];
  };
  return { policy, object, value, attributes };
}

const SCOPES = ['MessageAttributes', 'MessageBody'] as const;
const ROUNDS = 1_500;

describe('validators and evaluators on random JSON (seeded, bounded)', () => {
  it('validateFilterPolicy never throws, agrees on objects and their text, and compileFilterPolicy accepts exactly what it calls valid', () => {
    const gen = generator(seeded(0x5eed));
    let valid = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const policy = gen.policy();
      for (const scope of SCOPES) {
        const fromObject = validateFilterPolicy(policy, { scope });
        // A string is read as the policy's JSON text already.
        if (typeof policy !== 'string') {
          expect(validateFilterPolicy(JSON.stringify(policy), { scope }).problems, JSON.stringify(policy)).toEqual(fromObject.problems);
        }
        expect(fromObject.valid).toBe(fromObject.problems.length === 0);
        for (const problem of fromObject.problems) expect(problem.path === '' || problem.path.startsWith('/')).toBe(true);
        if (!fromObject.valid) {
          expect(() => compileFilterPolicy(policy as never, { scope })).toThrow(InvalidFilterPolicyError);
          continue;
        }
        valid++;
        const matches = compileFilterPolicy(policy as never, { scope });
        for (let i = 0; i < 4; i++) {
          const body = gen.object(0);
          const message: FilterPolicyMessage = { attributes: gen.attributes(), body: i % 2 === 0 ? body : JSON.stringify(body) };
          expect(typeof matches(message)).toBe('boolean');
          expect(matches({ body: gen.value(0) as never })).toBeTypeOf('boolean');
        }
      }
    }
    // The generator is meant to reach the evaluators, not only the refusals.
    expect(valid).toBeGreaterThan(ROUNDS / 10);
  });

  it('validateEventPattern never throws, agrees on objects and their text, and compileEventPattern accepts exactly what it calls valid', () => {
    const gen = generator(seeded(0xbeef));
    let valid = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const pattern = gen.policy();
      const fromObject = validateEventPattern(pattern);
      if (typeof pattern !== 'string') {
        expect(validateEventPattern(JSON.stringify(pattern)).problems, JSON.stringify(pattern)).toEqual(fromObject.problems);
      }
      expect(fromObject.valid).toBe(fromObject.problems.length === 0);
      if (!fromObject.valid) {
        expect(() => compileEventPattern(pattern as never)).toThrow(InvalidEventPatternError);
        continue;
      }
      valid++;
      const matches = compileEventPattern(pattern as never);
      for (let i = 0; i < 4; i++) {
        const event = gen.object(0);
        expect(typeof matches(event)).toBe('boolean');
        expect(matches(JSON.stringify(event))).toBe(matches(event));
      }
    }
    expect(valid).toBeGreaterThan(ROUNDS / 10);
  });
});
