import type { PublishBatchCommand, PublishBatchCommandOutput, PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import type { SnsPublishBatchClient } from '@herald/sns-batch';

export interface ScriptedSnsClient {
  client: SnsPublishBatchClient;
  /** Copies of each request's entries, as sent. */
  requests: PublishBatchRequestEntry[][];
}

/** A stand-in for an SNSClient that accepts every PublishBatch entry (or throws `fail` for every request). */
export function scriptedSnsClient(fail?: Error): ScriptedSnsClient {
  const requests: PublishBatchRequestEntry[][] = [];
  let next = 0;
  const client: SnsPublishBatchClient = {
    async send(command: PublishBatchCommand): Promise<PublishBatchCommandOutput> {
      const entries = (command.input.PublishBatchRequestEntries ?? []).map((entry) => ({ ...entry }));
      requests.push(entries);
      if (fail !== undefined) throw fail;
      return {
        $metadata: { httpStatusCode: 200 },
        Successful: entries.map((entry) => ({
          Id: entry.Id,
          MessageId: `sns-${++next}`,
          ...(entry.MessageGroupId === undefined ? {} : { SequenceNumber: String(next).padStart(20, '0') }),
        })),
        Failed: [],
      };
    },
  };
  return { client, requests };
}

export const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:orders';
