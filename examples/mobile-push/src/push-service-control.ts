/**
 * The local push service's test hooks, reached over HTTP: tools/local-aws answers these
 * awsQuery actions itself (they are not SNS actions). They exist only on a local endpoint.
 */

/** One message SNS accepted for a platform endpoint, as the local push service saw it. */
export interface PushServiceDelivery {
  /** SNS's MessageId. */
  readonly messageId: string;
  /** The endpoint published to. */
  readonly endpointArn: string;
  /** `APNS`, `APNS_SANDBOX` or `GCM`. */
  readonly platform: string;
  /** The device token it went to. */
  readonly token: string;
  /** The payload SNS handed the platform (the value of its key in the JSON message). */
  readonly payload: string;
  /** `delivered`, or `rejected` when the push service refused the token. */
  readonly outcome: 'delivered' | 'rejected';
}

/** What the example needs from the push service. */
export interface PushServiceControl {
  /** Makes the push service refuse a token from now on (as for an uninstalled app). */
  rejectToken(token: string): Promise<void>;
  /** Every message accepted for an endpoint so far. */
  deliveries(): Promise<PushServiceDelivery[]>;
  /** Forgets the deliveries recorded so far. */
  clearDeliveries(): Promise<void>;
}

async function call(endpoint: string, action: string, fields: Record<string, string> = {}): Promise<unknown> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ Action: action, ...fields }).toString(),
  });
  const text = await response.text();
  if (!response.ok || !(response.headers.get('content-type') ?? '').includes('application/json')) {
    throw new Error(
      `${endpoint} did not answer ${action} as tools/local-aws does (HTTP ${response.status}). This example needs the local endpoint: run it with pnpm example mobile-push.`,
    );
  }
  return JSON.parse(text) as unknown;
}

/**
 * The push-service hooks of the local-aws at `endpoint`.
 *
 * @param endpoint - The local endpoint (AWS_ENDPOINT_URL).
 * @returns The control.
 */
export function localPushServiceControl(endpoint: string): PushServiceControl {
  return {
    async rejectToken(token) {
      await call(endpoint, 'LocalAwsPushRejectToken', { Token: token });
    },
    async deliveries() {
      const answer = (await call(endpoint, 'LocalAwsPushDeliveries')) as { deliveries?: PushServiceDelivery[] };
      return answer.deliveries ?? [];
    },
    async clearDeliveries() {
      await call(endpoint, 'LocalAwsPushClearDeliveries');
    },
  };
}
