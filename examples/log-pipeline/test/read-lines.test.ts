import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLines, type LogLine } from '../src/read-lines.js';
import { splitUtf8 } from '../src/split-utf8.js';

const dir = mkdtempSync(join(tmpdir(), 'herald-read-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function linesOf(content: Buffer | string): Promise<LogLine[]> {
  const file = join(dir, `f-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, content);
  const out: LogLine[] = [];
  for await (const line of readLines(file)) out.push(line);
  return out;
}

describe('readLines', () => {
  it('splits on LF and CRLF, keeps a last line without a break, and an empty file has no lines', async () => {
    expect((await linesOf('a\r\nb\n\nc')).map((l) => l.text)).toEqual(['a', 'b', '', 'c']);
    expect(await linesOf('')).toEqual([]);
    expect((await linesOf('only\n')).map((l) => l.text)).toEqual(['only']);
  });

  it('decides the encoding per line: UTF-8 when valid, else Latin-1, so no byte is replaced', async () => {
    const content = Buffer.concat([Buffer.from('café €\n'), Buffer.from('caf\xe9\n', 'latin1'), Buffer.from('ok')]);
    expect(await linesOf(content)).toEqual([
      { text: 'café €', encoding: 'utf-8' },
      { text: 'café', encoding: 'latin1' },
      { text: 'ok', encoding: 'utf-8' },
    ]);
  });

  it('drops a byte order mark at the start of the file only', async () => {
    const lines = await linesOf('\ufeffstatus=503\n\ufeffsecond');
    expect(lines.map((l) => l.text)).toEqual(['status=503', '\ufeffsecond']);
  });

  it('joins a line that spans many read chunks, multi-byte characters across chunk edges included', async () => {
    const long = '€'.repeat(100_000); // 300,000 bytes: several 64 KiB chunks, cut inside characters
    const lines = await linesOf(`${long}\nend`);
    expect(lines.map((l) => l.text)).toEqual([long, 'end']);
    expect(lines[0]?.encoding).toBe('utf-8');
  });
});

describe('splitUtf8', () => {
  it('returns the text itself when it fits', () => {
    expect(splitUtf8('abcd', 4)).toEqual(['abcd']);
    expect(splitUtf8('', 4)).toEqual(['']);
  });

  it('cuts into pieces of at most maxBytes, never inside a character, and loses nothing', () => {
    const text = `${'a'.repeat(5)}€😀${'é'.repeat(7)}`;
    const parts = splitUtf8(text, 6);
    expect(parts.join('')).toBe(text);
    for (const part of parts) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(6);
    expect(parts).toEqual(['aaaaa', '€', '😀é', 'ééé', 'ééé']);
  });

  it('refuses a limit smaller than one character', () => {
    expect(() => splitUtf8('x', 3)).toThrow(RangeError);
  });
});
