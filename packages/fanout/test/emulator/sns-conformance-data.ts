import { readFileSync } from 'node:fs';

/** The scope a subscription's filter policy applies to. */
export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

/** A message attribute as the conformance files write it (the SNS envelope's spelling). */
export interface WireAttribute {
  /** `String`, `Number` or `String.Array` (then `Value` is JSON text). */
  readonly Type: string;
  /** The value as sent on the wire. */
  readonly Value: string;
}

/** Fields every SNS conformance entry has. */
interface CaseBase {
  /** Stable id of the entry. */
  readonly id: string;
  /** Where the answer comes from. */
  readonly source: string;
  /** `aws-recorded` or `aws-docs`. */
  readonly tier: string;
  /** The filter policy scope. */
  readonly scope: FilterPolicyScope;
  /** The policy as JSON (`null` when `policy_raw` holds text that is not JSON). */
  readonly policy: unknown;
  /** The literal policy text, when a JSON round trip would change it. */
  readonly policy_raw?: string;
  /** Free text. */
  readonly note?: string;
}

/** One entry of `sns-filter-cases.json`: a policy, a message, and whether AWS delivered it. */
export interface SnsMatchCase extends CaseBase {
  /** MessageAttributes scope: the message attributes. */
  readonly attributes?: Readonly<Record<string, WireAttribute>>;
  /** MessageBody scope: the body as JSON. */
  readonly body?: unknown;
  /** MessageBody scope: the literal body, when a JSON round trip would change it. */
  readonly body_raw?: string;
  /** Whether AWS delivers the message to the subscription. */
  readonly expected: boolean;
}

/** One entry of `sns-filter-invalid.json`: a policy SNS refuses. */
export interface SnsInvalidPolicyCase extends CaseBase {
  /** First line of AWS's error message. */
  readonly error: string;
  /** AWS's error code. */
  readonly error_code: string;
  /** The call the policy was refused on. */
  readonly api: 'Subscribe' | 'SetSubscriptionAttributes';
}

/** One entry of `sns-filter-accepted.json`: a policy at the limits that SNS accepts. */
export type SnsAcceptedPolicyCase = CaseBase;

function readJson<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../conformance/${name}`, import.meta.url), 'utf8')) as T;
}

/** The match cases (`sns-filter-cases.json`). */
export const snsMatchCases: readonly SnsMatchCase[] = readJson('sns-filter-cases.json');
/** The policies AWS refuses (`sns-filter-invalid.json`). */
export const snsInvalidPolicyCases: readonly SnsInvalidPolicyCase[] = readJson('sns-filter-invalid.json');
/** The policies AWS accepts at its limits (`sns-filter-accepted.json`). */
export const snsAcceptedPolicyCases: readonly SnsAcceptedPolicyCase[] = readJson('sns-filter-accepted.json');

/**
 * The policy text to give SNS: the literal text when the entry has one, else the policy as JSON.
 *
 * @param entry - A conformance entry.
 * @returns The `FilterPolicy` attribute value.
 */
export function policyText(entry: CaseBase): string {
  return entry.policy_raw ?? JSON.stringify(entry.policy);
}

/**
 * The message body of a MessageBody-scope case: the literal text when it has one, else the body as JSON.
 *
 * @param entry - A match case.
 * @returns The `Message` to publish.
 */
export function bodyText(entry: SnsMatchCase): string {
  return entry.body_raw ?? JSON.stringify(entry.body);
}
