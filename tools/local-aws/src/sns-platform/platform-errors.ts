import type { ServiceErrorDescription } from '../error-responses.js';

/**
 * An SNS error raised by the platform handlers; the handler turns it into an awsQuery
 * `ErrorResponse`. Internal to local-aws: never reaches a client as a thrown object.
 */
export class SnsPlatformRequestError extends Error {
  /** The error to render. */
  readonly description: ServiceErrorDescription;

  /** @param description - The error to render. */
  constructor(description: ServiceErrorDescription) {
    super(description.message);
    this.name = 'SnsPlatformRequestError';
    this.description = description;
  }
}

/**
 * `InvalidParameter` (HTTP 400, Sender), SNS's error for a parameter it refuses. The SDK names
 * it `InvalidParameterException`. SNS's messages start `Invalid parameter: <Name> Reason: ...`.
 *
 * @param message - The full message.
 * @returns The error.
 */
export function invalidParameter(message: string): SnsPlatformRequestError {
  return new SnsPlatformRequestError({ statusCode: 400, code: 'InvalidParameter', message, fault: 'Sender' });
}

/**
 * `NotFound` (HTTP 404, Sender). The SDK names it `NotFoundException`.
 *
 * @param message - e.g. `Endpoint does not exist`.
 * @returns The error.
 */
export function notFound(message: string): SnsPlatformRequestError {
  return new SnsPlatformRequestError({ statusCode: 404, code: 'NotFound', message, fault: 'Sender' });
}

/** The message SNS answers `GetEndpointAttributes`/`SetEndpointAttributes` with for an unknown endpoint. */
export const ENDPOINT_NOT_FOUND = 'Endpoint does not exist';

/** The message for an unknown platform application. */
export const APPLICATION_NOT_FOUND = 'Platform application does not exist';

/**
 * `EndpointDisabled` (HTTP 400): `Publish` to an endpoint whose `Enabled` is `false`. The SDK
 * names it `EndpointDisabledException`.
 *
 * @returns The error.
 */
export function endpointDisabled(): SnsPlatformRequestError {
  return new SnsPlatformRequestError({
    statusCode: 400,
    code: 'EndpointDisabled',
    message: 'Endpoint is disabled',
    fault: 'Sender',
  });
}

/**
 * `PlatformApplicationDisabled` (HTTP 400): `Publish` to an endpoint of an application whose
 * `Enabled` is `false`. The SDK names it `PlatformApplicationDisabledException`.
 *
 * @returns The error.
 */
export function platformApplicationDisabled(): SnsPlatformRequestError {
  return new SnsPlatformRequestError({
    statusCode: 400,
    code: 'PlatformApplicationDisabled',
    message: 'Platform application is disabled',
    fault: 'Sender',
  });
}

/**
 * The `InvalidParameter` SNS answers `CreatePlatformEndpoint` with when an endpoint with the same
 * token exists with other attributes (another `CustomUserData`). AWS's registration sample takes
 * the existing endpoint's ARN from this message.
 *
 * @param existingArn - The ARN of the endpoint that has the token.
 * @returns The error.
 */
export function endpointExistsWithOtherAttributes(existingArn: string): SnsPlatformRequestError {
  return invalidParameter(
    `Invalid parameter: Token Reason: Endpoint ${existingArn} already exists with the same Token, but different attributes.`,
  );
}
