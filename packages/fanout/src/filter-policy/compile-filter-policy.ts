import type { PatternObjectAst } from '../matching/condition-ast.js';
import { isJsonObject, parseJsonText } from '../matching/json-text.js';
import { compileLeafTest } from '../matching/leaf-matcher.js';
import { SNS_DIALECT } from '../matching/matching-dialect.js';
import { compilePatternObject } from '../matching/object-matcher.js';
import { attributeValue, hasFilterableAttribute } from './attribute-values.js';
import type { FilterPolicy, FilterPolicyMessage, FilterPolicyMessageAttribute, FilterPolicyOptions } from './filter-policy-types.js';
import { InvalidFilterPolicyError } from './invalid-filter-policy-error.js';
import { readFilterPolicy, scopeOf } from './read-filter-policy.js';

type Attributes = Readonly<Record<string, FilterPolicyMessageAttribute>>;

interface AttributeNode {
  readonly test: (attributes: Attributes) => boolean;
  readonly whenAbsent: boolean;
}

const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

/** MessageAttributes scope: every key is an attribute name, taken literally (dots included). */
function compileAttributeObject(object: PatternObjectAst): AttributeNode {
  const fields = object.fields.map((field) => {
    const name = field.key;
    const leaf = compileLeafTest(field.value as Parameters<typeof compileLeafTest>[0], SNS_DIALECT);
    const guarded = name in Object.prototype;
    return {
      test: (attributes: Attributes): boolean => leaf(attributeValue(guarded && !hasOwn(attributes, name) ? undefined : attributes[name])),
      whenAbsent: leaf(undefined),
    };
  });
  const groups = object.orGroups.map((branches) => branches.map(compileAttributeObject));
  const tests = fields.map((field) => field.test);
  return {
    test: (attributes) => {
      for (const test of tests) if (!test(attributes)) return false;
      for (const branches of groups) if (!branches.some((branch) => branch.test(attributes))) return false;
      return true;
    },
    whenAbsent: fields.every((field) => field.whenAbsent) && groups.every((branches) => branches.some((branch) => branch.whenAbsent)),
  };
}

function checkMessage(message: unknown): asserts message is FilterPolicyMessage {
  if (typeof message !== 'object' || message === null) {
    throw new TypeError(`message must be an object with attributes and/or body, got ${message === null ? 'null' : typeof message}.`);
  }
}

/** The last body text parsed and its value: a router evaluates one message against many routes. */
let lastBodyText: string | undefined;
let lastBodyValue: unknown;

function parsedBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  if (body === lastBodyText) return lastBodyValue;
  const parsed = parseJsonText(body);
  lastBodyText = body;
  lastBodyValue = parsed.ok ? parsed.value : undefined;
  return lastBodyValue;
}

/**
 * Checks an SNS filter policy once and compiles it into a fast test, with SNS's semantics.
 *
 * - Keys are ANDed; the values in a key's list are ORed; `$or` takes one of its branches.
 * - **MessageAttributes** scope (default): keys are attribute names. `String` (and `String.*`)
 *   attributes are strings, `Number` (and `Number.*`) numbers compared numerically (`3.015e2`
 *   equals `301.5`), each element of a `String.Array` is matched on its own, `Binary`
 *   attributes are ignored. A message without attributes matches nothing, not even
 *   `exists: false`.
 * - **MessageBody** scope: the body must be a JSON object (text or parsed); policies nest; a
 *   dotted key `"a.b"` also matches the nested path a → b (and a body key `"a.b"`); arrays in
 *   the body are searched (an element must match all fields of a nested policy object).
 * - A string matches only a string and a number only a number; `prefix`, `suffix`, `wildcard`,
 *   `equals-ignore-case` and `cidr` only strings; `numeric` only numbers.
 * - `anything-but` matches any value present that is not excluded (for a String.Array or body
 *   array: any element not excluded, as in the SNS guide's example); never an absent key.
 * - `exists: true` needs a value that is neither `null` nor `""` (SNS guide); `exists: false`
 *   matches exactly when `exists: true` does not.
 * - An empty policy `{}` (SNS's "no filter") matches every message.
 *
 * @param policy - The policy, as an object or JSON text.
 * @param options - `scope` (default `'MessageAttributes'`).
 * @returns A test that answers whether SNS would deliver a message to the subscription.
 * @throws InvalidFilterPolicyError when SNS would refuse the policy.
 * @throws TypeError for an unknown scope; the test throws it for a message that is not an object.
 *
 * @example
 * ```ts
 * const wantsErrors = compileFilterPolicy({ status: [{ numeric: ['>=', 500] }], service: ['checkout'] });
 * wantsErrors({ attributes: { status: { DataType: 'Number', StringValue: '503' }, service: { DataType: 'String', StringValue: 'checkout' } } }); // true
 * ```
 */
export function compileFilterPolicy(policy: FilterPolicy | string, options?: FilterPolicyOptions): (message: FilterPolicyMessage) => boolean {
  const scope = scopeOf(options);
  const { validation, tree } = readFilterPolicy(policy, scope);
  if (!validation.valid) throw new InvalidFilterPolicyError(validation.problems, scope);
  if (tree.fields.length === 0 && tree.orGroups.length === 0) {
    return (message) => {
      checkMessage(message);
      return true;
    };
  }
  if (scope === 'MessageBody') {
    const root = compilePatternObject(tree, SNS_DIALECT, true);
    return (message) => {
      checkMessage(message);
      const body = parsedBody(message.body);
      return isJsonObject(body) && root.test(body);
    };
  }
  const root = compileAttributeObject(tree);
  const needsAnAttribute = root.whenAbsent;
  return (message) => {
    checkMessage(message);
    const attributes = message.attributes;
    if (typeof attributes !== 'object' || attributes === null) return false;
    if (needsAnAttribute && !hasFilterableAttribute(attributes)) return false;
    return root.test(attributes);
  };
}

/** Compiled policies given as text (immutable, so safe to reuse), most recent last. */
const compiledTexts = new Map<string, (message: FilterPolicyMessage) => boolean>();
const MAX_CACHED_TEXTS = 64;

/**
 * Whether SNS would deliver `message` to a subscription with `policy` (see
 * {@link compileFilterPolicy} for the semantics). Checks the policy first, on every call for an
 * object policy: compile once with {@link compileFilterPolicy} to evaluate many messages.
 *
 * @param policy - The policy, as an object or JSON text.
 * @param message - The message's attributes and/or body.
 * @param options - `scope` (default `'MessageAttributes'`).
 * @returns `true` when the policy matches.
 * @throws InvalidFilterPolicyError when SNS would refuse the policy.
 *
 * @example
 * ```ts
 * matchesFilterPolicy({ event: [{ prefix: 'order-' }] }, { body: '{"event":"order-placed"}' }, { scope: 'MessageBody' }); // true
 * ```
 */
export function matchesFilterPolicy(policy: FilterPolicy | string, message: FilterPolicyMessage, options?: FilterPolicyOptions): boolean {
  if (typeof policy !== 'string') return compileFilterPolicy(policy, options)(message);
  const key = `${scopeOf(options)}\u0000${policy}`;
  let compiled = compiledTexts.get(key);
  if (compiled === undefined) {
    compiled = compileFilterPolicy(policy, options);
    if (compiledTexts.size >= MAX_CACHED_TEXTS) compiledTexts.delete(compiledTexts.keys().next().value as string);
  } else {
    compiledTexts.delete(key);
  }
  compiledTexts.set(key, compiled);
  return compiled(message);
}
