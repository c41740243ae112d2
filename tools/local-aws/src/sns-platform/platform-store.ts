import { createHash, randomUUID } from 'node:crypto';
import {
  APPLICATION_NOT_FOUND,
  ENDPOINT_NOT_FOUND,
  endpointExistsWithOtherAttributes,
  invalidParameter,
  notFound,
} from './platform-errors.js';
import { platformApplicationArn, platformEndpointArn, SUPPORTED_PUSH_PLATFORMS } from './platform-arns.js';

/** A platform application as local-aws keeps it. */
export interface PlatformApplicationRecord {
  /** Its ARN. */
  readonly arn: string;
  /** Creation order (list answers page by it, so deletions between pages skip nothing). */
  readonly seq: number;
  /** Its name. */
  readonly name: string;
  /** `APNS`, `APNS_SANDBOX`, `GCM`, ... */
  readonly platform: string;
  /** Attributes `GetPlatformApplicationAttributes` returns (never the credential or principal). */
  readonly attributes: Map<string, string>;
  /** `PlatformPrincipal` as last set (kept out of every answer, like SNS does). */
  principal: string | undefined;
  /** `PlatformCredential` as last set (kept out of every answer, like SNS does). */
  credential: string | undefined;
}

/** A platform endpoint as local-aws keeps it. */
export interface PlatformEndpointRecord {
  /** Its ARN. */
  readonly arn: string;
  /** Creation order (list answers page by it, so deletions between pages skip nothing). */
  readonly seq: number;
  /** The ARN of its application. */
  readonly applicationArn: string;
  /** The device token. */
  token: string;
  /** `CustomUserData`, if set. */
  customUserData: string | undefined;
  /** `Enabled`. */
  enabled: boolean;
}

/** What the test hook tells about an application's credentials: a fingerprint, never the secret. */
export interface PlatformCredentialFingerprint {
  /** `PlatformPrincipal` (an APNs key id, a certificate, ...), or `undefined` when none was set. */
  readonly principal: string | undefined;
  /** SHA-256 (hex) of `PlatformCredential`, or `undefined` when none was set. */
  readonly credentialSha256: string | undefined;
}

/** Largest `CustomUserData` SNS accepts, in UTF-8 bytes ("less than 2 KB"). */
export const MAX_CUSTOM_USER_DATA_BYTES = 2048;

const APPLICATION_NAME = /^[A-Za-z0-9_.-]{1,256}$/;

/** Endpoint attributes `SetEndpointAttributes` accepts. */
const ENDPOINT_ATTRIBUTES = new Set(['CustomUserData', 'Enabled', 'Token']);

function parseEnabled(value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalidParameter(`Invalid parameter: Attributes Reason: Enabled must be "true" or "false", got "${value}"`);
}

function checkCustomUserData(value: string): void {
  if (Buffer.byteLength(value, 'utf8') > MAX_CUSTOM_USER_DATA_BYTES) {
    throw invalidParameter(
      `Invalid parameter: CustomUserData Reason: must be less than ${MAX_CUSTOM_USER_DATA_BYTES} bytes of UTF-8`,
    );
  }
}

function checkToken(token: string | undefined): string {
  if (token === undefined || token.trim() === '') {
    throw invalidParameter('Invalid parameter: Token Reason: cannot be empty');
  }
  return token;
}

/**
 * The state behind the local SNS platform handlers: applications, their endpoints, and the
 * token index `CreatePlatformEndpoint` deduplicates on. Every method enforces SNS's documented
 * rules and throws an `SnsPlatformRequestError` carrying SNS's error when a request breaks one.
 */
export class PlatformStore {
  readonly #applications = new Map<string, PlatformApplicationRecord>();
  /** Endpoints in creation order (Map keeps insertion order; list answers page through it). */
  readonly #endpoints = new Map<string, PlatformEndpointRecord>();
  #nextSeq = 1;

