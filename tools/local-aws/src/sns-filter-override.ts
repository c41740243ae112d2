/** Where a subscription's filter policy applies, as SNS's `FilterPolicyScope` attribute says. */
export type SnsFilterPolicyScope = 'MessageAttributes' | 'MessageBody';

/** A published message as a filter policy sees it. */
export interface SnsFilteredMessage {
  /** The message attributes (`DataType` and `StringValue`; binary values are left out). */
  readonly attributes: Readonly<Record<string, { readonly DataType: string; readonly StringValue?: string }>>;
  /** The message body as published. */
  readonly body: string;
}

/**
 * Decides whether a message reaches a subscription with this filter policy, e.g.
 * `(policy, message, scope) => matchesFilterPolicy(policy, message, { scope })` from
 * @herald/fanout. Throwing counts as "delivered" (as fauxqs does with a policy it cannot read)
 * and is reported through `onError`.
 */
export type FilterPolicyMatcher = (policy: string, message: SnsFilteredMessage, scope: SnsFilterPolicyScope) => boolean;

/** The parts of fauxqs's SnsStore this override touches. */
interface FauxqsSubscription {
  readonly confirmed: boolean;
  readonly attributes: Readonly<Record<string, string | undefined>>;
}
interface SpyEvent {
  readonly service?: string;
  readonly body?: unknown;
  readonly messageAttributes?: Readonly<Record<string, { DataType?: unknown; StringValue?: unknown }>>;
}
/** fauxqs's SnsStore, as far as this override uses it. */
export interface OverridableSnsStore {
  spy?: { addMessage(event: SpyEvent): void } | undefined;
  getSubscription(arn: string): FauxqsSubscription | undefined;
}

function attributesOf(event: SpyEvent): SnsFilteredMessage['attributes'] {
  const attributes: Record<string, { DataType: string; StringValue?: string }> = {};
  for (const [name, value] of Object.entries(event.messageAttributes ?? {})) {
    if (typeof value.DataType !== 'string') continue;
    attributes[name] = typeof value.StringValue === 'string'
      ? { DataType: value.DataType, StringValue: value.StringValue }
      : { DataType: value.DataType };
  }
  return attributes;
}

/**
 * Makes fauxqs decide filter-policy delivery with `matcher` instead of its own evaluator, which
 * differs from SNS in many places (docs/emulator-divergences.md lists them; arrays in a
 * `MessageBody`-scoped message, as in every S3 event notification, never match).
 *
 * fauxqs 1.9.2 reports each message to `snsStore.spy.addMessage` just before it fans that
 * message out, synchronously, to `snsStore.getSubscription(arn)` of each subscription. So the
 * spy records the message being fanned out, and `getSubscription` answers, for a subscription
 * with a filter policy, a copy without the policy (delivered) or an unconfirmed copy (skipped).
 * The record is dropped in a microtask, so only that synchronous fan-out sees it: every other
 * caller of `getSubscription` (GetSubscriptionAttributes, Unsubscribe…) gets the stored
 * subscription unchanged.
 *
 * @param store - The SnsStore fauxqs was built with (no message spies of fauxqs's own).
 * @param matcher - The evaluator.
 * @param onError - Told when the matcher throws.
 */
export function overrideSnsFilterPolicies(
  store: OverridableSnsStore,
  matcher: FilterPolicyMatcher,
  onError: (error: unknown) => void = () => {},
): void {
  let current: SnsFilteredMessage | undefined;
  store.spy = {
    addMessage(event) {
      if (event.service !== 'sns' || typeof event.body !== 'string') return;
      const message: SnsFilteredMessage = { body: event.body, attributes: attributesOf(event) };
      current = message;
      queueMicrotask(() => {
        if (current === message) current = undefined;
      });
    },
  };
  const stored = store.getSubscription.bind(store);
  store.getSubscription = (arn) => {
    const subscription = stored(arn);
    const policy = subscription?.attributes['FilterPolicy'];
    if (subscription === undefined || current === undefined || policy === undefined || policy === '') return subscription;
    const scope: SnsFilterPolicyScope = subscription.attributes['FilterPolicyScope'] === 'MessageBody' ? 'MessageBody' : 'MessageAttributes';
    let delivered: boolean;
    try {
      delivered = matcher(policy, current, scope);
    } catch (error) {
      onError(error);
      delivered = true;
    }
    const { FilterPolicy: _dropped, ...rest } = subscription.attributes;
    return delivered ? { ...subscription, attributes: rest } : { ...subscription, confirmed: false };
  };
}
