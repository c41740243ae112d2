/**
 * Exact number of bytes `value` takes in UTF-8, as `Buffer.byteLength(value, 'utf8')` and
 * `TextEncoder` count them: a lone surrogate counts 3 bytes (it is encoded as U+FFFD).
 *
 * Loops over UTF-16 code units without allocating, so it is cheap on large strings.
 *
 * @example
 * ```ts
 * utf8ByteLength('€'); // 3
 * utf8ByteLength('😀'); // 4
 * ```
 */
export function utf8ByteLength(value: string): number {
  let bytes = 0;
  const length = value.length;
  for (let i = 0; i < length; i++) {
    const unit = value.charCodeAt(i);
    if (unit < 0x80) {
      bytes += 1;
    } else if (unit < 0x800) {
      bytes += 2;
    } else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        // A surrogate pair is one code point beyond the BMP: 4 bytes.
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    } else {
      // Rest of the BMP, and lone surrogates (encoded as U+FFFD, 3 bytes).
      bytes += 3;
    }
  }
  return bytes;
}
