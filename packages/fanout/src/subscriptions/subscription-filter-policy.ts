import type { FilterPolicyScope } from './subscription-attributes.js';

/** An SNS subscription filter policy, as a JSON object (for example `{ "kind": ["order-placed"] }`). */
export type SubscriptionFilterPolicy = Readonly<Record<string, unknown>>;

/**
 * Checks a filter policy before any AWS call and returns it as the JSON text SNS takes, or
 * `undefined` when there is none (omitted, or `{}`: SNS's "no filter policy").
 *
 * @param policy - The policy given.
 * @param scope - Its scope.
 * @param where - The calling function, for messages.
 * @returns The JSON text, or `undefined`.
 * @internal
 */
export function checkedFilterPolicy(
  policy: SubscriptionFilterPolicy | undefined,
  scope: FilterPolicyScope,
  where: string,
): string | undefined {
  if (policy === undefined) return undefined;
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) {
    throw new TypeError(`${where}: filterPolicy must be a JSON object such as { "kind": ["order-placed"] }, got ${JSON.stringify(policy)}.`);
  }
  if (Object.keys(policy).length === 0) return undefined;
  void scope; // TODO(filter-policy): validateFilterPolicy(policy, { scope }) once packages/fanout/src/filter-policy lands.
  return JSON.stringify(policy);
}
