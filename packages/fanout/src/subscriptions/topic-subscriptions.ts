import { ListSubscriptionsByTopicCommand, type SNSClient } from '@aws-sdk/client-sns';
import { isAwsError, SNS_NOT_FOUND } from './aws-error-name.js';
import { SubscriptionRequestError, SubscriptionTargetNotFoundError } from './subscription-errors.js';

/** One subscription of a topic, as `ListSubscriptionsByTopic` lists it. @internal */
export interface TopicSubscription {
  /** Its ARN (`PendingConfirmation` for a subscription still waiting to be confirmed). */
  readonly subscriptionArn: string;
  /** `sqs`, `lambda`, `https`, … */
  readonly protocol: string;
  /** The endpoint: for `sqs`, the queue ARN. */
  readonly endpoint: string;
}

/**
 * Every subscription of a topic, page by page (`ListSubscriptionsByTopic` returns up to 100 per
 * call and a `NextToken` while there are more).
 *
 * @param sns - The SNS client.
 * @param topicArn - The topic.
 * @returns The subscriptions, in the order SNS lists them.
 * @throws {@link SubscriptionTargetNotFoundError} when the topic does not exist.
 * @throws {@link SubscriptionRequestError} when a request fails.
 * @internal
 */
export async function* listTopicSubscriptions(sns: SNSClient, topicArn: string): AsyncGenerator<TopicSubscription> {
  let nextToken: string | undefined;
  const seenTokens = new Set<string>();
  do {
    let page;
    try {
      page = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: nextToken }));
    } catch (error) {
      if (isAwsError(error, ...SNS_NOT_FOUND)) throw new SubscriptionTargetNotFoundError('topic', topicArn, error);
      throw new SubscriptionRequestError('sns:ListSubscriptionsByTopic', topicArn, error);
    }
    for (const s of page.Subscriptions ?? []) {
      if (s.SubscriptionArn === undefined) continue;
      yield { subscriptionArn: s.SubscriptionArn, protocol: s.Protocol ?? '', endpoint: s.Endpoint ?? '' };
    }
    nextToken = page.NextToken === '' ? undefined : page.NextToken;
    // A token seen before would loop forever; SNS never repeats one.
    if (nextToken !== undefined && seenTokens.has(nextToken)) break;
    if (nextToken !== undefined) seenTokens.add(nextToken);
  } while (nextToken !== undefined);
}

/** Whether a listed subscription ARN is a confirmed one (`PendingConfirmation` is not an ARN). */
export const isConfirmedArn = (subscriptionArn: string): boolean => subscriptionArn.startsWith('arn:');

/**
 * The confirmed subscriptions of `topicArn` that deliver to the queue `queueArn`.
 *
 * @param sns - The SNS client.
 * @param topicArn - The topic.
 * @param queueArn - The queue's ARN (the subscription endpoint).
 * @returns Their ARNs (normally none or one: SNS keeps one subscription per topic and endpoint).
 * @internal
 */
export async function findQueueSubscriptions(sns: SNSClient, topicArn: string, queueArn: string): Promise<string[]> {
  const found: string[] = [];
  for await (const s of listTopicSubscriptions(sns, topicArn)) {
    if (s.protocol === 'sqs' && s.endpoint === queueArn && isConfirmedArn(s.subscriptionArn)) found.push(s.subscriptionArn);
  }
  return found;
}
