import type { ConditionAst, PatternObjectAst } from './condition-ast.js';
import { type LeafTest, compileLeafTest } from './leaf-matcher.js';
import type { MatchingDialect } from './matching-dialect.js';
import { someNestedElement } from './nested-arrays.js';

/** A compiled pattern object: its test over the value at its path, and its answer when nothing is there. */
export interface CompiledNode {
  /** Whether the value at the object's path (an object, an array of them, or anything else) matches. */
  readonly test: (value: unknown) => boolean;
  /** The answer when the path holds nothing: `true` only if every field accepts absence (`exists: false`). */
  readonly whenAbsent: boolean;
}

/** A pattern object with its keys split into path steps, fields on the same path merged. */
interface TrieNode {
  readonly children: Map<string, TrieNode>;
  leaf: readonly ConditionAst[] | undefined;
  readonly orGroups: (readonly PatternObjectAst[])[];
}

function newNode(): TrieNode {
  return { children: new Map(), leaf: undefined, orGroups: [] };
}

/**
 * Adds a pattern object to a trie node. With `splitDots`, the key `"a.b"` is the same path as
 * `{ "a": { "b": ... } }` (AWS joins nested keys with dots); a later list for the same path
 * replaces an earlier one, as AWS's compiler does.
 */
function insert(node: TrieNode, object: PatternObjectAst, splitDots: boolean): void {
  for (const field of object.fields) {
    let target = node;
    for (const step of splitDots ? field.key.split('.') : [field.key]) {
      let next = target.children.get(step);
      if (next === undefined) {
        next = newNode();
        target.children.set(step, next);
      }
      target = next;
    }
    if (Array.isArray(field.value)) target.leaf = field.value as readonly ConditionAst[];
    else insert(target, field.value as PatternObjectAst, splitDots);
  }
  node.orGroups.push(...object.orGroups);
}

const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

interface CompileContext {
  readonly dialect: MatchingDialect;
  readonly splitDots: boolean;
}

function compileField(step: string, child: TrieNode, context: CompileContext): { test: (object: Record<string, unknown>) => boolean; whenAbsent: boolean } {
  const leaf: LeafTest | undefined = child.leaf === undefined ? undefined : compileLeafTest(child.leaf, context.dialect);
  const inner = child.children.size > 0 || child.orGroups.length > 0 ? compileTrie(child, context) : undefined;
  const whenAbsent = (leaf === undefined || leaf(undefined)) && (inner === undefined || inner.whenAbsent);
  // "constructor", "__proto__" and the like would otherwise be found on every object's prototype.
  const guarded = step in Object.prototype;
  const prefix = `${step}.`;

  /**
   * Event keys with dots: `{ "a.b": 1 }` is the path a → b too. Only looked for when the plain
   * lookup did not match, so events without such keys pay nothing.
   */
  const withDottedKeys = (object: Record<string, unknown>, own: unknown): boolean => {
    let merged: Record<string, unknown> | undefined;
    for (const key in object) {
      if (key.length <= prefix.length || !key.startsWith(prefix)) continue;
      if (merged === undefined) {
        merged = Object.create(null) as Record<string, unknown>;
        if (typeof own === 'object' && own !== null && !Array.isArray(own)) Object.assign(merged, own);
      }
      const rest = key.slice(prefix.length);
      merged[rest] = rest in merged ? [merged[rest], object[key]] : object[key];
    }
    return merged !== undefined && (inner as CompiledNode).test(merged);
  };

  const test = (object: Record<string, unknown>): boolean => {
    const value = guarded && !hasOwn(object, step) ? undefined : object[step];
    if (leaf !== undefined && !leaf(value)) return false;
    if (inner === undefined || inner.test(value)) return true;
    return context.splitDots && withDottedKeys(object, value);
  };
  return { test, whenAbsent };
}

function compileTrie(node: TrieNode, context: CompileContext): CompiledNode {
  const fields = [...node.children].map(([step, child]) => compileField(step, child, context));
  const groups = node.orGroups.map((branches) => branches.map((branch) => compilePatternObject(branch, context.dialect, context.splitDots)));
  const whenAbsent = fields.every((field) => field.whenAbsent) && groups.every((branches) => branches.some((branch) => branch.whenAbsent));
  const fieldTests = fields.map((field) => field.test);
  const testElement = (value: unknown): boolean => {
    if (typeof value !== 'object' || value === null) return whenAbsent;
    const object = value as Record<string, unknown>;
    for (const fieldTest of fieldTests) if (!fieldTest(object)) return false;
    for (const branches of groups) {
      let any = false;
      for (const branch of branches) {
        if (branch.test(object)) {
          any = true;
          break;
        }
      }
      if (!any) return false;
    }
    return true;
  };
  const test = (value: unknown): boolean => {
    if (!Array.isArray(value)) return testElement(value);
    // Every field of this object must match inside the same element (AWS's array-consistent
    // matching); arrays of arrays are flattened, without recursion (bodies can nest deeply).
    if (value.length === 0) return whenAbsent;
    return someNestedElement(value, testElement, whenAbsent);
  };
  return { test, whenAbsent };
}

/**
 * Compiles a pattern object (a filter policy in MessageBody scope, or an event pattern) into a
 * test over the parsed message body or event.
 *
 * Fields are ANDed, a field's values ORed. Arrays in the event are searched: an object pattern
 * matches if one element matches all of its fields, a leaf field if one element matches one of
 * its values. With `splitDots`, dotted keys on either side name nested paths, as AWS's
 * compiler treats them.
 *
 * @param object - The pattern object, read without problems.
 * @param dialect - The service's rules.
 * @param splitDots - Whether `"a.b"` means the path a → b.
 * @returns The compiled node.
 */
export function compilePatternObject(object: PatternObjectAst, dialect: MatchingDialect, splitDots: boolean): CompiledNode {
  const root = newNode();
  insert(root, object, splitDots);
  return compileTrie(root, { dialect, splitDots });
}
