import { type FilterPolicy, matchesFilterPolicy } from '@herald/fanout';

/**
 * Whether SNS, by its documented semantics, delivers a message with this body to a
 * subscription with this MessageBody-scope filter policy, decided locally by
 * `matchesFilterPolicy` from @herald/fanout.
 *
 * @param policy - The subscription's filter policy.
 * @param body - The published message text.
 * @returns `true` when the policy selects the message.
 */
export function evaluatorSelects(policy: FilterPolicy, body: string): boolean {
  return matchesFilterPolicy(policy, { body }, { scope: 'MessageBody' });
}
