/**
 * The logging shape Herald calls: a message first, then optional structured data.
 *
 * `console` fits as is. The Powertools for AWS Lambda `Logger` fits (it takes a message and
 * extra objects). pino fits for messages; pino logs `data` well only when it comes first, so
 * wrap it if you want the data as fields:
 *
 * @example
 * ```ts
 * const logger: Logger = {
 *   debug: (message, data) => pino.debug(data ?? {}, message),
 *   info: (message, data) => pino.info(data ?? {}, message),
 *   warn: (message, data) => pino.warn(data ?? {}, message),
 *   error: (message, data) => pino.error(data ?? {}, message),
 * };
 * ```
 */
export interface Logger {
  /** Detail useful when diagnosing a problem (each request, each retry). */
  debug(message: string, data?: Record<string, unknown>): void;
  /** Normal, notable events. */
  info(message: string, data?: Record<string, unknown>): void;
  /** Something went wrong but was handled (a retry, a dropped optional feature). */
  warn(message: string, data?: Record<string, unknown>): void;
  /** Something failed and the caller will see it. */
  error(message: string, data?: Record<string, unknown>): void;
}

const ignore = (): void => {};

/** A {@link Logger} that discards everything; the default wherever a logger is optional. */
export const silentLogger: Logger = {
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
};