  /**
   * `CreatePlatformApplication`. A second call with the same name and platform returns the same
   * ARN and applies the new attributes.
   *
   * @param region - Region of the request.
   * @param name - Application name.
   * @param platform - Platform name.
   * @param attributes - Request attributes.
   * @returns The application.
   */
  createApplication(
    region: string,
    name: string | undefined,
    platform: string | undefined,
    attributes: ReadonlyMap<string, string>,
  ): PlatformApplicationRecord {
    if (name === undefined || !APPLICATION_NAME.test(name)) {
      throw invalidParameter(
        'Invalid parameter: Name Reason: must be 1 to 256 characters of ASCII letters, digits, underscores, hyphens and periods',
      );
    }
    if (platform === undefined || !SUPPORTED_PUSH_PLATFORMS.has(platform)) {
      throw invalidParameter(`Invalid parameter: Platform Reason: ${platform ?? ''} is not supported`);
    }
    const hasPrincipal = attributes.has('PlatformPrincipal');
    const hasCredential = attributes.has('PlatformCredential');
    if (platform === 'GCM') {
      if (!hasCredential) throw invalidParameter('Invalid parameter: Attributes Reason: PlatformCredential attribute required');
    } else if (hasCredential && !hasPrincipal) {
      throw invalidParameter('Invalid parameter: Attributes Reason: PlatformCredential attribute provided without PlatformPrincipal');
    }
    if (hasPrincipal && !hasCredential) {
      throw invalidParameter('Invalid parameter: Attributes Reason: PlatformPrincipal attribute provided without PlatformCredential');
    }
    const arn = platformApplicationArn(region, platform, name);
    const application: PlatformApplicationRecord = this.#applications.get(arn) ?? {
      arn,
      seq: this.#nextSeq++,
      name,
      platform,
      attributes: new Map([['Enabled', 'true']]),
      principal: undefined,
      credential: undefined,
    };
    this.#applyApplicationAttributes(application, attributes);
    this.#applications.set(arn, application);
    return application;
  }

  /**
   * `SetPlatformApplicationAttributes` (e.g. rotating a signing key).
   *
   * @param arn - Application ARN.
   * @param attributes - Attributes to set.
   */
  setApplicationAttributes(arn: string | undefined, attributes: ReadonlyMap<string, string>): void {
    const application = this.application(arn);
    if (attributes.size === 0) throw invalidParameter('Invalid parameter: Attributes Reason: no attributes given');
    this.#applyApplicationAttributes(application, attributes);
  }

  #applyApplicationAttributes(application: PlatformApplicationRecord, attributes: ReadonlyMap<string, string>): void {
    for (const [key, value] of attributes) {
      if (key === 'PlatformCredential') application.credential = value;
      else if (key === 'PlatformPrincipal') application.principal = value;
      else if (key === 'Enabled') application.attributes.set(key, String(parseEnabled(value)));
      else application.attributes.set(key, value);
    }
  }

  /**
   * The application with this ARN.
   *
   * @param arn - Application ARN.
   * @returns The application; throws SNS's `NotFound` when there is none.
   */
  application(arn: string | undefined): PlatformApplicationRecord {
    const application = arn === undefined ? undefined : this.#applications.get(arn);
    if (application === undefined) throw notFound(APPLICATION_NOT_FOUND);
    return application;
  }

  /**
   * `DeletePlatformApplication`: the application and all its endpoints. Deleting one that does
   * not exist succeeds.
   *
   * @param arn - Application ARN.
   */
  deleteApplication(arn: string | undefined): void {
    if (arn === undefined) throw invalidParameter('Invalid parameter: PlatformApplicationArn Reason: must be given');
    this.#applications.delete(arn);
    for (const endpoint of [...this.#endpoints.values()]) {
      if (endpoint.applicationArn === arn) this.#endpoints.delete(endpoint.arn);
    }
  }

  /** @returns Every application, in creation order. */
  applications(): PlatformApplicationRecord[] {
    return [...this.#applications.values()];
  }

  /**
   * `CreatePlatformEndpoint`, as SNS documents it: an endpoint with the same token and the same
   * `CustomUserData` is returned as is (its `Enabled` untouched, so a disabled one stays
   * disabled); one with the same token and another `CustomUserData` is refused with
   * `InvalidParameter` naming its ARN; otherwise a new endpoint is created.
   *
   * @param applicationArn - Application ARN.
   * @param token - Device token.
   * @param customUserDataParameter - The `CustomUserData` parameter, if given.
   * @param attributes - Request attributes, those of `SetEndpointAttributes`: `Enabled` is
   *   honoured for a new endpoint, `CustomUserData` when the parameter is not given.
   * @returns The endpoint.
   */
  createEndpoint(
    applicationArn: string | undefined,
    token: string | undefined,
    customUserDataParameter: string | undefined,
    attributes: ReadonlyMap<string, string>,
  ): PlatformEndpointRecord {
    const application = this.application(applicationArn);
    const checkedToken = checkToken(token);
    const customUserData = customUserDataParameter ?? attributes.get('CustomUserData');
    if (customUserData !== undefined) checkCustomUserData(customUserData);
    const existing = this.findEndpointByToken(application.arn, checkedToken);
    if (existing !== undefined) {
      if (existing.customUserData === customUserData) return existing;
      throw endpointExistsWithOtherAttributes(existing.arn);
    }
    const enabled = attributes.has('Enabled') ? parseEnabled(attributes.get('Enabled') ?? '') : true;
    const endpoint: PlatformEndpointRecord = {
      arn: platformEndpointArn(application.arn, randomUUID()),
      seq: this.#nextSeq++,
      applicationArn: application.arn,
      token: checkedToken,
      customUserData,
      enabled,
    };
    this.#endpoints.set(endpoint.arn, endpoint);
    return endpoint;
  }

  /**
   * The oldest endpoint of an application with this token (SetEndpointAttributes can give two
   * endpoints the same token; CreatePlatformEndpoint then finds the oldest).
   *
   * @param applicationArn - Application ARN.
   * @param token - Device token.
   * @returns The endpoint, if any.
   */
  findEndpointByToken(applicationArn: string, token: string): PlatformEndpointRecord | undefined {
    for (const endpoint of this.#endpoints.values()) {
      if (endpoint.applicationArn === applicationArn && endpoint.token === token) return endpoint;
    }
    return undefined;
  }

  /**
   * The endpoint with this ARN.
   *
   * @param arn - Endpoint ARN.
   * @returns The endpoint; throws SNS's `NotFound` (`Endpoint does not exist`) when there is none.
   */
  endpoint(arn: string | undefined): PlatformEndpointRecord {
    const endpoint = arn === undefined ? undefined : this.#endpoints.get(arn);
    if (endpoint === undefined) throw notFound(ENDPOINT_NOT_FOUND);
    return endpoint;
  }

  /**
   * The endpoint with this ARN, or `undefined`.
   *
   * @param arn - Endpoint ARN.
   * @returns The endpoint, if it exists.
   */
  findEndpoint(arn: string): PlatformEndpointRecord | undefined {
    return this.#endpoints.get(arn);
  }

  /**
   * `SetEndpointAttributes`: `CustomUserData`, `Enabled` and `Token`.
   *
   * @param arn - Endpoint ARN.
   * @param attributes - Attributes to set.
   */
  setEndpointAttributes(arn: string | undefined, attributes: ReadonlyMap<string, string>): void {
    const endpoint = this.endpoint(arn);
    if (attributes.size === 0) throw invalidParameter('Invalid parameter: Attributes Reason: no attributes given');
    for (const key of attributes.keys()) {
      if (!ENDPOINT_ATTRIBUTES.has(key)) {
        throw invalidParameter(
          `Invalid parameter: Attributes Reason: ${key} is not an endpoint attribute (use CustomUserData, Enabled or Token)`,
        );
      }
    }
    // Validate everything before changing anything: a refused request changes nothing.
    const token = attributes.has('Token') ? checkToken(attributes.get('Token')) : undefined;
    const enabled = attributes.has('Enabled') ? parseEnabled(attributes.get('Enabled') ?? '') : undefined;
    const customUserData = attributes.get('CustomUserData');
    if (customUserData !== undefined) checkCustomUserData(customUserData);
    if (token !== undefined) endpoint.token = token;
    if (enabled !== undefined) endpoint.enabled = enabled;
    if (customUserData !== undefined) endpoint.customUserData = customUserData === '' ? undefined : customUserData;
  }

  /**
   * `DeleteEndpoint`. Deleting an endpoint that does not exist succeeds (SNS documents the action
   * as idempotent).
   *
   * @param arn - Endpoint ARN.
   */
  deleteEndpoint(arn: string | undefined): void {
    if (arn === undefined) throw invalidParameter('Invalid parameter: EndpointArn Reason: must be given');
    this.#endpoints.delete(arn);
  }

  /**
   * The endpoints of an application, in creation order.
   *
   * @param applicationArn - Application ARN.
   * @returns The endpoints; throws `NotFound` for an unknown application.
   */
  endpointsOf(applicationArn: string | undefined): PlatformEndpointRecord[] {
    const application = this.application(applicationArn);
    return [...this.#endpoints.values()].filter((endpoint) => endpoint.applicationArn === application.arn);
  }

  /**
   * What the test hook may tell about an application's credentials.
   *
   * @param arn - Application ARN.
   * @returns The principal and a SHA-256 of the credential.
   */
  credentialFingerprint(arn: string): PlatformCredentialFingerprint {
    const application = this.application(arn);
    return {
      principal: application.principal,
      credentialSha256:
        application.credential === undefined ? undefined : createHash('sha256').update(application.credential).digest('hex'),
    };
  }
}

/**
 * The attributes `GetEndpointAttributes` returns for an endpoint: `Enabled`, `Token`, and
 * `CustomUserData` when set.
 *
 * @param endpoint - The endpoint.
 * @returns The attributes, in that order.
 */
export function endpointAttributes(endpoint: PlatformEndpointRecord): [string, string][] {
  const attributes: [string, string][] = [
    ['Enabled', String(endpoint.enabled)],
    ['Token', endpoint.token],
  ];
  if (endpoint.customUserData !== undefined) attributes.push(['CustomUserData', endpoint.customUserData]);
  return attributes;
}
