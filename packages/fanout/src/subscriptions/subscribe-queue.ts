import {
  GetSubscriptionAttributesCommand,
  SetSubscriptionAttributesCommand,
  type SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { requireTopicArn } from './arn.js';
import { isAwsError, SNS_NOT_FOUND } from './aws-error-name.js';
import { addTopicToQueuePolicy, removeTopicFromQueuePolicy } from './queue-policy.js';
import { readQueuePolicy, writeQueuePolicy } from './queue-attributes.js';
import { withQueueLock } from './queue-lock.js';
import { SubscriptionRequestError, SubscriptionTargetNotFoundError } from './subscription-errors.js';
import type { FilterPolicy, FilterPolicyScope } from '../filter-policy/index.js';
import {
  attributeChanges,
  type DesiredSubscriptionAttributes,
  type ManagedSubscriptionAttribute,
  subscribeAttributes,
} from './subscription-attributes.js';
import { checkedFilterPolicy } from './subscription-filter-policy.js';
import { findQueueSubscriptions } from './topic-subscriptions.js';

/** How {@link subscribeQueue} finds a subscription that may already exist. */
export type SubscriptionLookup = 'list' | 'subscribe-first';

/** Options of {@link subscribeQueue}. */
export interface SubscribeQueueOptions {
  /** A configured SNS client, in the topic's region. */
  readonly sns: SNSClient;
  /** A configured SQS client, in the queue's region (give it `endpoint` when you use a local endpoint). */
  readonly sqs: SQSClient;
  /** The topic to subscribe to. */
  readonly topicArn: string;
  /** The queue to deliver to. */
  readonly queueUrl: string;
  /**
   * The subscription's filter policy. Checked before any AWS call (what SNS would refuse is
   * refused here, with a path to the offending part). Omitted: no filter policy (an existing one
   * is removed), so the queue gets every message.
   */
  readonly filterPolicy?: FilterPolicy | undefined;
  /** What the filter policy applies to. Default `'MessageAttributes'`. */
  readonly filterPolicyScope?: FilterPolicyScope | undefined;
  /** Raw message delivery: the queue gets the message body itself, not SNS's JSON envelope. Default `false`. */
  readonly raw?: boolean | undefined;
  /**
   * How to find an existing subscription of the topic to the queue.
   * - `'list'` (default): page through `ListSubscriptionsByTopic` (100 per page). Exact:
   *   `status` says whether the subscription was created.
   * - `'subscribe-first'`: call `Subscribe` at once (SNS answers with the existing subscription
   *   when its attributes are the same) and list only when SNS says one exists with other
   *   attributes. Cheaper on topics with many subscriptions, for queues that are usually new;
   *   `status` is then `'created'` for a subscription that already existed with the same
   *   attributes.
   */
  readonly lookup?: SubscriptionLookup | undefined;
}

/** What {@link subscribeQueue} did. */
export type SubscribeQueueStatus = 'created' | 'updated' | 'unchanged';

/** Result of {@link subscribeQueue}. */
export interface SubscribeQueueResult {
  /**
   * `'created'`: a new subscription; `'updated'`: the subscription existed and its attributes or
   * the queue policy were changed; `'unchanged'`: nothing needed changing.
   */
  readonly status: SubscribeQueueStatus;
  /** The subscription's ARN. */
  readonly subscriptionArn: string;
  /** The queue's ARN (the subscription endpoint). */
  readonly queueArn: string;
  /** Whether the topic was added to the queue policy. */
  readonly policyChanged: boolean;
  /** The attributes changed on an existing subscription, in the order they were set. */
  readonly updatedAttributes: readonly ManagedSubscriptionAttribute[];
}

const LOOKUPS: readonly SubscriptionLookup[] = ['list', 'subscribe-first'];
const SCOPES: readonly FilterPolicyScope[] = ['MessageAttributes', 'MessageBody'];

/** Checks the options that need no AWS call and returns the desired attributes. */
function desiredAttributes(options: SubscribeQueueOptions): DesiredSubscriptionAttributes {
  const where = 'subscribeQueue';
  requireTopicArn(options.topicArn, where);
  if (typeof options.queueUrl !== 'string' || !/^https?:\/\/\S+$/.test(options.queueUrl)) {
    throw new TypeError(`${where}: queueUrl must be a queue URL (https://sqs.…/123456789012/name), got ${JSON.stringify(options.queueUrl)}.`);
  }
  const scope = options.filterPolicyScope ?? 'MessageAttributes';
  if (!SCOPES.includes(scope)) {
    throw new RangeError(`${where}: filterPolicyScope must be 'MessageAttributes' or 'MessageBody', got ${JSON.stringify(scope)}.`);
  }
  if (options.raw !== undefined && typeof options.raw !== 'boolean') {
    throw new TypeError(`${where}: raw must be a boolean, got ${JSON.stringify(options.raw)}.`);
  }
  if (options.lookup !== undefined && !LOOKUPS.includes(options.lookup)) {
    throw new RangeError(`${where}: lookup must be 'list' or 'subscribe-first', got ${JSON.stringify(options.lookup)}.`);
  }
  return { filterPolicy: checkedFilterPolicy(options.filterPolicy, scope, where), scope, raw: options.raw ?? false };
}

async function subscribe(sns: SNSClient, topicArn: string, queueArn: string, desired: DesiredSubscriptionAttributes): Promise<string> {
  try {
    const out = await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: queueArn,
        Attributes: subscribeAttributes(desired),
        ReturnSubscriptionArn: true,
      }),
    );
    if (out.SubscriptionArn === undefined) throw new Error('the answer has no SubscriptionArn');
    return out.SubscriptionArn;
  } catch (error) {
    if (isAwsError(error, ...SNS_NOT_FOUND)) throw new SubscriptionTargetNotFoundError('topic', topicArn, error);
    throw new SubscriptionRequestError('sns:Subscribe', topicArn, error);
  }
}

