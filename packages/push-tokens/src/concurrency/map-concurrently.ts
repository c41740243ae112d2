/**
 * Runs `work` on every item with at most `limit` calls in flight, and returns the results in the
 * items' order. `work` is expected to turn its own failures into results; if it throws, the
 * whole call rejects once the calls in flight have settled. When `signal` aborts, no further
 * call starts and the call rejects with `signal.reason` after those in flight settle.
 *
 * @param items - The inputs.
 * @param limit - Largest number of calls in flight (at least 1).
 * @param work - The call for one item.
 * @param signal - Stops starting calls.
 * @returns One result per item, in order.
 */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && failure === undefined && signal?.aborted !== true) {
      const index = next;
      next += 1;
      try {
        results[index] = await work(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, () => worker()));
  if (failure !== undefined) throw failure.error;
  signal?.throwIfAborted();
  return results;
}
