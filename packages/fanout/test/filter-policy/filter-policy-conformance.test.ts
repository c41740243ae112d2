import { describe, expect, it } from 'vitest';
import { compileFilterPolicy, type FilterPolicy, matchesFilterPolicy, validateFilterPolicy } from '@herald/fanout';
import { KNOWN_DEVIATIONS } from '../conformance/known-deviations.js';
import { awsReason, messageOf, policyInput, snsAcceptedCases, snsInvalidCases, snsMatchCases } from '../conformance/conformance-cases.js';

const asPolicy = (value: unknown): FilterPolicy | string => value as FilterPolicy | string;

describe('SNS filter policy conformance: evaluation', () => {
  it('has cases to run', () => {
    expect(snsMatchCases.length).toBeGreaterThan(100);
  });

  it.each(snsMatchCases.map((entry) => [entry.id, entry] as const))('%s', (_id, entry) => {
    const policy = asPolicy(policyInput(entry));
    expect(validateFilterPolicy(policy, { scope: entry.scope }).problems).toEqual([]);
    const expected = KNOWN_DEVIATIONS.has(entry.id) ? !entry.expected : entry.expected;
    expect(matchesFilterPolicy(policy, messageOf(entry), { scope: entry.scope })).toBe(expected);
    // The compiled form answers the same, also when asked twice (no state kept between messages).
    const compiled = compileFilterPolicy(policy, { scope: entry.scope });
    expect(compiled(messageOf(entry))).toBe(expected);
    expect(compiled(messageOf(entry))).toBe(expected);
  });
});

describe('SNS filter policy conformance: policies SNS refuses', () => {
  it.each(snsInvalidCases.map((entry) => [entry.id, entry] as const))('%s', (_id, entry) => {
    const result = validateFilterPolicy(policyInput(entry), { scope: entry.scope });
    if (KNOWN_DEVIATIONS.has(entry.id)) {
      expect(result.valid).toBe(true);
      return;
    }
    expect(result.valid).toBe(false);
    const first = result.problems[0];
    const reason = awsReason(entry.error);
    // JavaScript's JSON parser words its errors differently from AWS's Java one: compare the
    // sentence AWS puts before the parser's own words.
    const expected = reason.startsWith('failed to parse JSON.') ? 'failed to parse JSON.' : reason;
    expect(first?.message.startsWith(expected), `${first?.message} should start with ${expected}`).toBe(true);
    expect(() => compileFilterPolicy(asPolicy(policyInput(entry)), { scope: entry.scope })).toThrow(
      expect.objectContaining({ code: 'InvalidFilterPolicy', problems: result.problems }),
    );
  });
});

describe('SNS filter policy conformance: policies SNS accepts', () => {
  it.each(snsAcceptedCases.map((entry) => [entry.id, entry] as const))('%s', (_id, entry) => {
    const result = validateFilterPolicy(policyInput(entry), { scope: entry.scope });
    expect(result.problems).toEqual([]);
    expect(result.valid).toBe(true);
    expect(() => compileFilterPolicy(asPolicy(policyInput(entry)), { scope: entry.scope })).not.toThrow();
  });
});
