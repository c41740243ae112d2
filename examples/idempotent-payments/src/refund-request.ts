import { createValidator } from '@herald/core';

/**
 * One refund request, as a client sends it to the refund queue. The payment reference is the
 * idempotency key: a client that retries (or a queue that delivers twice) sends the same one.
 */
export interface RefundRequest {
  /** The payment being refunded; at most one refund per payment reference. */
  readonly paymentReference: string;
  /** The account that is credited. */
  readonly accountId: string;
  /** How much to credit, in cents (a positive integer: no floating-point money). */
  readonly amountCents: number;
  /** Why, for the customer's statement. */
  readonly reason?: string;
}

/** The JSON Schema of a {@link RefundRequest}. */
export const REFUND_REQUEST_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['paymentReference', 'accountId', 'amountCents'],
  properties: {
    paymentReference: { type: 'string', pattern: '^pay-[A-Za-z0-9-]{1,60}$' },
    accountId: { type: 'string', pattern: '^acct-[A-Za-z0-9-]{1,60}$' },
    amountCents: { type: 'integer', minimum: 1, maximum: 10_000_000 },
    reason: { type: 'string', maxLength: 200 },
  },
} as const;

/**
 * Checks a parsed message body against {@link REFUND_REQUEST_SCHEMA}. A body that is not JSON
 * reaches it as a string and fails `type: object`.
 */
export const isRefundRequest = createValidator<RefundRequest>(REFUND_REQUEST_SCHEMA);
