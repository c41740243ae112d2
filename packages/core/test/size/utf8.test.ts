import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../src/random/seeded-random.js';
import { utf8ByteLength } from '../../src/size/utf8.js';

const seeded = createSeededRandom;

/** Code units from every UTF-8 length class, plus lone and paired surrogates in any order. */
function randomString(random: () => number, length: number): string {
  const ranges: Array<[number, number]> = [
    [0x00, 0x7f],
    [0x80, 0x7ff],
    [0x800, 0xd7ff],
    [0xd800, 0xdbff], // high surrogates
    [0xdc00, 0xdfff], // low surrogates
    [0xe000, 0xffff],
  ];
  let out = '';
  for (let i = 0; i < length; i++) {
    const [low, high] = ranges[Math.floor(random() * ranges.length)] as [number, number];
    out += String.fromCharCode(low + Math.floor(random() * (high - low + 1)));
  }
  return out;
}

describe('utf8ByteLength', () => {
  it.each([
    ['', 0],
    ['a', 1],
    ['é', 2],
    ['€', 3],
    ['😀', 4],
    ['a€😀', 8],
    ['\uD800', 3], // lone high surrogate → U+FFFD
    ['\uDC00', 3], // lone low surrogate
    ['\uDC00\uD800', 6], // reversed pair is two lone surrogates
    ['\uD83D\uD83D\uDE00', 7], // lone high, then a valid pair
    ['x\uD83D', 4], // high surrogate at the very end
  ])('counts %j as %i bytes', (value, bytes) => {
    expect(utf8ByteLength(value)).toBe(bytes);
    expect(Buffer.byteLength(value, 'utf8')).toBe(bytes);
  });

  it('matches Buffer.byteLength and TextEncoder over random strings with surrogates', () => {
    const random = seeded(42);
    const encoder = new TextEncoder();
    for (let i = 0; i < 2000; i++) {
      const value = randomString(random, Math.floor(random() * 40));
      const expected = Buffer.byteLength(value, 'utf8');
      expect(utf8ByteLength(value), JSON.stringify(value)).toBe(expected);
      expect(encoder.encode(value).length).toBe(expected);
    }
  });

  it('counts the issue sizes: 30,000 × "€" is 90,000 bytes', () => {
    expect(utf8ByteLength('€'.repeat(30_000))).toBe(90_000);
  });
});
