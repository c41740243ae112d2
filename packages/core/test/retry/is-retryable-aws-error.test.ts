import { describe, expect, it } from 'vitest';
import { isRetryableAwsError } from '../../src/retry/is-retryable-aws-error.js';

/**
 * Builds an error shaped like an AWS SDK v3 `ServiceException` subclass instance:
 * an Error with `name`, `$fault`, `$metadata` and, for modelled retryable errors, `$retryable`.
 */
function serviceException(
  name: string,
  status: number,
  extra: { $retryable?: { throttling?: boolean }; clockSkewCorrected?: boolean } = {},
): Error {
  const error = new Error(`${name}: simulated`);
  return Object.assign(error, {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: {
      httpStatusCode: status,
      requestId: 'c0ffee00-0000-4000-8000-000000000000',
      attempts: 1,
      totalRetryDelay: 0,
      ...(extra.clockSkewCorrected === undefined ? {} : { clockSkewCorrected: extra.clockSkewCorrected }),
    },
    ...(extra.$retryable === undefined ? {} : { $retryable: extra.$retryable }),
  });
}

/** Builds a Node.js system error as `http` raises it. */
function systemError(code: string, message = `connect ${code} 127.0.0.1:4566`): Error {
  return Object.assign(new Error(message), { code, errno: -1, syscall: 'connect' });
}

describe('isRetryableAwsError', () => {
  it.each([
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
  ])('retries the throttling error %s (HTTP 400)', (name) => {
    expect(isRetryableAwsError(serviceException(name, 400))).toBe(true);
  });

  it.each(['InternalError', 'InternalFailure', 'InternalServerError', 'ServiceUnavailable', 'RequestTimeout', 'RequestTimeoutException'])(
    'retries the transient error %s even without a status',
    (name) => {
      expect(isRetryableAwsError(Object.assign(new Error('x'), { name }))).toBe(true);
    },
  );

  it('retries any 5xx and 429', () => {
    expect(isRetryableAwsError(serviceException('InternalErrorException', 500))).toBe(true);
    expect(isRetryableAwsError(serviceException('KMSOptInRequired', 503))).toBe(true);
    expect(isRetryableAwsError(serviceException('Unknown', 502))).toBe(true);
    expect(isRetryableAwsError(serviceException('SomethingNew', 429))).toBe(true);
  });

  it('retries errors the SDK marked $retryable, even with a 4xx', () => {
    expect(isRetryableAwsError(serviceException('SomeModelledError', 400, { $retryable: {} }))).toBe(true);
    expect(isRetryableAwsError(serviceException('SomeModelledError', 400, { $retryable: { throttling: true } }))).toBe(
      true,
    );
  });

  it('retries after the SDK corrected its clock skew', () => {
    expect(isRetryableAwsError(serviceException('SignatureDoesNotMatch', 403, { clockSkewCorrected: true }))).toBe(true);
    expect(isRetryableAwsError(serviceException('SignatureDoesNotMatch', 403))).toBe(false);
  });

  it.each(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH'])(
    'retries the network error %s',
    (code) => {
      expect(isRetryableAwsError(systemError(code))).toBe(true);
    },
  );

  it('retries socket hang ups, SDK timeouts and refused HTTP/2 streams', () => {
    expect(isRetryableAwsError(new Error('socket hang up'))).toBe(true);
    expect(isRetryableAwsError(Object.assign(new Error('Connection timed out after 1000 ms'), { name: 'TimeoutError' }))).toBe(
      true,
    );
    expect(
      isRetryableAwsError(
        Object.assign(new Error('Stream closed with error code NGHTTP2_REFUSED_STREAM'), { code: 'ERR_HTTP2_STREAM_ERROR' }),
      ),
    ).toBe(true);
  });

  it('looks one level into cause', () => {
    const wrapped = new Error('request failed', { cause: systemError('ECONNRESET') });
    expect(isRetryableAwsError(wrapped)).toBe(true);
    const deeper = new Error('outer', { cause: new Error('middle', { cause: systemError('ECONNRESET') }) });
    expect(isRetryableAwsError(deeper)).toBe(false);
  });

  it('does not retry ENOTFOUND (a configuration error)', () => {
    expect(isRetryableAwsError(systemError('ENOTFOUND', 'getaddrinfo ENOTFOUND sns.nowhere.invalid'))).toBe(false);
  });

  it.each([
    ['AbortError', 400],
    ['ValidationError', 400],
    ['ValidationException', 400],
    ['AccessDeniedException', 403],
    ['AccessDenied', 403],
    ['AuthorizationError', 403],
    ['InvalidParameterException', 400],
    ['InvalidParameterValue', 400],
    ['NotFoundException', 404],
    ['ResourceNotFoundException', 400],
    ['QueueDoesNotExist', 400],
    ['BatchEntryIdsNotDistinct', 400],
    ['ConditionalCheckFailedException', 400],
  ])('never retries %s (HTTP %i)', (name, status) => {
    expect(isRetryableAwsError(serviceException(name, status))).toBe(false);
  });

  it('never retries aborts, even when they wrap a retryable cause or carry a 5xx', () => {
    const abort = Object.assign(new Error('Request aborted'), { name: 'AbortError', cause: systemError('ECONNRESET') });
    expect(isRetryableAwsError(abort)).toBe(false);
    expect(isRetryableAwsError(new DOMException('This operation was aborted', 'AbortError'))).toBe(false);
    expect(isRetryableAwsError(serviceException('ValidationError', 500))).toBe(false);
  });

  it('returns false for non-objects and plain errors', () => {
    for (const value of [undefined, null, 'Throttling', 503, true, new Error('boom'), new TypeError('x'), {}]) {
      expect(isRetryableAwsError(value)).toBe(false);
    }
  });

  it('reads code as well as name (plain objects from other clients)', () => {
    expect(isRetryableAwsError({ code: 'ThrottlingException' })).toBe(true);
    expect(isRetryableAwsError({ Code: 'InternalError' })).toBe(true);
    expect(isRetryableAwsError({ code: 'InvalidParameter', $metadata: { httpStatusCode: 500 } })).toBe(false);
  });
});
