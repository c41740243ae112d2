import { describe, expect, it } from 'vitest';
import { compileEventPattern, type EventPattern, InvalidEventError, matchesEventPattern, validateEventPattern } from '@herald/fanout';
import { KNOWN_DEVIATIONS } from '../conformance/known-deviations.js';
import {
  awsReason,
  eventBridgeAcceptedCases,
  eventBridgeInvalidCases,
  eventBridgeMatchCases,
  eventInput,
  patternInput,
} from '../conformance/conformance-cases.js';

const asPattern = (value: unknown): EventPattern | string => value as EventPattern | string;

/** Reasons that come from AWS's Java JSON parser, which JavaScript's words differently. */
const JSON_PARSER_REASON = /^(Unrecognized token|Unexpected character)/;

describe('EventBridge event pattern conformance: evaluation', () => {
  it('has cases to run', () => {
    expect(eventBridgeMatchCases.length).toBeGreaterThan(100);
  });

  it.each(eventBridgeMatchCases.map((entry) => [entry.id, entry] as const))('%s', (_id, entry) => {
    const pattern = asPattern(patternInput(entry));
    expect(validateEventPattern(pattern).problems).toEqual([]);
    const expected = KNOWN_DEVIATIONS.has(entry.id) ? !entry.expected : entry.expected;
    expect(matchesEventPattern(pattern, eventInput(entry))).toBe(expected);
    const compiled = compileEventPattern(pattern);
    expect(compiled(eventInput(entry))).toBe(expected);
    expect(compiled(eventInput(entry))).toBe(expected);
  });
});

describe('EventBridge event pattern conformance: what EventBridge refuses', () => {
  it.each(eventBridgeInvalidCases.map((entry) => [entry.id, entry] as const))('%s', (_id, entry) => {
    const pattern = patternInput(entry);
    if (entry.error_code === 'ValidationException') {
      // The pattern is fine; the event is what EventBridge refuses.
      expect(validateEventPattern(pattern).problems).toEqual([]);
      expect(() => matchesEventPattern(asPattern(pattern), eventInput(entry))).toThrow(InvalidEventError);
      expect(() => compileEventPattern(asPattern(pattern))(eventInput(entry))).toThrow(expect.objectContaining({ code: 'InvalidEvent' }));
      return;
    }
    const result = validateEventPattern(pattern);
    if (KNOWN_DEVIATIONS.has(entry.id)) {
      expect(result.valid).toBe(true);
      return;
    }
    expect(result.valid).toBe(false);
    const first = result.problems[0];
    const reason = awsReason(entry.error);
    if (JSON_PARSER_REASON.test(reason)) {
      expect(first).toEqual({ path: '', message: expect.stringMatching(/^Not valid JSON: /) });
    } else {
      expect(first?.message.startsWith(reason), `${first?.message} should start with ${reason}`).toBe(true);
    }
    expect(() => compileEventPattern(asPattern(pattern))).toThrow(expect.objectContaining({ code: 'InvalidEventPattern', problems: result.problems }));
  });
});

describe('EventBridge event pattern conformance: patterns EventBridge accepts', () => {
  it.each(eventBridgeAcceptedCases.map((entry) => [entry.id, entry] as const))('%s', (_id, entry) => {
    const result = validateEventPattern(patternInput(entry));
    expect(result.problems).toEqual([]);
    expect(() => compileEventPattern(asPattern(patternInput(entry)))).not.toThrow();
  });
});
