import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { LocalAws } from '@herald/local-aws';


/** SNS, SQS and DynamoDB clients on the local endpoint (the SQS client needs `endpoint` explicitly). */
export function localClients(local: LocalAws): { sns: SNSClient; sqs: SQSClient; dynamodb: DynamoDBClient; destroy: () => void } {
  const config = local.clientConfig;
  const sns = new SNSClient(config);
  const sqs = new SQSClient(config);
  const dynamodb = new DynamoDBClient(config);
  return {
    sns,
    sqs,
    dynamodb,
    destroy: () => {
      sns.destroy();
      sqs.destroy();
      dynamodb.destroy();
    },
  };
}

/**
 * Receives and deletes every message on a queue until a receive comes back empty. Conclusive
 * after a publish has been answered: the local SNS enqueues before it answers.
 *
 * @returns The message bodies, in the order received.
 */
export async function receiveAll(sqs: SQSClient, queueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    const messages = out.Messages ?? [];
    if (messages.length === 0) return bodies;
    bodies.push(...messages.map((m) => m.Body ?? ''));
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
      }),
    );
  }
}
