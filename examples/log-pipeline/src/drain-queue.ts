import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** One message taken off a queue. */
export interface ReceivedMessage {
  readonly body: string;
  /** The message's string and number attributes (raw delivery keeps SNS attributes). */
  readonly attributes: Readonly<Record<string, string>>;
}

/** How long and how widely to drain a queue. */
export interface DrainOptions {
  /** Stop once this many messages arrived and a further receive comes back empty. */
  readonly expected: number;
  /** Called for every message received (before it is deleted from the queue). */
  readonly onMessage: (message: ReceivedMessage) => void;
  /** Give up after this long without a new message (ms). Default 5,000. */
  readonly idleMs?: number;
  /** Receive loops running at once. Default 4. */
  readonly pollers?: number;
}

/**
 * Receives and deletes messages from a queue until the expected number arrived (then one
 * more empty receive, so extra messages are seen too) or nothing new came for `idleMs`.
 * Returns how many messages were received.
 */
export async function drainQueue(sqs: SQSClient, queueUrl: string, options: DrainOptions): Promise<number> {
  const idleMs = options.idleMs ?? 5_000;
  let received = 0;
  let lastArrival = Date.now();

  async function poll(): Promise<void> {
    for (;;) {
      const reachedExpected = received >= options.expected;
      const response = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: reachedExpected ? 0 : 1,
          MessageAttributeNames: ['All'],
        }),
      );
      const messages = response.Messages ?? [];
      if (messages.length === 0) {
        if (reachedExpected || Date.now() - lastArrival >= idleMs) return;
        continue;
      }
      lastArrival = Date.now();
      received += messages.length;
      for (const message of messages) {
        const attributes: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
          if (value.StringValue !== undefined) attributes[name] = value.StringValue;
        }
        options.onMessage({ body: message.Body ?? '', attributes });
      }
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
        }),
      );
    }
  }

  await Promise.all(Array.from({ length: options.pollers ?? 4 }, poll));
  return received;
}
