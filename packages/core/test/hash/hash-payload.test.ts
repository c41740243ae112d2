import { describe, expect, it } from 'vitest';
import { hashPayload } from '../../src/hash/hash-payload.js';

describe('hashPayload', () => {
  it('is the hex SHA-256 of the stable JSON text', () => {
    // sha256('{"a":1,"b":[2,"x"]}'), computed independently with `printf %s '...' | sha256sum`.
    expect(hashPayload({ b: [2, 'x'], a: 1 })).toBe('454597f51f0e5988dd7d0864f82e826d91fd43ed815a21bb06cd7181e8547a2f');
  });

  it('ignores key order but not array order or values', () => {
    const base = hashPayload({ order: { id: 'o-1', items: [1, 2] }, user: 'u' });
    expect(hashPayload({ user: 'u', order: { items: [1, 2], id: 'o-1' } })).toBe(base);
    expect(hashPayload({ user: 'u', order: { items: [2, 1], id: 'o-1' } })).not.toBe(base);
    expect(hashPayload({ user: 'u', order: { items: [1, 2], id: 'o-2' } })).not.toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hashes non-ASCII text as UTF-8', () => {
    // sha256('"€"') — the 5 bytes 22 e2 82 ac 22.
    expect(hashPayload('€')).toBe('33ab3f1aaa9b5b06e754decf4e24302477eac3714490bbb587a4b56903c0090c');
  });
});
