import { describe, expect, it } from 'vitest';
import { messageAttributesByteLength } from '../../src/index.js';

describe('messageAttributesByteLength', () => {
  it('counts each attribute name, data type and value in UTF-8 bytes, binary values by length', () => {
    expect(messageAttributesByteLength({ n: { DataType: 'Number', StringValue: '1' } })).toBe(1 + 6 + 1);
    expect(
      messageAttributesByteLength({
        'é': { DataType: 'String', StringValue: '€😀' },
        b: { DataType: 'Binary', BinaryValue: new Uint8Array(5) },
      }),
    ).toBe(2 + 6 + 3 + 4 + (1 + 6 + 5));
  });

  it('counts both values when both are given, and 0 for what is not a string or byte array', () => {
    expect(messageAttributesByteLength({ x: { DataType: 'String', StringValue: 'ab', BinaryValue: new Uint8Array(3) } })).toBe(1 + 6 + 2 + 3);
    expect(messageAttributesByteLength({ x: { DataType: 7, StringValue: 8, BinaryValue: 'no' } })).toBe(1);
    expect(messageAttributesByteLength({ x: undefined, y: null })).toBe(0);
    expect(messageAttributesByteLength(undefined)).toBe(0);
    expect(messageAttributesByteLength(null)).toBe(0);
  });

  it('counts only own attributes', () => {
    const inherited = Object.create({ hidden: { DataType: 'String', StringValue: 'x' } }) as Record<string, never>;
    expect(messageAttributesByteLength(inherited)).toBe(0);
  });
});
