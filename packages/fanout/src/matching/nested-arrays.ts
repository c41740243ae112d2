/**
 * Whether some element of an array, nested arrays flattened, passes a test. AWS flattens arrays
 * in messages and events (`[["a"]]` holds the value `"a"`), so a matcher looks through every
 * level; this walks them with a stack of its own, not recursion, so a body nested deeper than
 * the call stack (a 256 KB body can nest 130,000 levels) gets an answer instead of a
 * `RangeError`. Each array is visited once, so a parsed value with a cycle also gets one.
 *
 * @param array - The array found in the message or event.
 * @param test - The test of one element that is not an array (a scalar or an object).
 * @param emptyArrayAnswer - What a nested empty array counts as (the matcher's answer when no
 *   value is there), so `[[]]` answers like `[]`.
 * @returns `true` as soon as one element passes (or a nested empty array counts as passing).
 */
export function someNestedElement(
  array: readonly unknown[],
  test: (element: unknown) => boolean,
  emptyArrayAnswer: boolean,
): boolean {
  let current: readonly unknown[] = array;
  let pending: (readonly unknown[])[] | undefined;
  let seen: Set<readonly unknown[]> | undefined;
  for (;;) {
    for (let i = 0; i < current.length; i++) {
      const element = current[i];
      if (!Array.isArray(element)) {
        if (test(element)) return true;
        continue;
      }
      if (element.length === 0) {
        if (emptyArrayAnswer) return true;
        continue;
      }
      // Only arrays of arrays pay for the bookkeeping.
      seen ??= new Set([array]);
      if (seen.has(element)) continue;
      seen.add(element);
      (pending ??= []).push(element);
    }
    const next = pending?.pop();
    if (next === undefined) return false;
    current = next;
  }
}
