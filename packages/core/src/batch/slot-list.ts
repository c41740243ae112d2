/** A node that can sit in one {@link SlotList} at a time (the links live in the node itself). */
export interface SlotListNode<TNode extends SlotListNode<TNode>> {
  /** Previous node in the list the node is in. */
  prev: TNode | undefined;
  /** Next node in the list the node is in. */
  next: TNode | undefined;
  /** The list the node is in, if any. */
  list: SlotList<TNode> | undefined;
  /** Bytes the node counts in {@link SlotList.bytes}. */
  readonly bytes: number;
}

/**
 * An intrusive doubly linked FIFO list: push, shift and removal from anywhere are O(1) and
 * allocate nothing. It also keeps the count and the byte total of its nodes.
 */
export class SlotList<TNode extends SlotListNode<TNode>> {
  /** Oldest node. */
  head: TNode | undefined = undefined;
  /** Newest node. */
  tail: TNode | undefined = undefined;
  /** Number of nodes. */
  length = 0;
  /** Sum of the nodes' `bytes`. */
  bytes = 0;

  /** Appends `node`, which must not be in a list. */
  push(node: TNode): void {
    node.list = this;
    node.next = undefined;
    node.prev = this.tail;
    if (this.tail === undefined) this.head = node;
    else this.tail.next = node;
    this.tail = node;
    this.length++;
    this.bytes += node.bytes;
  }

  /** Removes and returns the oldest node. */
  shift(): TNode | undefined {
    const node = this.head;
    if (node !== undefined) this.remove(node);
    return node;
  }

  /** Removes `node`, which must be in this list. */
  remove(node: TNode): void {
    const { prev, next } = node;
    if (prev === undefined) this.head = next;
    else prev.next = next;
    if (next === undefined) this.tail = prev;
    else next.prev = prev;
    node.prev = undefined;
    node.next = undefined;
    node.list = undefined;
    this.length--;
    this.bytes -= node.bytes;
  }
}
