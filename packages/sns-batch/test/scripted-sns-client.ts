import type {
  PublishBatchCommand,
  PublishBatchCommandOutput,
  PublishBatchRequestEntry,
  BatchResultErrorEntry,
} from '@aws-sdk/client-sns';
import type { SnsPublishBatchClient } from '@herald/sns-batch';

/** How the scripted SNS answers one entry. */
export type SnsEntryReply = 'ok' | { Code: string; SenderFault: boolean; Message?: string };

/** Decides a reply per entry of a request (throw for a whole-request failure). `call` counts from 1. */
export type SnsScript = (entries: PublishBatchRequestEntry[], call: number) => SnsEntryReply[] | Promise<SnsEntryReply[]>;

export interface ScriptedSnsClient {
  client: SnsPublishBatchClient;
  /** Copies of each request's entries, as sent. */
  requests: PublishBatchRequestEntry[][];
  /** TopicArn of each request. */
  topics: Array<string | undefined>;
  /** Bodies per request, for short assertions. */
  bodies(): string[][];
}

export function scriptedSnsClient(script: SnsScript = (entries) => entries.map(() => 'ok')): ScriptedSnsClient {
  const requests: PublishBatchRequestEntry[][] = [];
  const topics: Array<string | undefined> = [];
  const client: SnsPublishBatchClient = {
    async send(command: PublishBatchCommand): Promise<PublishBatchCommandOutput> {
      const entries = (command.input.PublishBatchRequestEntries ?? []).map((entry) => ({ ...entry }));
      requests.push(entries);
      topics.push(command.input.TopicArn);
      const replies = await script(entries, requests.length);
      const output: PublishBatchCommandOutput = { $metadata: { httpStatusCode: 200 }, Successful: [], Failed: [] };
      entries.forEach((entry, index) => {
        const reply = replies[index] ?? 'ok';
        if (reply === 'ok') {
          output.Successful?.push({
            Id: entry.Id,
            MessageId: `mid-${entry.Message ?? ''}`.slice(0, 40),
            ...(entry.MessageGroupId === undefined ? {} : { SequenceNumber: `seq-${requests.length}-${index}` }),
          });
        } else {
          const failed: BatchResultErrorEntry = { Id: entry.Id, Code: reply.Code, SenderFault: reply.SenderFault };
          if (reply.Message !== undefined) failed.Message = reply.Message;
          output.Failed?.push(failed);
        }
      });
      return output;
    },
  };
  return {
    client,
    requests,
    topics,
    bodies: () => requests.map((request) => request.map((entry) => entry.Message ?? '')),
  };
}

export const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:orders';
export const FIFO_TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:orders.fifo';
