import { HeraldError } from '@herald/core';

/**
 * The rejection of `dispatch()` after `close()` was called: the router takes no new messages.
 * Make a new router (or dispatch before closing).
 */
export class FanoutClosedError extends HeraldError {
  constructor() {
    super('FanoutClosed', 'The fan-out router is closed and takes no new messages; dispatch before calling close(), or create a new router.');
  }
}
