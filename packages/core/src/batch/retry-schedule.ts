/** Something due at a time. */
export interface Scheduled {
  /** Epoch ms from which it is due. */
  readonly notBefore: number;
}

/**
 * A binary min-heap of {@link Scheduled} items by `notBefore`: O(log n) push and pop, so one
 * timer can serve every pending retry. Items cancelled meanwhile are skipped by the reader.
 */
export class RetrySchedule<TItem extends Scheduled> {
  readonly #items: TItem[] = [];

  /** The earliest item, without removing it. */
  peek(): TItem | undefined {
    return this.#items[0];
  }

  /** Adds an item. */
  push(item: TItem): void {
    const items = this.#items;
    let index = items.length;
    items.push(item);
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = items[parentIndex] as TItem;
      if (parent.notBefore <= item.notBefore) break;
      items[index] = parent;
      index = parentIndex;
    }
    items[index] = item;
  }

  /** Removes and returns the earliest item. */
  pop(): TItem | undefined {
    const items = this.#items;
    const first = items[0];
    const last = items.pop();
    if (first === undefined || last === undefined || items.length === 0) return first;
    const length = items.length;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      if (right < length && (items[right] as TItem).notBefore < (items[left] as TItem).notBefore) {
        child = right;
      }
      const smallest = items[child] as TItem;
      if (smallest.notBefore >= last.notBefore) break;
      items[index] = smallest;
      index = child;
    }
    items[index] = last;
    return first;
  }

  /** Removes every item. */
  clear(): void {
    this.#items.length = 0;
  }
}
