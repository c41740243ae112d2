import type { FaultInjector } from './fault-injector.js';
import { awsQueryErrorResponse } from './error-responses.js';
import {
  keepPutEventsEntries,
  mergePutEventsFailures,
  parsePutEvents,
  putEventsAllFailedOutput,
  type PutEventsResultEntry,
} from './eventbridge-put-events.js';
import { eventBridgeOk } from './eventbridge-responses.js';
import type { LocalResponse } from './local-response.js';
import {
  addFailedToPublishBatchXml,
  checkPublishBatchLimits,
  keepPublishBatchEntries,
  PUBLISH_BATCH_LIMITS,
  publishBatchAllFailedResponse,
  readPublishBatchEntries,
  type FailedBatchEntry,
} from './sns-publish-batch.js';
import {
  addFailedToSendMessageBatchJson,
  keepSendMessageBatchEntries,
  parseSendMessageBatch,
  sendMessageBatchAllFailedBody,
  sendMessageBatchEntryId,
} from './sqs-send-message-batch.js';

/** Sends a (possibly rewritten) request body on to the emulator. */
export type ForwardBody = (body: Buffer) => Promise<LocalResponse>;

const INJECTED_FAILURE_MESSAGE = 'The entry failed because of an internal error (injected by local-aws). Retry it.';

function injectedFailure(id: string): FailedBatchEntry {
  return { id, code: 'InternalError', message: INJECTED_FAILURE_MESSAGE, senderFault: false };
}

/**
 * The rest of a batch request's handling, once its fault draws are made: sends what is left
 * of the batch to the emulator and merges the injected failures into the answer.
 */
export type BatchPlan = (forward: ForwardBody) => Promise<LocalResponse>;

/**
 * Plans an SNS `PublishBatch`: applies the request limits fauxqs lacks, fails entries with
 * an empty `Message` (fauxqs would silently drop them) and draws, at once, which entries
 * fail by injection. The returned plan removes those entries, forwards the rest, and merges
 * the failures into the answer.
 *
 * Call it when the request arrives: every draw happens synchronously here, so the fault
 * sequence follows the order requests arrive in, whatever delay they get afterwards.
 *
 * @param body - The awsQuery form body.
 * @param injector - Decides which entries fail.
 * @returns The plan to run after the latency wait.
 */
export function planPublishBatch(body: Buffer, injector: FaultInjector): BatchPlan {
  const form = new URLSearchParams(body.toString('utf8'));
  const entries = readPublishBatchEntries(form);
  const limitError = checkPublishBatchLimits(entries);
  if (limitError !== undefined) return () => Promise.resolve(awsQueryErrorResponse(limitError));

  const failed: FailedBatchEntry[] = entries
    .filter((entry) => entry.message === '')
    .map((entry) => ({
      id: entry.id,
      code: 'InvalidParameter',
      message: 'Invalid parameter: Message must not be empty.',
      senderFault: true,
    }));
  const candidates = entries.filter((entry) => entry.message !== '');
  const chosen = new Set(injector.chooseFailedEntries('sns', 'PublishBatch', candidates.length));
  const injected = candidates.filter((_entry, index) => chosen.has(index));
  failed.push(...injected.map((entry) => injectedFailure(entry.id)));
  if (failed.length === 0) return (forward) => forward(body);

  const kept = candidates.filter((_entry, index) => !chosen.has(index));
  if (kept.length === 0) {
    return () => {
      injector.recordFailedEntries(injected.length);
      return Promise.resolve(publishBatchAllFailedResponse(failed));
    };
  }
  const rewritten = keepPublishBatchEntries(
    form,
    kept.map((entry) => entry.member),
  );
  return async (forward) => {
    const response = await forward(Buffer.from(rewritten.toString(), 'utf8'));
    if (response.statusCode !== 200) return response;
    const merged = addFailedToPublishBatchXml(response.body.toString('utf8'), failed);
    if (merged === undefined) return response;
    injector.recordFailedEntries(injected.length);
    return { ...response, body: Buffer.from(merged, 'utf8') };
  };
}

const SQS_MAX_BATCH_BYTES = 1_048_576;

function sqsEntryBytes(entry: Record<string, unknown>): number {
  const body = entry['MessageBody'];
  let bytes = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : 0;
  const attributes = entry['MessageAttributes'];
  if (typeof attributes === 'object' && attributes !== null) {
    for (const [name, value] of Object.entries(attributes)) {
      bytes += Buffer.byteLength(name, 'utf8');
      if (typeof value !== 'object' || value === null) continue;
      for (const key of ['DataType', 'StringValue', 'BinaryValue'] as const) {
        const part: unknown = (value as Record<string, unknown>)[key];
        if (typeof part === 'string') bytes += Buffer.byteLength(part, 'utf8');
      }
    }
  }
  return bytes;
}

