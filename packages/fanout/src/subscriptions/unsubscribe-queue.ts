import { type SNSClient, UnsubscribeCommand } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { requireTopicArn } from './arn.js';
import { isAwsError, SNS_NOT_FOUND } from './aws-error-name.js';
import { removeTopicFromQueuePolicy } from './queue-policy.js';
import { type QueuePolicyState, readQueuePolicy, writeQueuePolicy } from './queue-attributes.js';
import { withQueueLock } from './queue-lock.js';
import { SubscriptionRequestError, SubscriptionTargetNotFoundError } from './subscription-errors.js';
import { queueArnFromUrl, sqsClientRegion } from './queue-url-arn.js';
import { findQueueSubscriptions } from './topic-subscriptions.js';

/** Options of {@link unsubscribeQueue}. */
export interface UnsubscribeQueueOptions {
  /** A configured SNS client, in the topic's region. */
  readonly sns: SNSClient;
  /** A configured SQS client, in the queue's region. */
  readonly sqs: SQSClient;
  /** The topic to unsubscribe from. */
  readonly topicArn: string;
  /** The queue. */
  readonly queueUrl: string;
}

/** What {@link unsubscribeQueue} did to the queue policy. */
export type QueuePolicyRemoval = 'topic-removed' | 'statement-removed' | 'policy-removed' | 'unchanged' | 'queue-missing';

/** Result of {@link unsubscribeQueue}. */
export interface UnsubscribeQueueResult {
  /** `'removed'` when a subscription or the topic's place in the policy was removed; `'unchanged'` when neither existed. */
  readonly status: 'removed' | 'unchanged';
  /** The subscriptions deleted (normally one). */
  readonly removedSubscriptionArns: readonly string[];
  /**
   * `'topic-removed'`: Herald's statement lists other topics still; `'statement-removed'`: it
   * listed only this topic and is gone; `'policy-removed'`: it was the policy's last statement,
   * so the policy was removed (SQS's empty `Policy`); `'unchanged'`: the topic was not listed;
   * `'queue-missing'`: the queue does not exist (any more), so there was no policy to edit (its
   * subscriptions were still looked for by the queue's ARN and removed).
   */
  readonly policy: QueuePolicyRemoval;
  /** The queue's ARN (derived from its URL when the queue no longer exists). */
  readonly queueArn: string;
}

/**
 * The ARN of a queue that does not exist, from its URL and, for hosts that are not SQS's, the
 * client's region.
 */
async function missingQueueArn(sqs: SQSClient, queueUrl: string): Promise<string | undefined> {
  return queueArnFromUrl(queueUrl, undefined) ?? queueArnFromUrl(queueUrl, await sqsClientRegion(sqs));
}

/**
 * Undoes {@link subscribeQueue}: deletes the topic's subscriptions to the queue, then removes
 * the topic from Herald's queue-policy statement (the statement goes when no topic is left; the
 * policy goes when no statement is left). Every other statement is kept. Idempotent: a second
 * call returns `status: 'unchanged'`. The subscription goes first, so SNS never delivers to a
 * queue that no longer allows it. A topic that no longer exists is removed from the policy too
 * (its subscriptions went with it). Calls for the same queue in this process run one after the
 * other (see {@link subscribeQueue} on concurrency).
 *
 * A queue that was deleted first (or is deleted meanwhile) still gets its subscriptions removed:
 * SNS keeps a subscription whose queue is gone. Its ARN comes from the URL
 * (`https://sqs.<region>.amazonaws.com/<account>/<name>` → `arn:aws:sqs:<region>:<account>:<name>`;
 * for other hosts, such as a local endpoint, with the SQS client's region), and the result says
 * `policy: 'queue-missing'`: there was no policy left to edit.
 *
 * **IAM**: `sqs:GetQueueAttributes`, `sqs:SetQueueAttributes` on the queue;
 * `sns:ListSubscriptionsByTopic` on the topic; `sns:Unsubscribe` (`Resource: "*"`).
 *
 * @param options - Clients, topic and queue.
 * @returns What was removed.
 * @throws {@link SubscriptionTargetNotFoundError} when the queue does not exist and its ARN cannot
 *   be derived (the URL's path is not `/<account>/<name>`, or neither the URL nor the client names a region).
 * @throws {@link QueuePolicyConflictError} when a statement with Herald's Sid is not Herald's.
 * @throws {@link SubscriptionRequestError} when an AWS request fails.
 *
 * @example
 * ```ts
 * await unsubscribeQueue({ sns, sqs, topicArn, queueUrl }); // { status: 'removed', policy: 'policy-removed', … }
 * ```
 */
export async function unsubscribeQueue(options: UnsubscribeQueueOptions): Promise<UnsubscribeQueueResult> {
  const { sns, sqs, topicArn, queueUrl } = options;
  requireTopicArn(topicArn, 'unsubscribeQueue');
  if (typeof queueUrl !== 'string' || !/^https?:\/\/\S+$/.test(queueUrl)) {
    throw new TypeError(`unsubscribeQueue: queueUrl must be a queue URL, got ${JSON.stringify(queueUrl)}.`);
  }
  return withQueueLock(queueUrl, async () => {
    let queue: QueuePolicyState | undefined;
    let queueArn: string;
    try {
      queue = await readQueuePolicy(sqs, queueUrl);
      queueArn = queue.queueArn;
    } catch (error) {
      if (!(error instanceof SubscriptionTargetNotFoundError)) throw error;
      const derived = await missingQueueArn(sqs, queueUrl);
      if (derived === undefined) throw error;
      queueArn = derived;
    }
    const removedSubscriptionArns: string[] = [];
    let subscriptions: string[];
    try {
      subscriptions = await findQueueSubscriptions(sns, topicArn, queueArn);
    } catch (error) {
      // A deleted topic took its subscriptions with it; its place in the policy still goes.
      if (!(error instanceof SubscriptionTargetNotFoundError)) throw error;
      subscriptions = [];
    }
    for (const subscriptionArn of subscriptions) {
      try {
        await sns.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
      } catch (error) {
        if (!isAwsError(error, ...SNS_NOT_FOUND)) throw new SubscriptionRequestError('sns:Unsubscribe', subscriptionArn, error);
      }
      removedSubscriptionArns.push(subscriptionArn);
    }
    const queueMissing = (): UnsubscribeQueueResult => ({
      status: removedSubscriptionArns.length > 0 ? 'removed' : 'unchanged',
      removedSubscriptionArns,
      policy: 'queue-missing',
      queueArn,
    });
    if (queue === undefined) return queueMissing();
    const edit = removeTopicFromQueuePolicy({ policy: queue.policy, queueArn, topicArn });
    if (edit.changed) {
      try {
        await writeQueuePolicy(sqs, queueUrl, edit.policy);
      } catch (error) {
        // Deleted since it was read: the subscriptions are gone, and so is the policy.
        if (error instanceof SubscriptionTargetNotFoundError) return queueMissing();
        throw error;
      }
    }
    const policy: QueuePolicyRemoval = !edit.changed
      ? 'unchanged'
      : edit.policy === ''
        ? 'policy-removed'
        : edit.topics.length === 0
          ? 'statement-removed'
          : 'topic-removed';
    return {
      status: removedSubscriptionArns.length > 0 || edit.changed ? 'removed' : 'unchanged',
      removedSubscriptionArns,
      policy,
      queueArn,
    };
  });
}
