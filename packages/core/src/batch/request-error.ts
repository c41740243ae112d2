import { safeText } from './safe-text.js';

/** How a whole-request error is reported in each entry's failed result. */
export interface RequestErrorDescription {
  /** The error's `code` if it has a string one (Node network errors, Herald errors), else its `name`. */
  code: string;
  /** The error's message, or its string form. */
  message: string;
  /** True for 4xx-style errors (the SDK's `$fault: 'client'` or an HTTP 4xx status) that are not retryable. */
  senderFault: boolean;
}

/** Reads `value[key]` of an object; `undefined` for non-objects and when reading throws (a proxy, a getter). */
function field(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function isClientFault(error: unknown): boolean {
  const fault = field(error, '$fault');
  if (fault === 'client') return true;
  if (fault === 'server') return false;
  const status = field(field(error, '$metadata'), 'httpStatusCode');
  return typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * Reads the code, message and fault side of an error thrown by an adapter's `send`, whatever
 * its shape (AWS SDK service exception, Node system error, Herald error, or a non-error value,
 * even one that cannot be converted to a string). Never throws.
 *
 * @param error - What `send` threw.
 * @param retryable - Whether the error was judged retryable; retryable errors (throttling
 *   included) are never the sender's fault.
 */
export function describeRequestError(error: unknown, retryable: boolean): RequestErrorDescription {
  const code = field(error, 'code');
  const name = field(error, 'name');
  const message = field(error, 'message');
  return {
    code:
      typeof code === 'string' && code !== ''
        ? code
        : typeof name === 'string' && name !== ''
          ? name
          : 'UnknownError',
    message: typeof message === 'string' && message !== '' ? message : safeText(error),
    senderFault: !retryable && isClientFault(error),
  };
}
