import { HeraldError, isRetryableAwsError } from '@herald/core';
import { redactToken } from './redact-token.js';

/** A value that must not appear in an error built from an AWS answer. */
export interface Secret {
  /** `token`: a device token, shown redacted (`…` and its last 6 characters); `credential`: a signing or service-account key, never shown. */
  readonly kind: 'token' | 'credential';
  /** The secret itself. */
  readonly value: string;
}

const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;

/**
 * Removes secrets from text that came back from AWS: every token is replaced by its redacted
 * form; every credential, each of its lines longer than 16 characters, and any PEM private key
 * block are replaced by `[redacted]`.
 *
 * @param text - Text from an AWS error.
 * @param secrets - What must not appear.
 * @returns The text without them.
 */
export function scrubSecrets(text: string, secrets: readonly Secret[]): string {
  let scrubbed = text.replace(PEM_PRIVATE_KEY, '[redacted]');
  for (const secret of secrets) {
    if (secret.value.length < 4) continue;
    if (secret.kind === 'token') {
      scrubbed = scrubbed.split(secret.value).join(redactToken(secret.value));
      continue;
    }
    scrubbed = scrubbed.split(secret.value).join('[redacted]');
    for (const line of secret.value.split(/\r?\n|\\n/)) {
      const trimmed = line.trim();
      if (trimmed.length > 16) scrubbed = scrubbed.split(trimmed).join('[redacted]');
    }
  }
  return scrubbed;
}

interface AwsErrorFields {
  name?: unknown;
  message?: unknown;
  $fault?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown; requestId?: unknown; attempts?: unknown };
}

/**
 * The parts of an AWS SDK error worth keeping, copied into a fresh `Error` (scrubbed message,
 * `name`, `$fault`, `$retryable`, `$metadata.httpStatusCode/requestId/attempts`), so nothing of
 * the original, request parameters included, is carried along as a `cause`.
 */
function summarize(error: unknown, secrets: readonly Secret[]): Error {
  const fields = (typeof error === 'object' && error !== null ? error : {}) as AwsErrorFields;
  const message = typeof fields.message === 'string' ? fields.message : String(error);
  const summary = new Error(scrubSecrets(message, secrets)) as Error & Record<string, unknown>;
  summary.name = typeof fields.name === 'string' ? fields.name : 'Error';
  if (fields.$fault === 'client' || fields.$fault === 'server') summary['$fault'] = fields.$fault;
  if (fields.$retryable !== undefined && fields.$retryable !== null) summary['$retryable'] = fields.$retryable;
  const metadata = fields.$metadata;
  if (metadata !== undefined && typeof metadata === 'object') {
    summary['$metadata'] = {
      ...(typeof metadata.httpStatusCode === 'number' ? { httpStatusCode: metadata.httpStatusCode } : {}),
      ...(typeof metadata.requestId === 'string' ? { requestId: metadata.requestId } : {}),
      ...(typeof metadata.attempts === 'number' ? { attempts: metadata.attempts } : {}),
    };
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') summary['code'] = code;
  summary.stack = `${summary.name}: ${summary.message}`;
  return summary;
}

/**
 * An SNS or DynamoDB call failed (after the SDK's own retries, and Herald's where it retries).
 * `awsErrorName` is the SDK's error name (`InvalidParameterException`, `ThrottlingException`,
 * `ResourceNotFoundException`, ...); `retryable` follows core's `isRetryableAwsError`.
 *
 * The message and `cause` are built from a scrubbed copy of the SDK error: no device token
 * (only its redacted form), no signing key or service-account key, and none of the request's
 * parameters can reach a log through this error.
 */
export class PushAwsCallError extends HeraldError {
  /** The AWS operation, e.g. `CreatePlatformEndpoint` or `TransactWriteItems`. */
  readonly operation: string;
  /** The SDK's error name, e.g. `InvalidParameterException`. */
  readonly awsErrorName: string;
  /** The HTTP status AWS answered with, when there was an answer. */
  readonly httpStatusCode: number | undefined;

  /**
   * @param service - `SNS` or `DynamoDB`.
   * @param operation - The operation that failed.
   * @param error - What the SDK threw (only a scrubbed summary of it is kept).
   * @param secrets - Values that must not appear in the message or cause.
   */
  constructor(service: 'SNS' | 'DynamoDB', operation: string, error: unknown, secrets: readonly Secret[] = []) {
    const cause = summarize(error, secrets);
    const status = (cause as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const retryable = isRetryableAwsError(cause);
    super(
      'PushAwsCallFailed',
      `${service} ${operation} failed with ${cause.name}${status === undefined ? '' : ` (HTTP ${status})`}: ${cause.message}` +
        (retryable ? ' The error is transient: retry the call.' : ''),
      { cause, retryable },
    );
    this.operation = operation;
    this.awsErrorName = cause.name;
    this.httpStatusCode = status;
  }
}
