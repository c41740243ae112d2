import type { PatternObjectAst } from '../matching/condition-ast.js';

/** Most value combinations SNS accepts in one filter policy. */
export const SNS_MAX_FILTER_POLICY_COMBINATIONS = 150;
/** Most keys SNS accepts in one filter policy (every attribute name; in MessageBody scope, the top-level keys). */
export const SNS_MAX_FILTER_POLICY_KEYS = 5;
/** Largest filter policy SNS accepts, in UTF-8 bytes of its JSON text (256 KiB). */
export const SNS_MAX_FILTER_POLICY_BYTES = 262_144;

/**
 * Counts a policy's value combinations the way SNS does: each list contributes its number of
 * values times its nesting depth (1 at the top level), the contributions multiply, and an `$or`
 * multiplies by the sum of its branches. SNS refuses more than 150.
 *
 * This reproduces every count AWS was recorded refusing or accepting (151 values; 100 × 51; `$or`
 * policies counting 150 and 152; a nested policy counting 3×4 × 2×3 × 1×3 = 216).
 *
 * @param object - The policy, read.
 * @param depth - Nesting depth of `object` (1 for the policy itself).
 * @returns The number of combinations.
 */
export function countFilterPolicyCombinations(object: PatternObjectAst, depth = 1): number {
  let combinations = 1;
  for (const field of object.fields) {
    combinations *= Array.isArray(field.value)
      ? field.value.length * depth
      : countFilterPolicyCombinations(field.value as PatternObjectAst, depth + 1);
  }
  for (const branches of object.orGroups) {
    combinations *= branches.reduce((sum, branch) => sum + countFilterPolicyCombinations(branch, depth), 0);
  }
  return combinations;
}

/**
 * Counts the keys SNS limits to 5: the distinct keys at the policy's top level, including those of
 * top-level `$or` branches. In MessageAttributes scope every key is at the top level (nesting is
 * refused there), so every attribute name counts; in MessageBody scope, keys nested under a
 * top-level key do not count, as the current SNS guide says (an older version counted leaf keys).
 *
 * @param object - The policy, read.
 * @returns The number of keys counted.
 */
export function countFilterPolicyKeys(object: PatternObjectAst): number {
  const keys = new Set<string>();
  const visit = (level: PatternObjectAst): void => {
    for (const field of level.fields) keys.add(field.key);
    for (const branches of level.orGroups) branches.forEach(visit);
  };
  visit(object);
  return keys.size;
}