/** SNS's answer when a subscription to the endpoint exists with other attributes. */
function existsWithOtherAttributes(error: unknown): boolean {
  const cause = error instanceof SubscriptionRequestError ? error.cause : error;
  return isAwsError(cause, 'InvalidParameterException', 'InvalidParameter') && /already exists/i.test(String((cause as Error).message));
}

async function readSubscription(sns: SNSClient, subscriptionArn: string): Promise<Record<string, string> | undefined> {
  try {
    const out = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn }));
    return out.Attributes ?? {};
  } catch (error) {
    if (isAwsError(error, ...SNS_NOT_FOUND)) return undefined;
    throw new SubscriptionRequestError('sns:GetSubscriptionAttributes', subscriptionArn, error);
  }
}

interface EnsuredSubscription {
  readonly subscriptionArn: string;
  readonly created: boolean;
  readonly updatedAttributes: ManagedSubscriptionAttribute[];
}

async function ensureSubscription(
  sns: SNSClient,
  topicArn: string,
  queueArn: string,
  desired: DesiredSubscriptionAttributes,
  lookup: SubscriptionLookup,
): Promise<EnsuredSubscription> {
  if (lookup === 'subscribe-first') {
    try {
      return { subscriptionArn: await subscribe(sns, topicArn, queueArn, desired), created: true, updatedAttributes: [] };
    } catch (error) {
      if (!existsWithOtherAttributes(error)) throw error;
    }
  }
  const [subscriptionArn] = await findQueueSubscriptions(sns, topicArn, queueArn);
  const current = subscriptionArn === undefined ? undefined : await readSubscription(sns, subscriptionArn);
  if (subscriptionArn === undefined || current === undefined) {
    return { subscriptionArn: await subscribe(sns, topicArn, queueArn, desired), created: true, updatedAttributes: [] };
  }
  const updatedAttributes: ManagedSubscriptionAttribute[] = [];
  for (const change of attributeChanges(current, desired)) {
    try {
      await sns.send(
        new SetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn, AttributeName: change.name, AttributeValue: change.value }),
      );
    } catch (error) {
      throw new SubscriptionRequestError('sns:SetSubscriptionAttributes', subscriptionArn, error);
    }
    updatedAttributes.push(change.name);
  }
  return { subscriptionArn, created: false, updatedAttributes };
}

/** Takes a topic this call added back out of the queue policy (re-read, so other edits stay). */
async function withdrawTopic(sqs: SQSClient, queueUrl: string, topicArn: string): Promise<void> {
  const queue = await readQueuePolicy(sqs, queueUrl);
  const undo = removeTopicFromQueuePolicy({ policy: queue.policy, queueArn: queue.queueArn, topicArn });
  if (undo.changed) await writeQueuePolicy(sqs, queueUrl, undo.policy);
}

