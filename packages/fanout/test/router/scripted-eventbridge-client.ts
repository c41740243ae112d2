import type {
  PutEventsCommand,
  PutEventsCommandOutput,
  PutEventsRequestEntry,
  PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import type { EventBridgePutEventsClient } from '@herald/fanout';

/** How the scripted EventBridge answers one entry. */
export type EventBridgeEntryReply = 'ok' | { ErrorCode: string; ErrorMessage?: string } | 'empty';

/**
 * The answer to one request: replies per entry (positional), or a raw output for malformed
 * answers. Throw for a whole-request failure.
 */
export type EventBridgeScript = (
  entries: PutEventsRequestEntry[],
  call: number,
) => EventBridgeEntryReply[] | { raw: { Entries?: PutEventsResultEntry[]; FailedEntryCount?: number } };

export interface ScriptedEventBridgeClient {
  client: EventBridgePutEventsClient;
  /** Copies of each request's entries, as sent. */
  requests: PutEventsRequestEntry[][];
  /** EndpointId of each request. */
  endpointIds: Array<string | undefined>;
  /** Detail of each entry, per request. */
  details(): string[][];
}

/** A stand-in for an EventBridgeClient: records every PutEvents and answers by position. */
export function scriptedEventBridgeClient(
  script: EventBridgeScript = (entries) => entries.map(() => 'ok'),
): ScriptedEventBridgeClient {
  const requests: PutEventsRequestEntry[][] = [];
  const endpointIds: Array<string | undefined> = [];
  let nextEvent = 0;
  const client: EventBridgePutEventsClient = {
    async send(command: PutEventsCommand): Promise<PutEventsCommandOutput> {
      const entries = (command.input.Entries ?? []).map((entry) => ({ ...entry }));
      requests.push(entries);
      endpointIds.push(command.input.EndpointId);
      const replies = script(entries, requests.length);
      if (!Array.isArray(replies)) return { $metadata: { httpStatusCode: 200 }, ...replies.raw };
      let failed = 0;
      const results: PutEventsResultEntry[] = entries.map((_entry, index) => {
        const reply = replies[index] ?? 'ok';
        if (reply === 'ok') return { EventId: `event-${++nextEvent}` };
        if (reply === 'empty') return {};
        failed++;
        return reply;
      });
      return { $metadata: { httpStatusCode: 200 }, FailedEntryCount: failed, Entries: results };
    },
  };
  return { client, requests, endpointIds, details: () => requests.map((request) => request.map((entry) => entry.Detail ?? '')) };
}
