/**
 * Conformance cases Herald deliberately answers differently from the recorded answer, each with
 * the reason. Keep this list as short as possible: an entry is a decision, documented in the
 * package README ("Where AWS sources disagree"), not a way to silence a failing case. The tables
 * assert the opposite of the recorded answer for these, so a change of behaviour is noticed.
 */
export const KNOWN_DEVIATIONS: ReadonlyMap<string, string> = new Map([
  [
    'sns-inv-anybut-suffix',
    'SNS refused `anything-but: { suffix }` when this was recorded (2024-05-15); the current SNS developer guide ' +
      '(string-value-matching.html, "anything-but matching using a suffix") documents it, and sns-doc-anybut-suffix-* ' +
      'evaluate it. Herald follows the current guide and accepts it.',
  ],
]);