/**
 * Subscribes an SQS queue to an SNS topic, done right and idempotently:
 *
 * 1. merges into the queue policy one statement Herald owns (Sid
 *    {@link HERALD_QUEUE_POLICY_SID}) that allows `sqs:SendMessage` on the queue to the
 *    `sns.amazonaws.com` service principal, with an `ArnEquals` condition on `aws:SourceArn`
 *    listing every topic subscribed this way. Every other statement is kept as it is;
 * 2. creates the subscription if the topic has none to this queue, or brings an existing one's
 *    filter policy, filter policy scope and raw message delivery to what the options say.
 *
 * The policy is written before the subscription, so the first message is not refused. Calling
 * it again with the same options changes nothing (`status: 'unchanged'`).
 *
 * **Concurrency.** Calls for the same queue made in this process run one after the other.
 * Across processes there is no guarantee: SQS has no conditional write for queue attributes,
 * so two processes subscribing the same queue to different topics at the same moment can each
 * write the policy they read, and the last write wins (one topic missing from the statement).
 * Run subscriptions of a shared queue from one place (a deployment step), or call again
 * afterwards: a repeated call adds what is missing.
 *
 * **IAM**: `sqs:GetQueueAttributes`, `sqs:SetQueueAttributes` on the queue;
 * `sns:ListSubscriptionsByTopic`, `sns:Subscribe` on the topic; `sns:GetSubscriptionAttributes`,
 * `sns:SetSubscriptionAttributes` (these take `Resource: "*"`).
 *
 * @param options - Clients, topic, queue, and the subscription's settings.
 * @returns What was done and the subscription's ARN.
 * @throws `TypeError`/`RangeError` for malformed options, and `InvalidFilterPolicyError` for a
 * filter policy SNS would refuse, before any AWS call.
 * @throws {@link SubscriptionTargetNotFoundError} when the topic or the queue does not exist (a
 * missing topic is taken back out of the queue policy).
 * @throws {@link QueuePolicyConflictError} when the queue policy has a statement with Herald's
 * Sid that Herald did not write (nothing is changed).
 * @throws {@link QueuePolicyTooLargeError} when the policy would exceed SQS's limits.
 * @throws {@link SubscriptionRequestError} when an AWS request fails.
 *
 * @example
 * ```ts
 * const result = await subscribeQueue({
 *   sns, sqs,
 *   topicArn: 'arn:aws:sns:us-east-1:123456789012:orders',
 *   queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/shipping',
 *   filterPolicy: { kind: ['order-placed'] },
 *   raw: true,
 * });
 * console.log(result.status, result.subscriptionArn); // 'created' the first time, then 'unchanged'
 * ```
 */
export async function subscribeQueue(options: SubscribeQueueOptions): Promise<SubscribeQueueResult> {
  const desired = desiredAttributes(options);
  const { sns, sqs, topicArn, queueUrl } = options;
  return withQueueLock(queueUrl, async () => {
    const queue = await readQueuePolicy(sqs, queueUrl);
    const edit = addTopicToQueuePolicy({ policy: queue.policy, queueArn: queue.queueArn, topicArn });
    if (edit.changed) await writeQueuePolicy(sqs, queueUrl, edit.policy);
    let subscription: EnsuredSubscription;
    try {
      subscription = await ensureSubscription(sns, topicArn, queue.queueArn, desired, options.lookup ?? 'list');
    } catch (error) {
      // A topic that does not exist (a typo, another region) must not stay allowed in the policy.
      if (edit.changed && error instanceof SubscriptionTargetNotFoundError && error.target === 'topic') {
        await withdrawTopic(sqs, queueUrl, topicArn).catch(() => undefined);
      }
      throw error;
    }
    const status: SubscribeQueueStatus = subscription.created
      ? 'created'
      : edit.changed || subscription.updatedAttributes.length > 0
        ? 'updated'
        : 'unchanged';
    return {
      status,
      subscriptionArn: subscription.subscriptionArn,
      queueArn: queue.queueArn,
      policyChanged: edit.changed,
      updatedAttributes: subscription.updatedAttributes,
    };
  });
}
