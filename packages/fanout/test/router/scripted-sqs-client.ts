import type {
  BatchResultErrorEntry,
  SendMessageBatchCommand,
  SendMessageBatchCommandOutput,
  SendMessageBatchRequestEntry,
} from '@aws-sdk/client-sqs';
import type { SqsSendMessageBatchClient } from '@herald/fanout';

/** How the scripted SQS answers one entry. */
export type SqsEntryReply = 'ok' | 'omit' | { Code: string; SenderFault?: boolean; Message?: string };

/** Decides a reply per entry of a request (throw for a whole-request failure). `call` counts from 1. */
export type SqsScript = (entries: SendMessageBatchRequestEntry[], call: number) => SqsEntryReply[] | Promise<SqsEntryReply[]>;

export interface ScriptedSqsClient {
  client: SqsSendMessageBatchClient;
  /** Copies of each request's entries, as sent. */
  requests: SendMessageBatchRequestEntry[][];
  /** QueueUrl of each request. */
  queueUrls: Array<string | undefined>;
  /** Bodies per request. */
  bodies(): string[][];
}

/** A stand-in for an SQSClient: records every SendMessageBatch and answers per entry from a script. */
export function scriptedSqsClient(script: SqsScript = (entries) => entries.map(() => 'ok')): ScriptedSqsClient {
  const requests: SendMessageBatchRequestEntry[][] = [];
  const queueUrls: Array<string | undefined> = [];
  let sequence = 0;
  const client: SqsSendMessageBatchClient = {
    async send(command: SendMessageBatchCommand): Promise<SendMessageBatchCommandOutput> {
      const entries = (command.input.Entries ?? []).map((entry) => ({ ...entry }));
      requests.push(entries);
      queueUrls.push(command.input.QueueUrl);
      const replies = await script(entries, requests.length);
      const output: SendMessageBatchCommandOutput = { $metadata: { httpStatusCode: 200 }, Successful: [], Failed: [] };
      entries.forEach((entry, index) => {
        const reply = replies[index] ?? 'ok';
        if (reply === 'omit') return;
        if (reply === 'ok') {
          output.Successful?.push({
            Id: entry.Id,
            MessageId: `mid-${entry.MessageBody ?? ''}`.slice(0, 40),
            MD5OfMessageBody: 'x',
            ...(entry.MessageGroupId === undefined ? {} : { SequenceNumber: String(++sequence).padStart(20, '0') }),
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
  return { client, requests, queueUrls, bodies: () => requests.map((request) => request.map((entry) => entry.MessageBody ?? '')) };
}

export const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/orders';
export const FIFO_QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/orders.fifo';
