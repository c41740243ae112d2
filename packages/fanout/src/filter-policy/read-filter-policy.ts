import type { PatternObjectAst } from '../matching/condition-ast.js';
import { describeNonPlainObject, isJsonObject, isPlainObject, parseJsonText } from '../matching/json-text.js';
import { SNS_DIALECT } from '../matching/matching-dialect.js';
import type { ProblemSink } from '../matching/parse-condition.js';
import { readPatternObject } from '../matching/read-pattern-object.js';
import {
  SNS_MAX_FILTER_POLICY_BYTES,
  SNS_MAX_FILTER_POLICY_COMBINATIONS,
  SNS_MAX_FILTER_POLICY_KEYS,
  countFilterPolicyCombinations,
  countFilterPolicyKeys,
} from './filter-policy-limits.js';
import type { FilterPolicyScope, FilterPolicyValidation } from './filter-policy-types.js';

/** A filter policy once read: its validation, and its tree when valid. */
export interface ReadFilterPolicy {
  /** What {@link validateFilterPolicy} returns. */
  readonly validation: FilterPolicyValidation;
  /** The policy's tree; use it only when `validation.valid`. */
  readonly tree: PatternObjectAst;
}

const EMPTY: PatternObjectAst = { fields: [], orGroups: [] };

/**
 * Checks the scope option the way every public function does.
 *
 * @param options - The caller's options.
 * @returns The scope (default MessageAttributes).
 * @throws TypeError for anything but the two scopes.
 */
export function scopeOf(options: { readonly scope?: unknown } | undefined): FilterPolicyScope {
  const scope = options?.scope ?? 'MessageAttributes';
  if (scope !== 'MessageAttributes' && scope !== 'MessageBody') {
    throw new TypeError(`scope must be "MessageAttributes" or "MessageBody", got ${JSON.stringify(scope) ?? String(scope)}.`);
  }
  return scope;
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * Reads and checks a filter policy (object or JSON text) for a scope.
 *
 * @param policy - The policy.
 * @param scope - The scope it is for.
 * @returns Its validation and tree.
 */
export function readFilterPolicy(policy: unknown, scope: FilterPolicyScope): ReadFilterPolicy {
  const sink: ProblemSink = { problems: [], warnings: [] };
  const done = (tree: PatternObjectAst, combinations: number, keyCount: number): ReadFilterPolicy => ({
    validation: { valid: sink.problems.length === 0, problems: sink.problems, warnings: sink.warnings, combinations, keyCount },
    tree,
  });
  let value = policy;
  let text: string | undefined;
  if (typeof policy === 'string') {
    text = policy;
    const parsed = parseJsonText(policy);
    if (!parsed.ok) {
      sink.problems.push({ path: '', message: `failed to parse JSON. ${parsed.reason}` });
      return done(EMPTY, 0, 0);
    }
    value = parsed.value;
  }
  if (!isPlainObject(value)) {
    const message = isJsonObject(value)
      ? `Filter policy must be a plain object or JSON text, not ${describeNonPlainObject(value)}`
      : 'Filter is not an object';
    sink.problems.push({ path: '', message });
    return done(EMPTY, 0, 0);
  }
  if (text === undefined) {
    try {
      text = JSON.stringify(value);
    } catch {
      // Cycles and BigInts: reading the policy below reports what is wrong with it.
    }
  }
  if (text !== undefined && byteLength(text) > SNS_MAX_FILTER_POLICY_BYTES) {
    sink.problems.push({ path: '', message: `Filter policy is too long: ${byteLength(text)} bytes of JSON, the most is ${SNS_MAX_FILTER_POLICY_BYTES}` });
  }
  // An empty policy ({}) is what SNS stores to mean "no filtering": every message matches.
  if (Object.values(value).every((item) => item === undefined)) return done(EMPTY, 1, 0);
  const tree = readPatternObject(
    value,
    {
      dialect: SNS_DIALECT,
      nestingRefusedReason: scope === 'MessageAttributes' ? 'Filter policy scope MessageAttributes does not support nested filter policy' : undefined,
    },
    sink,
  );
  const keyCount = countFilterPolicyKeys(tree);
  const combinations = countFilterPolicyCombinations(tree);
  if (keyCount > SNS_MAX_FILTER_POLICY_KEYS) {
    sink.problems.push({
      path: '',
      message: `Filter policy can not have more than ${SNS_MAX_FILTER_POLICY_KEYS} keys (it has ${keyCount}${scope === 'MessageBody' ? ' top-level keys' : ''})`,
    });
  }
  if (combinations > SNS_MAX_FILTER_POLICY_COMBINATIONS) {
    sink.problems.push({
      path: '',
      message: `Filter policy is too complex (${combinations} value combinations, the most is ${SNS_MAX_FILTER_POLICY_COMBINATIONS})`,
    });
  }
  return done(tree, combinations, keyCount);
}
