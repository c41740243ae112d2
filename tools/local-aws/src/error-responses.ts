import { randomUUID } from 'node:crypto';
import type { AwsService } from './aws-service.js';
import type { LocalResponse } from './local-response.js';
import { escapeXml } from './xml-escape.js';

/** Whether the caller (`Sender`) or the service (`Receiver`) is at fault. */
export type ErrorFault = 'Sender' | 'Receiver';

/** A service error, described independently of the wire protocol. */
export interface ServiceErrorDescription {
  /** HTTP status code. */
  readonly statusCode: number;
  /** The error code the SDK turns into the exception's `name`. */
  readonly code: string;
  /** Human-readable message. */
  readonly message: string;
  /** Who is at fault. */
  readonly fault: ErrorFault;
}

const SNS_XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

/**
 * Renders an awsQuery (SNS) `ErrorResponse` document.
 *
 * @param error - The error to render.
 * @returns The HTTP response.
 */
export function awsQueryErrorResponse(error: ServiceErrorDescription): LocalResponse {
  const requestId = randomUUID();
  const xml =
    `<ErrorResponse xmlns="${SNS_XMLNS}">` +
    `<Error><Type>${error.fault}</Type><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`;
  return {
    statusCode: error.statusCode,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: Buffer.from(xml, 'utf8'),
  };
}

/**
 * Renders an AWS JSON (1.0 or 1.1) error body.
 *
 * @param error - The error to render.
 * @param namespace - The shape namespace put before `#` in `__type`, e.g. `com.amazonaws.sqs`.
 * @param contentType - `application/x-amz-json-1.0` or `application/x-amz-json-1.1`.
 * @param queryErrorCode - For awsQuery-compatible services (SQS): the code sent in
 *   `x-amzn-query-error`, which the SDK prefers over `__type` when naming the error.
 * @returns The HTTP response.
 */
export function awsJsonErrorResponse(
  error: ServiceErrorDescription,
  namespace: string,
  contentType: string,
  queryErrorCode?: string,
): LocalResponse {
  const requestId = randomUUID();
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-amzn-requestid': requestId,
  };
  if (queryErrorCode !== undefined) {
    headers['x-amzn-query-error'] = `${queryErrorCode};${error.fault}`;
  }
  const body = JSON.stringify({ __type: `${namespace}#${error.code}`, message: error.message });
  return { statusCode: error.statusCode, headers, body: Buffer.from(body, 'utf8') };
}

/**
 * Renders an error in the wire shape of the given service (awsQuery XML for SNS,
 * JSON 1.0 with `x-amzn-query-error` for SQS, JSON 1.0 for DynamoDB, JSON 1.1 for EventBridge).
 *
 * @param service - The service the request was for.
 * @param error - The error to render.
 * @returns The HTTP response.
 */
export function serviceErrorResponse(service: AwsService, error: ServiceErrorDescription): LocalResponse {
  switch (service) {
    case 'sns':
      return awsQueryErrorResponse(error);
    case 'sqs':
      return awsJsonErrorResponse(error, 'com.amazonaws.sqs', 'application/x-amz-json-1.0', error.code);
    case 'dynamodb':
      return awsJsonErrorResponse(error, 'com.amazonaws.dynamodb.v20120810', 'application/x-amz-json-1.0');
    case 'eventbridge':
      return awsJsonErrorResponse(error, 'com.amazonaws.eventbridge', 'application/x-amz-json-1.1');
  }
}

/**
 * The throttling error each service really returns, as the SDK names it:
 * SNS `Throttling` (awsQuery, Sender), SQS `RequestThrottled`, DynamoDB `ThrottlingException`,
 * EventBridge `ThrottlingException`. All with HTTP 400.
 *
 * @param service - The service the request was for.
 * @returns The error description.
 */
export function throttlingError(service: AwsService): ServiceErrorDescription {
  switch (service) {
    case 'sns':
      return { statusCode: 400, code: 'Throttling', message: 'Rate exceeded', fault: 'Sender' };
    case 'sqs':
      return {
        statusCode: 400,
        code: 'RequestThrottled',
        message: 'Request is throttled (injected by local-aws).',
        fault: 'Sender',
      };
    case 'dynamodb':
    case 'eventbridge':
      return {
        statusCode: 400,
        code: 'ThrottlingException',
        message: 'Rate of requests exceeds the allowed throughput.',
        fault: 'Sender',
      };
  }
}

/**
 * The internal server error each service returns with HTTP 500: `InternalFailure` for SNS,
 * SQS and EventBridge, `InternalServerError` for DynamoDB (its modelled 500 error).
 *
 * @param service - The service the request was for.
 * @returns The error description.
 */
export function internalError(service: AwsService): ServiceErrorDescription {
  const message = 'The request processing has failed because of an unknown error (injected by local-aws).';
  if (service === 'dynamodb') {
    return { statusCode: 500, code: 'InternalServerError', message, fault: 'Receiver' };
  }
  return { statusCode: 500, code: 'InternalFailure', message, fault: 'Receiver' };
}
