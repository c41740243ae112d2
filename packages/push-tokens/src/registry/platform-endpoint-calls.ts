import {
  CreatePlatformEndpointCommand,
  DeleteEndpointCommand,
  GetEndpointAttributesCommand,
  SetEndpointAttributesCommand,
} from '@aws-sdk/client-sns';
import { PushAwsCallError } from '../aws-call-error.js';
import type { RegistryContext } from './registry-context.js';

/**
 * The ARN in SNS's answer to `CreatePlatformEndpoint` for a token that already has an endpoint
 * with other attributes: `Invalid parameter: Token Reason: Endpoint <arn> already exists with the
 * same Token, but different attributes.` (AWS's registration sample reads it the same way).
 */
const EXISTING_ENDPOINT = /Endpoint (arn:aws[^ ]*:sns:[^ ]+) already exists with the same [Tt]oken/;

/** How an endpoint ARN was obtained from `CreatePlatformEndpoint`. */
export type CreatedHow = 'created' | 'adopted';

/**
 * `CreatePlatformEndpoint`. When SNS answers that an endpoint with this token exists with
 * other attributes, its ARN is taken from the answer (`adopted`) instead of failing.
 *
 * @param context - The registry.
 * @param applicationArn - The application.
 * @param token - The device token.
 * @param customUserData - `CustomUserData` to create it with, if any.
 * @returns The ARN and how it was obtained.
 */
export async function createPlatformEndpoint(
  context: RegistryContext,
  applicationArn: string,
  token: string,
  customUserData: string | undefined,
): Promise<{ arn: string; how: CreatedHow }> {
  try {
    const out = await context.sns.send(
      new CreatePlatformEndpointCommand({
        PlatformApplicationArn: applicationArn,
        Token: token,
        ...(customUserData === undefined ? {} : { CustomUserData: customUserData }),
      }),
    );
    if (out.EndpointArn === undefined) throw new Error('CreatePlatformEndpoint answered without an EndpointArn');
    return { arn: out.EndpointArn, how: 'created' };
  } catch (error) {
    const existing = error instanceof Error && error.name === 'InvalidParameterException' ? EXISTING_ENDPOINT.exec(error.message) : null;
    if (existing?.[1] !== undefined) return { arn: existing[1], how: 'adopted' };
    throw new PushAwsCallError('SNS', 'CreatePlatformEndpoint', error, [{ kind: 'token', value: token }]);
  }
}

/** An endpoint's attributes as `GetEndpointAttributes` returns them. */
export interface EndpointState {
  /** `Token`. */
  readonly token: string | undefined;
  /** `Enabled === 'true'`. */
  readonly enabled: boolean;
  /** `CustomUserData`. */
  readonly customUserData: string | undefined;
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === 'NotFoundException';
}

/**
 * `GetEndpointAttributes`.
 *
 * @param context - The registry.
 * @param endpointArn - The endpoint.
 * @param secretToken - The token being registered, scrubbed from any error.
 * @returns The state, or `'gone'` when SNS answers `NotFound`.
 */
export async function readPlatformEndpoint(
  context: RegistryContext,
  endpointArn: string,
  secretToken?: string,
): Promise<EndpointState | 'gone'> {
  try {
    const out = await context.sns.send(new GetEndpointAttributesCommand({ EndpointArn: endpointArn }));
    const attributes = out.Attributes ?? {};
    return { token: attributes['Token'], enabled: attributes['Enabled'] === 'true', customUserData: attributes['CustomUserData'] };
  } catch (error) {
    if (isNotFound(error)) return 'gone';
    throw new PushAwsCallError('SNS', 'GetEndpointAttributes', error, secretToken === undefined ? [] : [{ kind: 'token', value: secretToken }]);
  }
}

/**
 * `SetEndpointAttributes`.
 *
 * @param context - The registry.
 * @param endpointArn - The endpoint.
 * @param attributes - What to set.
 * @returns `'ok'`, or `'gone'` when SNS answers `NotFound` (deleted since it was read).
 */
export async function setPlatformEndpoint(
  context: RegistryContext,
  endpointArn: string,
  attributes: Readonly<Record<string, string>>,
): Promise<'ok' | 'gone'> {
  try {
    await context.sns.send(new SetEndpointAttributesCommand({ EndpointArn: endpointArn, Attributes: { ...attributes } }));
    return 'ok';
  } catch (error) {
    if (isNotFound(error)) return 'gone';
    const token = attributes['Token'];
    throw new PushAwsCallError('SNS', 'SetEndpointAttributes', error, token === undefined ? [] : [{ kind: 'token', value: token }]);
  }
}

/**
 * `DeleteEndpoint` (idempotent in SNS: deleting a deleted endpoint succeeds).
 *
 * @param context - The registry.
 * @param endpointArn - The endpoint.
 */
export async function deletePlatformEndpoint(context: RegistryContext, endpointArn: string): Promise<void> {
  try {
    await context.sns.send(new DeleteEndpointCommand({ EndpointArn: endpointArn }));
  } catch (error) {
    if (isNotFound(error)) return;
    throw new PushAwsCallError('SNS', 'DeleteEndpoint', error);
  }
}
