import { utf8ByteLength } from '@herald/core';
import type { EventBridgeEntry } from './eventbridge-types.js';

/** What a `Time` counts, whatever its value, in EventBridge's size calculation. */
const TIME_BYTES = 14;

/**
 * Size of a `PutEvents` entry as EventBridge calculates it against its 256 KB limit: 14 bytes
 * if `Time` is set, plus the UTF-8 bytes of `Source`, `DetailType`, `Detail` and each of
 * `Resources`. `EventBusName` and `TraceHeader` do not count.
 *
 * Fields that are not strings count as 0, so the result is always a finite number.
 *
 * @param entry - The entry.
 * @returns Its size in bytes.
 *
 * @example
 * ```ts
 * eventBridgeEntrySize({ Source: 'shop', DetailType: 'OrderPlaced', Detail: '{}', Time: new Date() }); // 14 + 4 + 11 + 2
 * ```
 */
export function eventBridgeEntrySize(entry: EventBridgeEntry): number {
  let bytes = entry.Time === undefined || entry.Time === null ? 0 : TIME_BYTES;
  for (const field of [entry.Source, entry.DetailType, entry.Detail] as unknown[]) {
    if (typeof field === 'string') bytes += utf8ByteLength(field);
  }
  const resources: unknown = entry.Resources;
  if (Array.isArray(resources)) {
    for (const resource of resources as unknown[]) {
      if (typeof resource === 'string') bytes += utf8ByteLength(resource);
    }
  }
  return bytes;
}
