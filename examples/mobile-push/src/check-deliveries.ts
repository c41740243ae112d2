import type { PushServiceDelivery } from './push-service-control.js';

/** A delivery that reached someone it was not meant for. */
export interface MisdirectedDelivery {
  /** The user the notification was for. */
  readonly meantFor: string;
  /** Who holds the device it reached (`nobody` for a token no one holds any more). */
  readonly reached: string;
  /** The redacted token. */
  readonly token: string;
}

/**
 * Reads the user a payload was meant for: the `forUser` data key, top level in an APNs payload,
 * in `fcmV1Message.message.data` in an FCM one.
 *
 * @param delivery - The delivery.
 * @returns The user, or `undefined` when the payload has none.
 */
export function meantFor(delivery: PushServiceDelivery): string | undefined {
  try {
    const payload = JSON.parse(delivery.payload) as Record<string, unknown>;
    if (delivery.platform === 'GCM') {
      const message = (payload['fcmV1Message'] as { message?: { data?: Record<string, unknown> } } | undefined)?.message;
      const value = message?.data?.['forUser'];
      return typeof value === 'string' ? value : undefined;
    }
    return typeof payload['forUser'] === 'string' ? payload['forUser'] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks every delivered notification against who really holds the device (the story's truth,
 * not the registry's view): a notification for user X must only reach tokens X holds.
 *
 * @param deliveries - What the push service delivered.
 * @param holderOf - Who holds each token now (`undefined`: nobody).
 * @param redact - How to show a token.
 * @returns Every misdirected delivery (empty when all is well).
 */
export function findMisdirected(
  deliveries: readonly PushServiceDelivery[],
  holderOf: (token: string) => string | undefined,
  redact: (token: string) => string,
): MisdirectedDelivery[] {
  const wrong: MisdirectedDelivery[] = [];
  for (const delivery of deliveries) {
    if (delivery.outcome !== 'delivered') continue;
    const user = meantFor(delivery) ?? '(unknown)';
    const holder = holderOf(delivery.token);
    if (holder !== user) wrong.push({ meantFor: user, reached: holder ?? 'nobody', token: redact(delivery.token) });
  }
  return wrong;
}
