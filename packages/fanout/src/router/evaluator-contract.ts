// TEMPORARY: the filter-policy and event-pattern evaluators are being written in parallel. This
// file states the agreed contract so the router compiles meanwhile; it is replaced by direct
// imports from '../filter-policy/index.js' and '../event-pattern/index.js' once they land.
import * as eventPatternModule from '../event-pattern/index.js';
import * as filterPolicyModule from '../filter-policy/index.js';

/** An SNS filter policy (placeholder for the evaluator's own type). */
export type FilterPolicy = Readonly<Record<string, unknown>>;
/** What an SNS filter policy reads (placeholder). */
export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';
/** An EventBridge event pattern (placeholder). */
export type EventPattern = Readonly<Record<string, unknown>>;
/** A message as a filter policy sees it (placeholder). */
export interface FilterPolicyMessage {
  /** Message attributes. */
  readonly attributes?: Readonly<Record<string, { readonly DataType: string; readonly StringValue?: string; readonly BinaryValue?: Uint8Array }>>;
  /** JSON text or parsed. */
  readonly body?: unknown;
}

type CompileFilterPolicy = (policy: FilterPolicy | string, options?: { scope?: FilterPolicyScope }) => (message: FilterPolicyMessage) => boolean;
type CompileEventPattern = (pattern: EventPattern | string) => (event: unknown) => boolean;

function missing(name: string): never {
  throw new Error(`${name} is not available yet in this build of @herald/fanout.`);
}

/** Compiles an SNS filter policy (placeholder forwarding to the evaluator). */
export const compileFilterPolicy: CompileFilterPolicy = (policy, options) => {
  const compile = (filterPolicyModule as Record<string, unknown>)['compileFilterPolicy'] as CompileFilterPolicy | undefined;
  return compile === undefined ? missing('compileFilterPolicy') : compile(policy, options);
};

/** Compiles an EventBridge event pattern (placeholder forwarding to the evaluator). */
export const compileEventPattern: CompileEventPattern = (pattern) => {
  const compile = (eventPatternModule as Record<string, unknown>)['compileEventPattern'] as CompileEventPattern | undefined;
  return compile === undefined ? missing('compileEventPattern') : compile(pattern);
};
