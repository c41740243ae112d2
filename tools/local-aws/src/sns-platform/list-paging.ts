import { invalidParameter } from './platform-errors.js';

/** One page of a list answer. */
export interface ListPage<T> {
  /** The items on this page. */
  readonly items: T[];
  /** The `NextToken` to send for the next page, or `undefined` on the last page. */
  readonly nextToken: string | undefined;
}

const TOKEN_PREFIX = 'local-aws:';

/**
 * Pages through items in creation order the way SNS list actions do: at most `pageSize` items
 * and a `NextToken` while more remain. The token names the creation number of the next item, so
 * items deleted between two calls never make the next page skip one.
 *
 * @param items - Every item, in creation order.
 * @param seqOf - An item's creation number.
 * @param nextToken - The request's `NextToken`, if any.
 * @param pageSize - Largest page (SNS: 100 endpoints, 15 applications).
 * @returns The page.
 */
export function pageOf<T>(
  items: readonly T[],
  seqOf: (item: T) => number,
  nextToken: string | undefined,
  pageSize: number,
): ListPage<T> {
  let from = 0;
  if (nextToken !== undefined && nextToken !== '') {
    const decoded = Buffer.from(nextToken, 'base64url').toString('utf8');
    const seq = decoded.startsWith(TOKEN_PREFIX) ? Number(decoded.slice(TOKEN_PREFIX.length)) : Number.NaN;
    if (!Number.isSafeInteger(seq)) throw invalidParameter('Invalid parameter: NextToken');
    from = seq;
  }
  const remaining = items.filter((item) => seqOf(item) >= from);
  const page = remaining.slice(0, pageSize);
  const next = remaining[pageSize];
  return {
    items: page,
    nextToken: next === undefined ? undefined : Buffer.from(`${TOKEN_PREFIX}${seqOf(next)}`, 'utf8').toString('base64url'),
  };
}
