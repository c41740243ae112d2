import { SlotList, type SlotListNode } from './slot-list.js';

/**
 * Scheduling state of one ordering key (ordered mode). At most one entry of the key, the
 * `occupant`, is in the buffer, in a request, in flight or waiting for its retry; the key's
 * later entries wait in `queue`, in add order.
 */
export class OrderingKeyState<TSlot extends SlotListNode<TSlot>> {
  /** The one entry of the key that is buffered, in flight or waiting to retry. */
  occupant: TSlot | undefined = undefined;
  /** Later entries of the key, in add order. */
  readonly queue = new SlotList<TSlot>();
  /** Entries of the key added but still waiting for admission (`maxQueued`). */
  admitting = 0;
  /**
   * After a failure, entries waiting for admission with a smaller add sequence than this fail
   * on admission with `'PrecedingMessageFailed'` (0: none).
   */
  poisonBeforeSeq = 0;
  /** Description of the failure that set `poisonBeforeSeq`. */
  poisonReason = '';
  /**
   * Set when an entry of the key the adapter refused failed at its turn: until the next
   * macrotask, entries of the key added meanwhile (in the same synchronous burst, before the
   * caller could see the failure) fail at once with this `'PrecedingMessageFailed'` message.
   */
  burstPoison: string | undefined = undefined;

  /** @param key - The ordering key. */
  constructor(readonly key: string) {}

  /** Nothing of the key is pending: the state can be forgotten. */
  get idle(): boolean {
    return (
      this.occupant === undefined && this.queue.length === 0 && this.admitting === 0 && this.burstPoison === undefined
    );
  }
}
