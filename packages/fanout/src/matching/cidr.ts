import { type IpAddressBytes, parseIpAddress } from './ip-address.js';

/** An address block compiled from a `cidr` value: every address from `first` to `last`, inclusive. */
export interface CidrBlock {
  /** The first address of the block (the network address). */
  readonly first: IpAddressBytes;
  /** The last address of the block. */
  readonly last: IpAddressBytes;
}

/** The outcome of reading a `cidr` value. */
export type CidrParseOutcome = { readonly ok: true; readonly block: CidrBlock } | { readonly ok: false; readonly reason: string };

/**
 * Reads a CIDR block such as `10.0.0.0/24` or `2001:db8:1234:1a00::/64`, refusing what AWS's rule
 * compiler refuses, with its wording: exactly one `/`, an integer mask, a standard IP address,
 * and (as AWS's compiler has it) at most 31 mask bits for IPv4 and 127 for IPv6.
 *
 * @param text - The value of the `cidr` operator.
 * @returns The block, or AWS's reason.
 */
export function parseCidr(text: string): CidrParseOutcome {
  const parts = text.split('/');
  // Java's String.split drops trailing empty strings, so "10.0.0.0/" has one part for AWS too.
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length !== 2) return { ok: false, reason: "Malformed CIDR, one '/' required" };
  const [addressText, maskText] = parts as [string, string];
  if (!/^[+-]?[0-9]+$/.test(maskText) || Math.abs(Number(maskText)) > 2_147_483_647) {
    return { ok: false, reason: 'Malformed CIDR, mask bits must be an integer' };
  }
  const maskBits = Number(maskText);
  if (maskBits < 0) return { ok: false, reason: 'Malformed CIDR, mask bits must not be negative' };
  const address = parseIpAddress(addressText);
  if (!address.ok) {
    return { ok: false, reason: `${address.reason === 'nonstandard' ? 'Nonstandard' : 'Invalid'} IP address: ${addressText}` };
  }
  const bytes = address.bytes;
  if (bytes.length === 4 && maskBits > 31) return { ok: false, reason: 'IPv4 mask bits must be < 32' };
  if (bytes.length === 16 && maskBits > 127) return { ok: false, reason: 'IPv6 mask bits must be < 128' };
  const last = new Uint8Array(bytes.length);
  let hostBits = bytes.length * 8 - maskBits;
  for (let i = bytes.length - 1; i >= 0; i -= 1) {
    const byte = bytes[i] as number;
    if (hostBits >= 8) last[i] = 0xff;
    else if (hostBits <= 0) last[i] = byte;
    else last[i] = byte | ((1 << hostBits) - 1);
    hostBits -= 8;
  }
  // AWS's block starts at the address as written (10.0.0.7/24 covers 10.0.0.7 to 10.0.0.255).
  return { ok: true, block: { first: bytes, last } };
}

function compareBytes(a: IpAddressBytes, b: IpAddressBytes): number {
  for (let i = 0; i < a.length; i += 1) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Whether a value from a message or event is an IP address inside a block. Non-strings and
 * strings that are not addresses (`10.0.0.256`) are never inside.
 *
 * @param block - The compiled block.
 * @param value - The candidate.
 * @returns `true` when `value` is an address of the same family inside the block.
 */
export function inCidrBlock(block: CidrBlock, value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const address = parseIpAddress(value);
  if (!address.ok || address.bytes.length !== block.first.length) return false;
  return compareBytes(address.bytes, block.first) >= 0 && compareBytes(address.bytes, block.last) <= 0;
}
