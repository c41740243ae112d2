/**
 * An IP address as bytes: 4 for IPv4, 16 for IPv6. An IPv4-mapped IPv6 address
 * (`::ffff:a00:1`) is read as the IPv4 address it carries, as AWS's parser does.
 */
export type IpAddressBytes = Uint8Array;

const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

/** The outcome of reading an IP address literal. */
export type IpParseOutcome =
  | { readonly ok: true; readonly bytes: IpAddressBytes }
  | { readonly ok: false; readonly reason: 'nonstandard' | 'invalid' };

function parseIpv4(text: string): IpParseOutcome {
  const parts = text.split('.');
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i += 1) {
    const part = parts[i] as string;
    if (part.length > 3) return { ok: false, reason: 'invalid' };
    const value = Number(part);
    if (value > 255) return { ok: false, reason: 'invalid' };
    bytes[i] = value;
  }
  return { ok: true, bytes };
}

function parseIpv6(text: string): IpParseOutcome {
  const invalid: IpParseOutcome = { ok: false, reason: 'invalid' };
  const halves = text.split('::');
  if (halves.length > 2) return invalid;
  const groupsOf = (half: string): string[] | undefined => {
    if (half === '') return [];
    const groups = half.split(':');
    return groups.every((group) => group.length >= 1 && group.length <= 4) ? groups : undefined;
  };
  const head = groupsOf(halves[0] as string);
  const tail = halves.length === 2 ? groupsOf(halves[1] as string) : [];
  if (head === undefined || tail === undefined) return invalid;
  const compressed = halves.length === 2;
  const count = head.length + tail.length;
  if (compressed ? count > 7 : count !== 8) return invalid;
  const groups = [...head, ...Array.from({ length: 8 - count }, () => '0'), ...tail];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    const value = Number.parseInt(group, 16);
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 0xff;
  });
  const mapped = bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return { ok: true, bytes: mapped ? bytes.slice(12) : bytes };
}

/**
 * Reads an IPv4 (`10.0.0.1`) or IPv6 (`2001:db8::1`, any valid compression) address literal.
 * Text that does not even look like an address is `nonstandard`; text that looks like one but
 * is not (`10.0.0.256`, `1::2::3`) is `invalid`. Host names are never resolved.
 *
 * @param text - The alleged address.
 * @returns The address bytes, or why it is not an address.
 */
export function parseIpAddress(text: string): IpParseOutcome {
  if (IPV4_SHAPE.test(text)) return parseIpv4(text);
  if (IPV6_SHAPE.test(text)) return parseIpv6(text);
  return { ok: false, reason: 'nonstandard' };
}
