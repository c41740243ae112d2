import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';

const MAX_ENTRIES = 10;
const MAX_ATTEMPTS = 5;

/**
 * Sends `bodies` to the queue in order, 10 per SendMessageBatch (the SQS limit), and returns
 * the SQS message id of each, in input order. Entries SQS reports as failed are sent again (a
 * few times, with a short pause), so the order inside a batch may change only for those; an
 * entry that keeps failing, or fails for a sender fault, fails the call.
 *
 * @param bodies - The message bodies; equal bodies are sent as separate messages.
 */
export async function sendRequests(sqs: SQSClient, queueUrl: string, bodies: readonly string[]): Promise<string[]> {
  const ids: string[] = new Array<string>(bodies.length);
  for (let start = 0; start < bodies.length; start += MAX_ENTRIES) {
    let pending: SendMessageBatchRequestEntry[] = bodies
      .slice(start, start + MAX_ENTRIES)
      .map((body, i) => ({ Id: String(start + i), MessageBody: body }));
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending }));
      for (const ok of out.Successful ?? []) {
        if (ok.Id === undefined || ok.MessageId === undefined) throw new Error('SendMessageBatch answered an entry without Id or MessageId');
        ids[Number(ok.Id)] = ok.MessageId;
      }
      const failed = out.Failed ?? [];
      const fatal = failed.find((f) => f.SenderFault);
      if (fatal) throw new Error(`SQS refused refund request ${fatal.Id}: ${fatal.Code ?? '?'} ${fatal.Message ?? ''}`.trim());
      if (failed.length > 0 && attempt >= MAX_ATTEMPTS) {
        throw new Error(`${failed.length} refund request(s) could not be sent after ${MAX_ATTEMPTS} attempts (${failed[0]?.Code ?? '?'})`);
      }
      const retry = new Set(failed.map((f) => f.Id));
      pending = pending.filter((entry) => retry.has(entry.Id));
      if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
  return ids;
}