/**
 * Plans an SQS `SendMessageBatch`: draws, at once, which entries fail by injection. The
 * returned plan removes those entries, forwards the rest, and merges the failures into the
 * JSON answer. Requests that break a whole-request rule (entry count, ids, size) are
 * forwarded untouched (no draws) so fauxqs rejects them as AWS would.
 *
 * Call it when the request arrives, like {@link planPublishBatch}.
 *
 * @param body - The JSON body.
 * @param injector - Decides which entries fail.
 * @returns The plan to run after the latency wait.
 */
export function planSendMessageBatch(body: Buffer, injector: FaultInjector): BatchPlan {
  const request = parseSendMessageBatch(body);
  if (request === undefined) return (forward) => forward(body);
  const ids = request.entries.map(sendMessageBatchEntryId);
  const wellFormed =
    ids.length >= 1 &&
    ids.length <= PUBLISH_BATCH_LIMITS.maxEntries &&
    ids.every((id) => PUBLISH_BATCH_LIMITS.idPattern.test(id)) &&
    new Set(ids).size === ids.length &&
    request.entries.reduce((sum, entry) => sum + sqsEntryBytes(entry), 0) <= SQS_MAX_BATCH_BYTES;
  if (!wellFormed) return (forward) => forward(body);

  const chosen = new Set(injector.chooseFailedEntries('sqs', 'SendMessageBatch', ids.length));
  if (chosen.size === 0) return (forward) => forward(body);
  const failed = ids.filter((_id, index) => chosen.has(index)).map(injectedFailure);
  if (chosen.size === ids.length) {
    return () => {
      injector.recordFailedEntries(failed.length);
      return Promise.resolve({
        statusCode: 200,
        headers: { 'content-type': 'application/x-amz-json-1.0' },
        body: sendMessageBatchAllFailedBody(failed),
      });
    };
  }
  const keep = new Set(ids.map((_id, index) => index).filter((index) => !chosen.has(index)));
  return async (forward) => {
    const response = await forward(keepSendMessageBatchEntries(request, keep));
    if (response.statusCode !== 200) return response;
    const merged = addFailedToSendMessageBatchJson(response.body, failed);
    if (merged === undefined) return response;
    injector.recordFailedEntries(failed.length);
    return { ...response, body: merged };
  };
}

/**
 * The per-entry failure EventBridge reports for a transient error (a retryable `ErrorCode` in
 * the PutEvents answer, as AWS documents `InternalFailure`).
 */
const INJECTED_PUT_EVENTS_FAILURE: PutEventsResultEntry = {
  ErrorCode: 'InternalFailure',
  ErrorMessage:
    'The request processing has failed because of an unknown error, exception or failure (injected by local-aws). Retry the entry.',
};

/**
 * Plans an EventBridge `PutEvents`: draws, at once, which entries fail by injection, among the
 * entries that would be accepted (`candidates`; entries failing validation draw nothing and
 * keep their own error). The returned plan removes the chosen entries, hands the rest to the
 * local EventBridge, and puts the failures back at their positions in the answer
 * (`ErrorCode: InternalFailure`, counted in `FailedEntryCount`). Those entries are really not
 * accepted: not recorded, not delivered. A request that fails as a whole is handed on
 * untouched (no draws), so it is refused as AWS would.
 *
 * Call it when the request arrives, like {@link planPublishBatch}.
 *
 * @param body - The JSON 1.1 body.
 * @param injector - Decides which entries fail.
 * @param candidates - Positions of the entries that would be accepted, or `undefined` when the request fails as a whole.
 * @returns The plan to run after the latency wait.
 */
export function planPutEvents(
  body: Buffer,
  injector: FaultInjector,
  candidates: (body: Buffer) => readonly number[] | undefined,
): BatchPlan {
  const positions = candidates(body);
  if (positions === undefined || positions.length === 0) return (forward) => forward(body);
  const chosen = injector.chooseFailedEntries('eventbridge', 'PutEvents', positions.length);
  if (chosen.length === 0) return (forward) => forward(body);
  const request = parsePutEvents(body);
  const failed = new Map(chosen.map((index) => [positions[index] ?? -1, INJECTED_PUT_EVENTS_FAILURE] as const));
  const total = request.entries.length;
  if (failed.size === total) {
    return () => {
      injector.recordFailedEntries(failed.size);
      return Promise.resolve(eventBridgeOk(putEventsAllFailedOutput([...failed.values()])));
    };
  }
  const keep = new Set(request.entries.map((_entry, index) => index).filter((index) => !failed.has(index)));
  return async (forward) => {
    const response = await forward(keepPutEventsEntries(request, keep));
    if (response.statusCode !== 200) return response;
    const merged = mergePutEventsFailures(response.body, total, failed);
    if (merged === undefined) return response;
    injector.recordFailedEntries(failed.size);
    return { ...response, body: merged };
  };
}
