/** The tail of each queue's chain of calls in this process. */
const tails = new Map<string, Promise<void>>();

/**
 * Runs `work` after every earlier call for the same `key` in this process has finished, so two
 * read-modify-writes of one queue's policy made by this process never interleave. (Other
 * processes are not covered: SQS has no conditional write for queue attributes.)
 *
 * @param key - The queue URL.
 * @param work - What to run.
 * @returns What `work` returns.
 * @internal
 */
export async function withQueueLock<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  let release!: () => void;
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = previous.then(() => done);
  tails.set(key, tail);
  await previous;
  try {
    return await work();
  } finally {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}
