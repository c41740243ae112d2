import { type FilterPolicy, type FilterPolicyScope, InvalidFilterPolicyError, validateFilterPolicy } from '../filter-policy/index.js';

/**
 * Checks a filter policy before any AWS call, with `validateFilterPolicy` (what SNS would refuse
 * is refused here, with a path to the offending part), and returns it as the JSON text SNS
 * takes, or `undefined` when there is none (omitted, or `{}`: SNS's "no filter policy").
 *
 * @param policy - The policy given.
 * @param scope - Its scope.
 * @param where - The calling function, for messages.
 * @returns The JSON text, or `undefined`.
 * @throws `InvalidFilterPolicyError` for a policy SNS would refuse.
 * @internal
 */
export function checkedFilterPolicy(policy: FilterPolicy | undefined, scope: FilterPolicyScope, where: string): string | undefined {
  if (policy === undefined) return undefined;
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) {
    throw new TypeError(`${where}: filterPolicy must be a JSON object such as { "kind": ["order-placed"] }, got ${JSON.stringify(policy)}.`);
  }
  // Checked before the empty test: a Date, Map or class instance has no own keys either.
  const validation = validateFilterPolicy(policy, { scope });
  if (!validation.valid) throw new InvalidFilterPolicyError(validation.problems, scope);
  if (Object.keys(policy).length === 0) return undefined;
  return JSON.stringify(policy);
}
