import type { Logger } from '../logger.js';

/**
 * Wraps a {@link Logger} so that a call to it never throws: a failing log sink must not stop
 * Herald from settling entries, scheduling retries or returning a result whose effect has
 * happened. What the logger throws is dropped.
 *
 * @param logger - The caller's logger.
 * @returns A logger with the same methods that never throws.
 */
export function guardLogger(logger: Logger): Logger {
  return {
    debug(message, data) {
      try {
        logger.debug(message, data);
      } catch {
        // ignored: logging is best effort
      }
    },
    info(message, data) {
      try {
        logger.info(message, data);
      } catch {
        // ignored: logging is best effort
      }
    },
    warn(message, data) {
      try {
        logger.warn(message, data);
      } catch {
        // ignored: logging is best effort
      }
    },
    error(message, data) {
      try {
        logger.error(message, data);
      } catch {
        // ignored: logging is best effort
      }
    },
  };
}
