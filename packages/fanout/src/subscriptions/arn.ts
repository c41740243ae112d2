/** The parts of an ARN: `arn:partition:service:region:account:resource`. @internal */
export interface ArnParts {
  /** `aws`, `aws-cn`, `aws-us-gov`, … */
  readonly partition: string;
  /** The service namespace, for example `sns` or `sqs`. */
  readonly service: string;
  /** The region. */
  readonly region: string;
  /** The 12-digit account id. */
  readonly account: string;
  /** Everything after the account: a topic or queue name. */
  readonly resource: string;
}

/**
 * Splits an ARN into its parts, or returns `undefined` when it is not one.
 *
 * @param arn - The text to read.
 * @returns The parts, or `undefined`.
 * @internal
 */
export function parseArn(arn: string): ArnParts | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition = '', service = '', region = '', account = ''] = parts;
  const resource = parts.slice(5).join(':');
  if (partition === '' || service === '' || resource === '') return undefined;
  return { partition, service, region, account, resource };
}

/** SNS topic names: 1–256 of `[A-Za-z0-9_-]`, FIFO topics ending in `.fifo`. */
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

/**
 * Checks that `topicArn` is an SNS topic ARN (`arn:aws:sns:us-east-1:123456789012:orders`);
 * throws a `TypeError` naming the function and what was wrong otherwise.
 *
 * @param topicArn - The value given.
 * @param where - The function name, for the message.
 * @returns The parsed ARN.
 * @internal
 */
export function requireTopicArn(topicArn: unknown, where: string): ArnParts {
  const parsed = typeof topicArn === 'string' ? parseArn(topicArn) : undefined;
  if (parsed === undefined || parsed.service !== 'sns' || parsed.region === '' || !TOPIC_NAME.test(parsed.resource)) {
    throw new TypeError(
      `${where}: topicArn must be an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:orders, got ${JSON.stringify(topicArn)}.`,
    );
  }
  return parsed;
}

/**
 * The queue name of an SQS queue ARN (`arn:aws:sqs:region:account:name`), or `undefined` when
 * `arn` is not one.
 *
 * @param arn - A subscription endpoint or queue ARN.
 * @returns The queue name, or `undefined`.
 * @internal
 */
export function queueNameFromArn(arn: string): string | undefined {
  const parsed = parseArn(arn);
  return parsed?.service === 'sqs' && !parsed.resource.includes(':') ? parsed.resource : undefined;
}
