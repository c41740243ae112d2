/** A wildcard value (`*` for any run of characters, `\*` and `\\` for literal ones), read once. */
export interface WildcardPattern {
  /** The literal pieces between the wildcards; one piece means no wildcard at all. */
  readonly pieces: readonly string[];
}

/** The outcome of reading a wildcard value. */
export type WildcardParseOutcome = { readonly ok: true; readonly pattern: WildcardPattern } | { readonly ok: false; readonly reason: string };

const encoder = new TextEncoder();

/**
 * Reads a wildcard value the way AWS does, refusing two `*` in a row and a backslash before
 * anything but `*` or `\`. Positions in the reasons count UTF-8 bytes from 1, as AWS's do
 * (AWS counts the opening quote of the JSON string as position 0).
 *
 * @param text - The value of the `wildcard` operator.
 * @returns The pieces, or AWS's reason.
 */
export function parseWildcard(text: string): WildcardParseOutcome {
  const pieces: string[] = [];
  let piece = '';
  let bytePosition = 1;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] as string;
    if (char === '*') {
      if (text[i + 1] === '*') return { ok: false, reason: `Consecutive wildcard characters at pos ${bytePosition}` };
      pieces.push(piece);
      piece = '';
    } else if (char === '\\') {
      const next = text[i + 1];
      if (next !== '*' && next !== '\\') return { ok: false, reason: `Invalid escape character at pos ${bytePosition}` };
      piece += next;
      i += 1;
      bytePosition += 1;
    } else {
      const code = text.codePointAt(i) as number;
      if (code > 0xffff) {
        piece += text.slice(i, i + 2);
        i += 1;
      } else {
        piece += char;
      }
      bytePosition += encoder.encode(String.fromCodePoint(code)).length - 1;
    }
    bytePosition += 1;
  }
  pieces.push(piece);
  return { ok: true, pattern: { pieces } };
}

/**
 * Compiles a wildcard pattern into a test over strings, without regular expressions: the first
 * and last pieces must be the start and end of the value, the others must appear in order
 * between them (leftmost placement is always right for `*`-only patterns).
 *
 * @param pattern - The parsed pattern.
 * @returns A predicate over strings.
 */
export function compileWildcard(pattern: WildcardPattern): (value: string) => boolean {
  const { pieces } = pattern;
  if (pieces.length === 1) {
    const exact = pieces[0] as string;
    return (value) => value === exact;
  }
  const first = pieces[0] as string;
  const last = pieces[pieces.length - 1] as string;
  const middle = pieces.slice(1, -1).filter((piece) => piece !== '');
  const minLength = pieces.reduce((sum, piece) => sum + piece.length, 0);
  return (value) => {
    if (value.length < minLength || !value.startsWith(first) || !value.endsWith(last)) return false;
    let position = first.length;
    const end = value.length - last.length;
    for (const piece of middle) {
      const at = value.indexOf(piece, position);
      if (at === -1 || at + piece.length > end) return false;
      position = at + piece.length;
    }
    return true;
  };
}

/**
 * Counts the wildcards of a parsed pattern.
 *
 * @param pattern - The parsed pattern.
 * @returns How many `*` it has.
 */
export function wildcardCount(pattern: WildcardPattern): number {
  return pattern.pieces.length - 1;
}
