import { randomUUID } from 'node:crypto';
import { HeraldError } from '@herald/core';
import { serviceErrorResponse, type ServiceErrorDescription } from './error-responses.js';
import type { LocalResponse } from './local-response.js';

/** The media type of every EventBridge (AWS JSON 1.1) request and answer. */
export const EVENTBRIDGE_CONTENT_TYPE = 'application/x-amz-json-1.1';

/**
 * A successful EventBridge answer (HTTP 200, JSON 1.1).
 *
 * @param value - The output shape, serialised as JSON.
 * @returns The HTTP response.
 */
export function eventBridgeOk(value: unknown): LocalResponse {
  return {
    statusCode: 200,
    headers: { 'content-type': EVENTBRIDGE_CONTENT_TYPE, 'x-amzn-requestid': randomUUID() },
    body: Buffer.from(JSON.stringify(value), 'utf8'),
  };
}

/**
 * An EventBridge error the caller caused (HTTP 400 unless told otherwise), in the JSON 1.1 shape
 * (`__type` and `message`) the SDK turns into an exception named `code`.
 *
 * @param code - The error code, e.g. `ValidationException`, `ResourceNotFoundException`.
 * @param message - The message.
 * @param statusCode - HTTP status; default 400.
 * @returns The error description.
 */
export function eventBridgeSenderError(code: string, message: string, statusCode = 400): ServiceErrorDescription {
  return { statusCode, code, message, fault: 'Sender' };
}

/**
 * Renders an EventBridge error answer.
 *
 * @param error - The error.
 * @returns The HTTP response.
 */
export function eventBridgeErrorResponse(error: ServiceErrorDescription): LocalResponse {
  return serviceErrorResponse('eventbridge', error);
}

/**
 * Thrown inside the EventBridge handlers to answer the whole request with an error; the
 * handler turns it into the HTTP answer, so it never reaches a caller of local-aws.
 */
export class EventBridgeRequestError extends HeraldError {
  /** The error to answer with. */
  readonly error: ServiceErrorDescription;

  /**
   * @param code - The AWS error code (also this error's `code`).
   * @param message - The message.
   * @param statusCode - HTTP status; default 400.
   */
  constructor(code: string, message: string, statusCode = 400) {
    // A request EventBridge refuses as invalid is refused again when retried unchanged.
    super(code, message, { retryable: false });
    this.error = eventBridgeSenderError(code, message, statusCode);
  }
}

/**
 * `ValidationException`, EventBridge's error for input that breaks a constraint.
 *
 * @param message - What is wrong.
 * @returns The error to throw.
 */
export function validationError(message: string): EventBridgeRequestError {
  return new EventBridgeRequestError('ValidationException', message);
}

/**
 * `ResourceNotFoundException`, e.g. "Event bus orders does not exist."
 *
 * @param message - What is missing.
 * @returns The error to throw.
 */
export function notFoundError(message: string): EventBridgeRequestError {
  return new EventBridgeRequestError('ResourceNotFoundException', message);
}
