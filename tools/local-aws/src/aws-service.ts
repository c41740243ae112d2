import { mediaType } from './content-type.js';

/** The services the local endpoint answers for. */
export type AwsService = 'sns' | 'sqs' | 'dynamodb' | 'eventbridge';

/** One incoming request, classified by protocol. */
export interface RoutedRequest {
  /** Which service the request is for. */
  readonly service: AwsService;
  /** The operation name, e.g. `PublishBatch`, `SendMessageBatch`, `PutItem`. Empty when the request named none. */
  readonly action: string;
}

const SQS_TARGET_PREFIX = 'AmazonSQS.';
const DYNAMODB_TARGET_PREFIX = 'DynamoDB_20120810.';
const EVENTBRIDGE_TARGET_PREFIX = 'AWSEvents.';

const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';

/**
 * Works out which service a request is for from its headers alone (no body needed):
 * SQS, DynamoDB and EventBridge by `X-Amz-Target`, SNS by a form (`application/x-www-form-urlencoded`) body.
 *
 * @param target - The `X-Amz-Target` header, if any.
 * @param contentType - The `Content-Type` header, if any.
 * @returns The service, or `undefined` when the headers match no supported protocol.
 */
export function serviceFromHeaders(target: string | undefined, contentType: string | undefined): AwsService | undefined {
  if (target !== undefined && target !== '') {
    if (target.startsWith(SQS_TARGET_PREFIX)) return 'sqs';
    if (target.startsWith(DYNAMODB_TARGET_PREFIX)) return 'dynamodb';
    if (target.startsWith(EVENTBRIDGE_TARGET_PREFIX)) return 'eventbridge';
    return undefined;
  }
  return mediaType(contentType) === FORM_MEDIA_TYPE ? 'sns' : undefined;
}

/**
 * Works out which service a request is for from its protocol:
 * SQS and DynamoDB (JSON 1.0) and EventBridge (JSON 1.1) by `X-Amz-Target`,
 * SNS (awsQuery) by a form body carrying `Action=`. The `Content-Type` is matched
 * case-insensitively and with any parameters (`; charset=utf-8`).
 *
 * @param target - The `X-Amz-Target` header, if any.
 * @param contentType - The `Content-Type` header, if any.
 * @param body - The raw request body.
 * @returns The service and action, or `undefined` when the request matches no supported protocol.
 */
export function routeRequest(
  target: string | undefined,
  contentType: string | undefined,
  body: Buffer,
): RoutedRequest | undefined {
  const service = serviceFromHeaders(target, contentType);
  switch (service) {
    case undefined:
      return undefined;
    case 'sqs':
      return { service, action: (target ?? '').slice(SQS_TARGET_PREFIX.length) };
    case 'dynamodb':
      return { service, action: (target ?? '').slice(DYNAMODB_TARGET_PREFIX.length) };
    case 'eventbridge':
      return { service, action: (target ?? '').slice(EVENTBRIDGE_TARGET_PREFIX.length) };
    case 'sns':
      return { service, action: new URLSearchParams(body.toString('utf8')).get('Action') ?? '' };
  }
}
