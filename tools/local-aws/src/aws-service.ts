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

/**
 * Works out which service a request is for from its protocol:
 * SQS and DynamoDB (JSON 1.0) and EventBridge (JSON 1.1) by `X-Amz-Target`,
 * SNS (awsQuery) by a form body carrying `Action=`.
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
  if (target !== undefined && target !== '') {
    if (target.startsWith(SQS_TARGET_PREFIX)) {
      return { service: 'sqs', action: target.slice(SQS_TARGET_PREFIX.length) };
    }
    if (target.startsWith(DYNAMODB_TARGET_PREFIX)) {
      return { service: 'dynamodb', action: target.slice(DYNAMODB_TARGET_PREFIX.length) };
    }
    if (target.startsWith(EVENTBRIDGE_TARGET_PREFIX)) {
      return { service: 'eventbridge', action: target.slice(EVENTBRIDGE_TARGET_PREFIX.length) };
    }
    return undefined;
  }
  if (contentType !== undefined && contentType.includes('application/x-www-form-urlencoded')) {
    const action = new URLSearchParams(body.toString('utf8')).get('Action') ?? '';
    return { service: 'sns', action };
  }
  return undefined;
}
