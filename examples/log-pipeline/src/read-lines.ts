import { createReadStream } from 'node:fs';

/** One line of a log file, decoded. */
export interface LogLine {
  /** The line without its line break (`\n`, `\r\n`). */
  readonly text: string;
  /**
   * How its bytes were decoded: UTF-8 when they are valid UTF-8, else Latin-1 (every byte is
   * a character), so a line in a legacy encoding is carried over intact instead of having
   * its bytes replaced by U+FFFD.
   */
  readonly encoding: 'utf-8' | 'latin1';
}

// ignoreBOM: a BOM is dropped only at the start of the file (below), not at the start of every line.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

function decode(bytes: Buffer, first: boolean): LogLine {
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === CARRIAGE_RETURN) end -= 1;
  let line = bytes.subarray(0, end);
  // A UTF-8 byte order mark at the start of the file is not part of the first line.
  if (first && line[0] === 0xef && line[1] === 0xbb && line[2] === 0xbf) line = line.subarray(3);
  try {
    return { text: utf8.decode(line), encoding: 'utf-8' };
  } catch {
    return { text: line.toString('latin1'), encoding: 'latin1' };
  }
}

/**
 * Reads a file line by line, deciding the encoding of each line on its own (a log may mix
 * UTF-8 and Latin-1 lines). A last line without a line break is still a line.
 */
export async function* readLines(path: string): AsyncGenerator<LogLine> {
  let carry: Buffer[] = [];
  let first = true;
  for await (const chunk of createReadStream(path)) {
    const bytes = chunk as Buffer;
    let start = 0;
    for (let newline = bytes.indexOf(NEWLINE, start); newline !== -1; newline = bytes.indexOf(NEWLINE, start)) {
      const piece = bytes.subarray(start, newline);
      const whole = carry.length === 0 ? piece : Buffer.concat([...carry, piece]);
      carry = [];
      yield decode(whole, first);
      first = false;
      start = newline + 1;
    }
    if (start < bytes.length) carry.push(bytes.subarray(start));
  }
  if (carry.length > 0) yield decode(Buffer.concat(carry), first);
}
