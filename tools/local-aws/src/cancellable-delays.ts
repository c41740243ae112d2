interface PendingDelay {
  readonly timer: NodeJS.Timeout;
  readonly resolve: () => void;
}

/**
 * Delays that can all be ended at once: the latency waits of a running endpoint, which
 * `stop()` ends so no timer keeps the process alive after it.
 */
export class CancellableDelays {
  readonly #pending = new Set<PendingDelay>();

  /** @returns How many delays are still running. */
  get size(): number {
    return this.#pending.size;
  }

  /**
   * Waits `ms` milliseconds, or less if {@link CancellableDelays.cancelAll} is called first.
   *
   * @param ms - How long to wait.
   * @returns Resolves when the time is up or the delay was cancelled.
   */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const delay: PendingDelay = {
        timer: setTimeout(() => {
          this.#pending.delete(delay);
          resolve();
        }, ms),
        resolve,
      };
      this.#pending.add(delay);
    });
  }

  /** Clears every running delay's timer and resolves its wait at once. */
  cancelAll(): void {
    for (const delay of this.#pending) {
      clearTimeout(delay.timer);
      delay.resolve();
    }
    this.#pending.clear();
  }
}
