import { GetQueueAttributesCommand, SetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { isAwsError, SQS_QUEUE_MISSING } from './aws-error-name.js';
import { SubscriptionRequestError, SubscriptionTargetNotFoundError } from './subscription-errors.js';

/** A queue's ARN and policy. @internal */
export interface QueuePolicyState {
  /** The queue's ARN. */
  readonly queueArn: string;
  /** Its `Policy` attribute, `undefined` when it has none. */
  readonly policy: string | undefined;
}

/**
 * Reads a queue's ARN and policy (`GetQueueAttributes`).
 *
 * @param sqs - The SQS client.
 * @param queueUrl - The queue.
 * @returns Its ARN and policy.
 * @throws {@link SubscriptionTargetNotFoundError} when the queue does not exist.
 * @throws {@link SubscriptionRequestError} when the request fails otherwise.
 * @internal
 */
export async function readQueuePolicy(sqs: SQSClient, queueUrl: string): Promise<QueuePolicyState> {
  let attributes: Record<string, string> | undefined;
  try {
    const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn', 'Policy'] }));
    attributes = out.Attributes;
  } catch (error) {
    if (isAwsError(error, ...SQS_QUEUE_MISSING)) throw new SubscriptionTargetNotFoundError('queue', queueUrl, error);
    throw new SubscriptionRequestError('sqs:GetQueueAttributes', queueUrl, error);
  }
  const queueArn = attributes?.['QueueArn'];
  if (queueArn === undefined || queueArn === '') {
    throw new SubscriptionRequestError('sqs:GetQueueAttributes', queueUrl, new Error('the answer has no QueueArn'));
  }
  const policy = attributes?.['Policy'];
  return { queueArn, policy: policy === '' ? undefined : policy };
}

/**
 * Writes a queue's policy (`SetQueueAttributes`); `''` removes it.
 *
 * @param sqs - The SQS client.
 * @param queueUrl - The queue.
 * @param policy - JSON text, or `''`.
 * @internal
 */
export async function writeQueuePolicy(sqs: SQSClient, queueUrl: string, policy: string): Promise<void> {
  try {
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: policy } }));
  } catch (error) {
    if (isAwsError(error, ...SQS_QUEUE_MISSING)) throw new SubscriptionTargetNotFoundError('queue', queueUrl, error);
    throw new SubscriptionRequestError('sqs:SetQueueAttributes', queueUrl, error);
  }
}
