import { HeraldError } from '@herald/core';

/**
 * Thrown by a compiled event pattern (and `matchesEventPattern`) for an event that is not a JSON
 * object, or JSON text of one: EventBridge's `TestEventPattern` refuses such an event
 * (`ValidationException: Parameter Event is not valid.`), and no event on a bus is one. Code
 * `'InvalidEvent'`, not retryable.
 */
export class InvalidEventError extends HeraldError {
  /** @param what - What the event was instead, for example `an array` or `text that is not JSON`. */
  constructor(what: string) {
    super(
      'InvalidEvent',
      `The event is ${what}, not a JSON object; EventBridge refuses it ("Parameter Event is not valid."). Pass the whole event (with source, detail-type, detail, ...) as an object or as its JSON text.`,
    );
  }
}
