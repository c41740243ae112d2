import { stableStringify } from '@herald/core';
import type { FilterPolicyScope } from '../filter-policy/index.js';

/** The subscription attributes `subscribeQueue` manages. */
export type ManagedSubscriptionAttribute = 'FilterPolicy' | 'FilterPolicyScope' | 'RawMessageDelivery';

/** What the subscription should look like. @internal */
export interface DesiredSubscriptionAttributes {
  /** The filter policy as JSON text, or `undefined` for none. */
  readonly filterPolicy: string | undefined;
  /** The scope (only applied with a filter policy). */
  readonly scope: FilterPolicyScope;
  /** Raw message delivery. */
  readonly raw: boolean;
}

/** One `SetSubscriptionAttributes` call to make. @internal */
export interface AttributeChange {
  /** The attribute. */
  readonly name: ManagedSubscriptionAttribute;
  /** Its new value. */
  readonly value: string;
}

/** SNS's way to remove a filter policy: overwrite it with an empty JSON object. */
const NO_FILTER_POLICY = '{}';

/** The filter policy as a canonical string, or `undefined` for none (absent, `''` or `{}`). */
function canonicalPolicy(text: string | undefined): string | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && Object.keys(parsed).length === 0) {
      return undefined;
    }
    return stableStringify(parsed);
  } catch {
    return text;
  }
}

/**
 * The attributes to pass to `Subscribe` for a new subscription.
 *
 * @param desired - What the subscription should look like.
 * @returns The `Attributes` map.
 * @internal
 */
export function subscribeAttributes(desired: DesiredSubscriptionAttributes): Record<string, string> {
  return {
    ...(desired.filterPolicy === undefined ? {} : { FilterPolicy: desired.filterPolicy, FilterPolicyScope: desired.scope }),
    ...(desired.raw ? { RawMessageDelivery: 'true' } : {}),
  };
}

/**
 * The `SetSubscriptionAttributes` calls that turn `current` into `desired`, in a safe order:
 * when the scope changes to `MessageBody` the scope goes first (a nested policy is refused under
 * `MessageAttributes`); when it changes to `MessageAttributes` the policy goes first (a flat
 * policy is valid under both). Removing the filter policy writes `{}` and leaves the scope.
 *
 * @param current - The subscription's attributes (`GetSubscriptionAttributes`).
 * @param desired - What the subscription should look like.
 * @returns The calls to make; empty when nothing differs.
 * @internal
 */
export function attributeChanges(
  current: Readonly<Record<string, string | undefined>>,
  desired: DesiredSubscriptionAttributes,
): AttributeChange[] {
  const changes: AttributeChange[] = [];
  const currentPolicy = canonicalPolicy(current['FilterPolicy']);
  const desiredPolicy = canonicalPolicy(desired.filterPolicy);
  if (desired.filterPolicy !== undefined && desiredPolicy !== undefined) {
    const currentScope = current['FilterPolicyScope'] ?? 'MessageAttributes';
    const policy: AttributeChange[] =
      currentPolicy === desiredPolicy ? [] : [{ name: 'FilterPolicy', value: desired.filterPolicy }];
    if (currentScope === desired.scope) changes.push(...policy);
    else if (desired.scope === 'MessageBody') changes.push({ name: 'FilterPolicyScope', value: desired.scope }, ...policy);
    else changes.push(...policy, { name: 'FilterPolicyScope', value: desired.scope });
  } else if (currentPolicy !== undefined) {
    changes.push({ name: 'FilterPolicy', value: NO_FILTER_POLICY });
  }
  const currentRaw = current['RawMessageDelivery'] === 'true';
  if (currentRaw !== desired.raw) changes.push({ name: 'RawMessageDelivery', value: String(desired.raw) });
  return changes;
}
