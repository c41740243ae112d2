import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EventPatternMatcher, EventPatternValidator } from './eventbridge-rules.js';
import { LocalAwsConfigError } from './fault-options.js';
import type { FilterPolicyMatcher, SnsFilteredMessage, SnsFilterPolicyScope } from './sns-filter-override.js';

/**
 * The evaluators local-aws can use, with the names and shapes `@herald/fanout` exports them
 * under (local-aws cannot depend on that package: its tests depend on local-aws).
 */
export interface FilterAndPatternEvaluators {
  /** SNS filter-policy evaluation. */
  matchesFilterPolicy(policy: string, message: SnsFilteredMessage, options: { scope: SnsFilterPolicyScope }): boolean;
  /** EventBridge event-pattern evaluation. */
  matchesEventPattern(pattern: unknown, event: unknown): boolean;
  /** EventBridge event-pattern validation: a pattern with problems is refused by `PutRule`. */
  validateEventPattern(pattern: unknown): { readonly problems: readonly { readonly message: string }[] };
}

/** The start options {@link evaluatorOptions} fills in. */
export interface EvaluatorOptions {
  /** See `LocalAwsOptions.filterPolicyMatcher`. */
  readonly filterPolicyMatcher: FilterPolicyMatcher;
  /** See `LocalAwsOptions.eventPatternMatcher`. */
  readonly eventPatternMatcher: EventPatternMatcher;
  /** See `LocalAwsOptions.eventPatternValidator`. */
  readonly eventPatternValidator: EventPatternValidator;
}

/**
 * Start options that make local-aws filter SNS deliveries and evaluate EventBridge rules with
 * the given evaluators, e.g. `startLocalAws({ ...evaluatorOptions(await import('@herald/fanout')) })`.
 *
 * @param evaluators - `@herald/fanout`, or anything with the same three functions.
 * @returns `filterPolicyMatcher`, `eventPatternMatcher` and `eventPatternValidator`.
 */
export function evaluatorOptions(evaluators: FilterAndPatternEvaluators): EvaluatorOptions {
  return {
    filterPolicyMatcher: (policy, message, scope) => evaluators.matchesFilterPolicy(policy, message, { scope }),
    eventPatternMatcher: (pattern, event) => evaluators.matchesEventPattern(pattern, event),
    eventPatternValidator: (pattern) => evaluators.validateEventPattern(pattern).problems[0]?.message,
  };
}

/**
 * Imports a module that exports the three evaluators (for example the built
 * `packages/fanout/dist/index.js`) and returns {@link evaluatorOptions} for it.
 *
 * @param modulePath - A file path (relative to the working directory) or a package name.
 * @returns The start options.
 * @throws {@link LocalAwsConfigError} when the module cannot be loaded or lacks a function.
 */
export async function loadEvaluatorOptions(modulePath: string): Promise<EvaluatorOptions> {
  const specifier = modulePath.startsWith('.') || isAbsolute(modulePath) ? pathToFileURL(resolve(modulePath)).href : modulePath;
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    throw new LocalAwsConfigError(
      `Could not load the evaluators module ${modulePath}: ${error instanceof Error ? error.message : String(error)}. Build it first (pnpm build) or give another path.`,
      { cause: error },
    );
  }
  const missing = ['matchesFilterPolicy', 'matchesEventPattern', 'validateEventPattern'].filter(
    (name) => typeof loaded[name] !== 'function',
  );
  if (missing.length > 0) {
    throw new LocalAwsConfigError(
      `The evaluators module ${modulePath} does not export ${missing.join(', ')} as functions; give @herald/fanout's build (packages/fanout/dist/index.js).`,
    );
  }
  return evaluatorOptions(loaded as unknown as FilterAndPatternEvaluators);
}
