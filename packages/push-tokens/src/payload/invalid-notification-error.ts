import { HeraldError } from '@herald/core';

/**
 * A notification that cannot be sent: empty body, a badge or TTL that is not a whole number
 * ≥ 0, a data value that is not a string, a reserved data key, or a platform payload over
 * 4,096 bytes. Raised before anything is published, for the call as a whole.
 */
export class InvalidNotificationError extends HeraldError {
  /** @param message - What is wrong and how to fix it. */
  constructor(message: string) {
    super('InvalidPushNotification', message);
  }
}
