/**
 * Splits a string into pieces of at most `maxBytes` UTF-8 bytes each, never inside a
 * character (a surrogate pair stays whole). Returns `[text]` when it fits.
 */
export function splitUtf8(text: string, maxBytes: number): string[] {
  if (!(maxBytes >= 4)) throw new RangeError(`maxBytes must be at least 4 (one character), got ${maxBytes}`);
  // Fast path: a string of n UTF-16 units has at most 3n UTF-8 bytes.
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text, 'utf8') <= maxBytes) return [text];
  const parts: string[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < text.length; ) {
    const code = text.codePointAt(i) ?? 0;
    const units = code > 0xffff ? 2 : 1;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (bytes + size > maxBytes) {
      parts.push(text.slice(start, i));
      start = i;
      bytes = 0;
    }
    bytes += size;
    i += units;
  }
  parts.push(text.slice(start));
  return parts;
}
