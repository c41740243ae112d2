/** The account id local-aws uses in every ARN (the one fauxqs uses for topics and queues). */
export const LOCAL_ACCOUNT_ID = '000000000000';

/** The platforms `CreatePlatformApplication` accepts, as SNS names them. */
export const SUPPORTED_PUSH_PLATFORMS: ReadonlySet<string> = new Set([
  'ADM',
  'APNS',
  'APNS_SANDBOX',
  'BAIDU',
  'GCM',
  'MPNS',
  'WNS',
]);

/** Default region when a request carries no SigV4 credential scope. */
const DEFAULT_REGION = 'us-east-1';

const CREDENTIAL_SCOPE = /Credential=[^/,\s]+\/\d{8}\/([a-z0-9-]+)\/sns\/aws4_request/;

/**
 * The region a request was signed for, read from the SigV4 credential scope of its
 * `Authorization` header, as SNS answers in the region it is called in.
 *
 * @param headers - Request headers (lower-case names).
 * @returns The region, or `us-east-1` when the request is not signed.
 */
export function regionOfRequest(headers: Readonly<Record<string, string>>): string {
  const match = CREDENTIAL_SCOPE.exec(headers['authorization'] ?? '');
  return match?.[1] ?? DEFAULT_REGION;
}

/**
 * The ARN SNS gives a platform application: `arn:aws:sns:<region>:<account>:app/<platform>/<name>`.
 *
 * @param region - Region of the request.
 * @param platform - `APNS`, `GCM`, ...
 * @param name - Application name.
 * @returns The ARN.
 */
export function platformApplicationArn(region: string, platform: string, name: string): string {
  return `arn:aws:sns:${region}:${LOCAL_ACCOUNT_ID}:app/${platform}/${name}`;
}

/**
 * The ARN SNS gives an endpoint of an application:
 * `arn:aws:sns:<region>:<account>:endpoint/<platform>/<name>/<id>`.
 *
 * @param applicationArn - The application's ARN.
 * @param id - The endpoint's unique id.
 * @returns The ARN.
 */
export function platformEndpointArn(applicationArn: string, id: string): string {
  return `${applicationArn.replace(':app/', ':endpoint/')}/${id}`;
}

const ENDPOINT_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:endpoint\/[^/]+\/[^/]+\/[^/]+$/;

/**
 * Whether an ARN names a platform endpoint (as opposed to a topic).
 *
 * @param arn - Any ARN.
 * @returns `true` for `arn:aws:sns:...:endpoint/<platform>/<app>/<id>`.
 */
export function isPlatformEndpointArn(arn: string): boolean {
  return ENDPOINT_ARN.test(arn);
}
