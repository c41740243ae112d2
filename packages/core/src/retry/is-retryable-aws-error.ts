/** Error names/codes AWS services use for throttling (the AWS SDK v3 treats these as throttling too). */
const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'RequestThrottled',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
  'TransactionInProgressException',
  'KMSThrottlingException',
  'LimitExceededException',
]);

/** Generic server-side transient error names/codes. */
const TRANSIENT_CODES = new Set([
  'InternalError',
  'InternalFailure',
  'InternalServerError',
  'InternalServerException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);

/**
 * Node.js network error codes worth retrying. `ENOTFOUND` is left out on purpose: a host that
 * does not resolve is nearly always a configuration error.
 */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** Names that are never retried, whatever else the error carries. */
function isNeverRetryableName(name: string): boolean {
  return (
    name === 'AbortError' ||
    name === 'ValidationError' ||
    name === 'ValidationException' ||
    name === 'AuthorizationError' ||
    name.startsWith('AccessDenied') ||
    name.startsWith('InvalidParameter') ||
    name.includes('NotFound')
  );
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function classify(error: unknown, depth: number): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const fields = error as Record<string, unknown>;
  const name = text(fields['name']);
  const code = text(fields['code']) || text(fields['Code']);
  const errno = text(fields['errno']);

  if (isNeverRetryableName(name) || isNeverRetryableName(code) || code === 'ABORT_ERR') {
    return false;
  }
  // The SDK sets `$retryable` (an object, possibly `{ throttling: true }`) on errors modelled as retryable.
  if (fields['$retryable'] !== undefined && fields['$retryable'] !== null && fields['$retryable'] !== false) {
    return true;
  }
  for (const candidate of [name, code]) {
    if (THROTTLING_CODES.has(candidate) || TRANSIENT_CODES.has(candidate)) return true;
  }
  if (NETWORK_CODES.has(code) || NETWORK_CODES.has(errno)) return true;
  const message = text(fields['message']);
  if (message.includes('socket hang up')) return true;
  if (code === 'ERR_HTTP2_STREAM_ERROR' && message.includes('NGHTTP2_REFUSED_STREAM')) return true;

  const metadata = fields['$metadata'];
  if (typeof metadata === 'object' && metadata !== null) {
    const meta = metadata as Record<string, unknown>;
    const status = meta['httpStatusCode'];
    if (typeof status === 'number' && (status === 429 || (status >= 500 && status <= 599))) {
      return true;
    }
    // The SDK corrected its clock after a skew error: the same request will now sign correctly.
    if (meta['clockSkewCorrected'] === true) return true;
  }

  if (depth === 0 && 'cause' in fields) return classify(fields['cause'], 1);
  return false;
}

/**
 * Whether an error from an AWS SDK v3 call (or the network under it) is worth retrying.
 *
 * True for: errors the SDK marks `$retryable`; throttling names/codes (`Throttling`,
 * `ThrottlingException`, `TooManyRequestsException`, `ProvisionedThroughputExceededException`,
 * `SlowDown`, …); generic transient ones (`InternalError`, `InternalFailure`,
 * `ServiceUnavailable`, `RequestTimeout`, `TimeoutError`, …); HTTP status 429 or 5xx in
 * `$metadata.httpStatusCode`; network failures (`ECONNRESET`, `ECONNREFUSED`, `EPIPE`,
 * `ETIMEDOUT`, `EAI_AGAIN`, `ECONNABORTED`, `EHOSTUNREACH`, `ENETUNREACH`, "socket hang up");
 * and errors whose `cause` (one level) is one of these.
 *
 * Never true for aborts (`AbortError`), validation errors, access errors (`AccessDenied*`,
 * `AuthorizationError`), `InvalidParameter*`, `*NotFound*`, or other 4xx responses.
 *
 * @example
 * ```ts
 * await retry(() => sns.send(cmd), { isRetryable: isRetryableAwsError });
 * ```
 */
export function isRetryableAwsError(error: unknown): boolean {
  return classify(error, 0);
}
