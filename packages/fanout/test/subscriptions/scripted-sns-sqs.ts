import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';

/** A request a scripted client received: the command's class name and its input. */
export interface SentCommand {
  readonly name: string;
  readonly input: Record<string, unknown>;
}

interface FakeSubscription {
  arn: string;
  topicArn: string;
  endpoint: string;
  attributes: Record<string, string>;
}

/** An error shaped like the SDK's (`name`, wire `Code`, `$metadata`). */
export function awsError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), { name, Code: name.replace(/Exception$/, ''), $metadata: { httpStatusCode: status } });
}

/**
 * In-memory SNS and SQS that answer the commands subscribeQueue/unsubscribeQueue send, with
 * SNS's paging (pageSize per ListSubscriptionsByTopic page) and SNS's rule that one topic has one
 * subscription per endpoint. Each call yields to the event loop first, so concurrent calls
 * interleave the way they do against a real service.
 */
export function scriptedSnsSqs(options: { pageSize?: number; sqsRegion?: string } = {}) {
  const pageSize = options.pageSize ?? 100;
  const sent: SentCommand[] = [];
  const topics = new Set<string>();
  const queues = new Map<string, { arn: string; policy: string | undefined }>();
  const subscriptions: FakeSubscription[] = [];
  let nextId = 1;

  const yieldOnce = () => new Promise<void>((resolve) => setImmediate(resolve));

  async function snsSend(command: { constructor: { name: string }; input: Record<string, unknown> }): Promise<unknown> {
    const name = command.constructor.name;
    const input = command.input;
    sent.push({ name, input });
    await yieldOnce();
    const topicArn = input['TopicArn'] as string;
    switch (name) {
      case 'ListSubscriptionsByTopicCommand': {
        if (!topics.has(topicArn)) throw awsError('NotFoundException', 'Topic does not exist', 404);
        const all = subscriptions.filter((s) => s.topicArn === topicArn);
        const start = input['NextToken'] === undefined ? 0 : Number(input['NextToken']);
        const page = all.slice(start, start + pageSize);
        return {
          Subscriptions: page.map((s) => ({ SubscriptionArn: s.arn, TopicArn: s.topicArn, Protocol: 'sqs', Endpoint: s.endpoint })),
          NextToken: start + pageSize < all.length ? String(start + pageSize) : undefined,
        };
      }
      case 'SubscribeCommand': {
        if (!topics.has(topicArn)) throw awsError('NotFoundException', 'Topic does not exist', 404);
        const attributes = (input['Attributes'] ?? {}) as Record<string, string>;
        const existing = subscriptions.find((s) => s.topicArn === topicArn && s.endpoint === input['Endpoint']);
        if (existing) {
          if (JSON.stringify(existing.attributes) !== JSON.stringify(attributes)) {
            throw awsError('InvalidParameterException', 'Invalid parameter: Attributes Reason: Subscription already exists with different attributes');
          }
          return { SubscriptionArn: existing.arn };
        }
        const arn = `${topicArn}:sub-${nextId++}`;
        subscriptions.push({ arn, topicArn, endpoint: input['Endpoint'] as string, attributes: { ...attributes } });
        return { SubscriptionArn: arn };
      }
      case 'GetSubscriptionAttributesCommand': {
        const s = subscriptions.find((x) => x.arn === input['SubscriptionArn']);
        if (!s) throw awsError('NotFoundException', 'Subscription does not exist', 404);
        return { Attributes: { SubscriptionArn: s.arn, TopicArn: s.topicArn, Endpoint: s.endpoint, Protocol: 'sqs', ...s.attributes } };
      }
      case 'SetSubscriptionAttributesCommand': {
        const s = subscriptions.find((x) => x.arn === input['SubscriptionArn']);
        if (!s) throw awsError('NotFoundException', 'Subscription does not exist', 404);
        s.attributes[input['AttributeName'] as string] = input['AttributeValue'] as string;
        return {};
      }
      case 'UnsubscribeCommand': {
        const index = subscriptions.findIndex((x) => x.arn === input['SubscriptionArn']);
        if (index >= 0) subscriptions.splice(index, 1);
        return {};
      }
      default:
        throw new Error(`scripted SNS: unexpected ${name}`);
    }
  }

  async function sqsSend(command: { constructor: { name: string }; input: Record<string, unknown> }): Promise<unknown> {
    const name = command.constructor.name;
    const input = command.input;
    sent.push({ name, input });
    await yieldOnce();
    const queue = queues.get(input['QueueUrl'] as string);
    if (!queue) throw awsError('QueueDoesNotExist', 'The specified queue does not exist.');
    switch (name) {
      case 'GetQueueAttributesCommand':
        return { Attributes: { QueueArn: queue.arn, ...(queue.policy === undefined ? {} : { Policy: queue.policy }) } };
      case 'SetQueueAttributesCommand': {
        const policy = (input['Attributes'] as Record<string, string>)['Policy'];
        queue.policy = policy === '' ? undefined : policy;
        return {};
      }
      default:
        throw new Error(`scripted SQS: unexpected ${name}`);
    }
  }

  return {
    sns: { send: snsSend } as unknown as SNSClient,
    // Like a configured SDK client, whose resolved region is a provider.
    sqs: (options.sqsRegion === undefined
      ? { send: sqsSend }
      : { send: sqsSend, config: { region: () => Promise.resolve(options.sqsRegion) } }) as unknown as SQSClient,
    sent,
    subscriptions,
    addTopic(arn: string): string {
      topics.add(arn);
      return arn;
    },
    addQueue(name: string, policy?: string): { url: string; arn: string } {
      const url = `https://sqs.us-east-1.amazonaws.com/111122223333/${name}`;
      const arn = `arn:aws:sqs:us-east-1:111122223333:${name}`;
      queues.set(url, { arn, policy });
      return { url, arn };
    },
    /** Deletes a queue (its subscriptions stay on their topics, as in SNS). */
    deleteQueue(url: string): void {
      queues.delete(url);
    },
    policyOf(url: string): string | undefined {
      return queues.get(url)?.policy;
    },
    /** A subscription made outside subscribeQueue (another endpoint, or this queue). */
    addSubscription(topicArn: string, endpoint: string, attributes: Record<string, string> = {}): string {
      const arn = `${topicArn}:sub-${nextId++}`;
      subscriptions.push({ arn, topicArn, endpoint, attributes });
      return arn;
    },
    count(name: string): number {
      return sent.filter((c) => c.name === name).length;
    },
  };
}
