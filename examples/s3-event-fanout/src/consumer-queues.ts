import type { FilterPolicy } from '@herald/fanout';
import type { ObjectEvent } from './s3-events.js';

/** The three consumers of the example. */
export type ConsumerName = 'creations' | 'deletions' | 'invoices';

/** One consumer queue: its subscription and, independently, what it should receive. */
export interface ConsumerQueue {
  readonly name: ConsumerName;
  /** What the queue is for, in a few words. */
  readonly purpose: string;
  /** The subscription's filter policy, on the message body (`FilterPolicyScope: 'MessageBody'`). */
  readonly filterPolicy: FilterPolicy;
  /** Raw message delivery (the body is the S3 document) or not (the body is SNS's envelope). */
  readonly raw: boolean;
  /**
   * The same selection written by hand on the generated event, without any filter-policy
   * semantics: the example checks that the evaluator and this agree, and that delivery matches.
   */
  readonly wants: (event: ObjectEvent) => boolean;
}

/** The key prefix the `invoices` queue follows. */
export const INVOICES_PREFIX = 'invoices/';

/**
 * The consumers. Each filter reads the S3 document's `Records` array; SNS matches a key inside
 * an array of objects when any element matches. Object keys in notifications are URL-encoded,
 * so a key prefix is written encoded too (`invoices/` is the same either way; a prefix with a
 * space would be `my+folder/`).
 */
export const CONSUMER_QUEUES: readonly ConsumerQueue[] = [
  {
    name: 'creations',
    purpose: 'every object created (thumbnails, indexing)',
    filterPolicy: { Records: { eventName: [{ prefix: 'ObjectCreated:' }] } },
    raw: true,
    wants: (event) => event.eventName === 'ObjectCreated:Put' || event.eventName === 'ObjectCreated:CompleteMultipartUpload',
  },
  {
    name: 'deletions',
    purpose: 'every object removed (clean up derived data)',
    filterPolicy: { Records: { eventName: [{ prefix: 'ObjectRemoved:' }] } },
    raw: false,
    wants: (event) => event.eventName === 'ObjectRemoved:Delete' || event.eventName === 'ObjectRemoved:DeleteMarkerCreated',
  },
  {
    name: 'invoices',
    purpose: `everything under ${INVOICES_PREFIX} (bookkeeping)`,
    filterPolicy: { Records: { s3: { object: { key: [{ prefix: INVOICES_PREFIX }] } } } },
    raw: false,
    wants: (event) => event.key.slice(0, INVOICES_PREFIX.length) === INVOICES_PREFIX,
  },
];
