import { readFileSync } from 'node:fs';
import type { FilterPolicyMessage, FilterPolicyScope } from '@herald/fanout';

/** A message attribute as the conformance files spell it (the SNS envelope's `Type`/`Value`). */
interface WireAttribute {
  readonly Type: string;
  readonly Value: string;
}

interface CaseBase {
  readonly id: string;
  readonly source: string;
  readonly tier: string;
  readonly note?: string;
}

/** An SNS match case: a policy, a message, and whether SNS delivered it. */
export interface SnsMatchCase extends CaseBase {
  readonly scope: FilterPolicyScope;
  readonly policy: unknown;
  readonly policy_raw?: string;
  readonly attributes?: Readonly<Record<string, WireAttribute>>;
  readonly body?: unknown;
  readonly body_raw?: string;
  readonly expected: boolean;
}

/** A policy SNS refuses, with the first line of its error. */
export interface SnsInvalidCase extends CaseBase {
  readonly scope: FilterPolicyScope;
  readonly policy: unknown;
  readonly policy_raw?: string;
  readonly error: string;
  readonly error_code: string;
}

/** A policy SNS accepts (at its limits). */
export interface SnsAcceptedCase extends CaseBase {
  readonly scope: FilterPolicyScope;
  readonly policy: unknown;
  readonly policy_raw?: string;
}

/** An EventBridge match case. */
export interface EventBridgeMatchCase extends CaseBase {
  readonly pattern: unknown;
  readonly pattern_raw?: string;
  readonly event: unknown;
  readonly event_raw?: string;
  readonly expected: boolean;
}

/** A pattern (or event) EventBridge refuses. */
export interface EventBridgeInvalidCase extends CaseBase {
  readonly pattern: unknown;
  readonly pattern_raw?: string;
  readonly event?: unknown;
  readonly event_raw?: string;
  readonly error: string;
  readonly error_code: string;
}

/** A pattern EventBridge accepts (Herald's own file). */
export interface EventBridgeAcceptedCase extends CaseBase {
  readonly pattern: unknown;
  readonly pattern_raw?: string;
}

function read<T>(name: string): T[] {
  return JSON.parse(readFileSync(new URL(name, import.meta.url), 'utf8')) as T[];
}

/** The AWS cases copied from ../shared/conformance, then Herald's own from the AWS guides. */
export const snsMatchCases = [...read<SnsMatchCase>('sns-filter-cases.json'), ...read<SnsMatchCase>('herald-sns-filter-cases.json')];
export const snsInvalidCases = [...read<SnsInvalidCase>('sns-filter-invalid.json'), ...read<SnsInvalidCase>('herald-sns-filter-invalid.json')];
export const snsAcceptedCases = [...read<SnsAcceptedCase>('sns-filter-accepted.json'), ...read<SnsAcceptedCase>('herald-sns-filter-accepted.json')];
export const eventBridgeMatchCases = [
  ...read<EventBridgeMatchCase>('eventbridge-pattern-cases.json'),
  ...read<EventBridgeMatchCase>('herald-eventbridge-pattern-cases.json'),
];
export const eventBridgeInvalidCases = [
  ...read<EventBridgeInvalidCase>('eventbridge-pattern-invalid.json'),
  ...read<EventBridgeInvalidCase>('herald-eventbridge-pattern-invalid.json'),
];
export const eventBridgeAcceptedCases = read<EventBridgeAcceptedCase>('herald-eventbridge-pattern-accepted.json');

/** The policy as given to SNS: the literal text when the case has one. */
export function policyInput(entry: { readonly policy: unknown; readonly policy_raw?: string }): unknown {
  return entry.policy_raw ?? entry.policy;
}

/** The pattern as given to EventBridge: the literal text when the case has one. */
export function patternInput(entry: { readonly pattern: unknown; readonly pattern_raw?: string }): unknown {
  return entry.pattern_raw ?? entry.pattern;
}

/** The event as given to EventBridge: the literal text when the case has one. */
export function eventInput(entry: { readonly event?: unknown; readonly event_raw?: string }): unknown {
  return entry.event_raw ?? entry.event;
}

/** The message of an SNS match case, as `Publish` would have been given it. */
export function messageOf(entry: SnsMatchCase): FilterPolicyMessage {
  if (entry.scope === 'MessageBody') return { body: entry.body_raw ?? JSON.stringify(entry.body) };
  const attributes = Object.fromEntries(
    Object.entries(entry.attributes ?? {}).map(([name, { Type, Value }]) => [
      name,
      Type.startsWith('Binary') ? { DataType: Type, BinaryValue: Buffer.from(Value, 'base64') } : { DataType: Type, StringValue: Value },
    ]),
  );
  return { attributes };
}

/**
 * AWS's reason without its prefix: `Invalid parameter: Attributes Reason: FilterPolicy: X`,
 * `Invalid parameter: FilterPolicy: X`, `Invalid parameter: X` and `Event pattern is not valid.
 * Reason: X` all give `X`.
 */
export function awsReason(error: string): string {
  for (const prefix of [
    'Invalid parameter: Attributes Reason: FilterPolicy: ',
    'Invalid parameter: FilterPolicy: ',
    'Invalid parameter: Attributes Reason: ',
    'Invalid parameter: ',
    'Event pattern is not valid. Reason: ',
  ]) {
    if (error.startsWith(prefix)) return error.slice(prefix.length);
  }
  return error;
}
