import { randomUUID } from 'node:crypto';
import { endpointDisabled, invalidParameter, platformApplicationDisabled } from './platform-errors.js';
import type { PlatformStore } from './platform-store.js';
import type { LocalPushDelivery } from './push-deliveries.js';
import { readMessageAttributes } from './query-form.js';

/** Largest message SNS publishes: 262,144 bytes of body plus attribute names, types and values. */
export const MAX_PUBLISH_BYTES = 262_144;

/** The message SNS's `TargetArn` error names when no endpoint has the ARN. */
const NO_ENDPOINT = 'Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified';

/**
 * The text SNS hands the push service for a platform: with `MessageStructure: 'json'`, the
 * platform's key or else `default` (both checked as SNS does); otherwise the message as is.
 */
function payloadFor(platform: string, message: string, structure: string | undefined): string {
  if (structure !== 'json') return message;
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalidParameter('Invalid parameter: Message Structure - JSON message body failed to parse');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidParameter('Invalid parameter: Message Structure - JSON message body failed to parse');
  }
  const fields = parsed as Record<string, unknown>;
  if (typeof fields['default'] !== 'string') {
    throw invalidParameter('Invalid parameter: Message Structure - No default entry in JSON message body');
  }
  const specific = fields[platform];
  return typeof specific === 'string' ? specific : fields['default'];
}

/**
 * `Publish` with `TargetArn` naming a platform endpoint, as SNS does it:
 *
 * - an unknown endpoint: `InvalidParameter` (`... No endpoint found for the target arn specified`);
 * - a disabled endpoint: `EndpointDisabled`; a disabled application: `PlatformApplicationDisabled`;
 * - an empty or malformed message, or one over 262,144 bytes: `InvalidParameter`;
 * - otherwise accepted with a new `MessageId`. When the push service rejects the token
 *   (`isRejected`), the message is not delivered and the endpoint is disabled, as SNS does when
 *   APNs or FCM report a token invalid.
 *
 * @param store - The platform state.
 * @param form - The request form.
 * @param isRejected - Whether the push service rejects a token.
 * @param now - Current time in epoch ms.
 * @returns The delivery record (its `messageId` is the answer's).
 */
export function publishToEndpoint(
  store: PlatformStore,
  form: URLSearchParams,
  isRejected: (token: string) => boolean,
  now: number,
): LocalPushDelivery {
  const targetArn = form.get('TargetArn') ?? '';
  const endpoint = store.findEndpoint(targetArn);
  if (endpoint === undefined) throw invalidParameter(NO_ENDPOINT);
  const message = form.get('Message') ?? '';
  if (message === '') throw invalidParameter('Invalid parameter: Empty message');
  const attributes = readMessageAttributes(form);
  let bytes = Buffer.byteLength(message, 'utf8');
  const stringAttributes: Record<string, string> = {};
  for (const [name, attribute] of attributes) {
    bytes += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(attribute.dataType, 'utf8');
    if (attribute.stringValue !== undefined) {
      bytes += Buffer.byteLength(attribute.stringValue, 'utf8');
      stringAttributes[name] = attribute.stringValue;
    }
    if (attribute.binaryValue !== undefined) bytes += Buffer.from(attribute.binaryValue, 'base64').length;
  }
  if (bytes > MAX_PUBLISH_BYTES) throw invalidParameter('Invalid parameter: Message too long');
  const application = store.application(endpoint.applicationArn);
  const payload = payloadFor(application.platform, message, form.get('MessageStructure') ?? undefined);
  if (application.attributes.get('Enabled') === 'false') throw platformApplicationDisabled();
  if (!endpoint.enabled) throw endpointDisabled();
  const rejected = isRejected(endpoint.token);
  if (rejected) endpoint.enabled = false;
  return {
    messageId: randomUUID(),
    endpointArn: endpoint.arn,
    applicationArn: application.arn,
    platform: application.platform,
    token: endpoint.token,
    customUserData: endpoint.customUserData,
    payload,
    messageAttributes: stringAttributes,
    outcome: rejected ? 'rejected' : 'delivered',
    at: now,
  };
}
