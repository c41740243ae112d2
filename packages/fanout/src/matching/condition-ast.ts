import type { CidrBlock } from './cidr.js';
import type { NumericRange } from './numeric-range.js';
import type { WildcardPattern } from './wildcard.js';

/** A value a filter policy or event pattern can match exactly, and a leaf value of a message or event. */
export type ScalarValue = string | number | boolean | null;

/** What `anything-but` excludes, once read. */
export type AnythingButAst =
  | { readonly kind: 'values'; readonly strings: readonly string[]; readonly numbers: readonly number[] }
  | { readonly kind: 'prefix' | 'suffix' | 'equals-ignore-case'; readonly values: readonly string[] }
  | { readonly kind: 'wildcard'; readonly patterns: readonly WildcardPattern[] };

/** One value of a field's list, once read and checked: the unit the matchers are compiled from. */
export type ConditionAst =
  | { readonly kind: 'exact'; readonly value: ScalarValue }
  | { readonly kind: 'prefix' | 'suffix'; readonly value: string; readonly ignoreCase: boolean }
  | { readonly kind: 'equals-ignore-case'; readonly value: string }
  | { readonly kind: 'wildcard'; readonly pattern: WildcardPattern }
  | { readonly kind: 'numeric'; readonly range: NumericRange }
  | { readonly kind: 'exists'; readonly value: boolean }
  | { readonly kind: 'cidr'; readonly block: CidrBlock }
  | { readonly kind: 'anything-but'; readonly exclusion: AnythingButAst };

/** A field of a pattern object: its own key (dots not yet split) and either conditions or a nested object. */
export interface PatternFieldAst {
  /** The key as written in the policy or pattern. */
  readonly key: string;
  /** The conditions (OR) of a leaf field, or the nested object of an inner one. */
  readonly value: readonly ConditionAst[] | PatternObjectAst;
}

/** A pattern object once read: every field must match (AND), and one branch of each `$or` group. */
export interface PatternObjectAst {
  /** The fields, in the order written. */
  readonly fields: readonly PatternFieldAst[];
  /** Each `$or` of this object: a list of alternative objects read at the same level. */
  readonly orGroups: readonly (readonly PatternObjectAst[])[];
}
