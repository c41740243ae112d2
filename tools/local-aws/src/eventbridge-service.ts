import { randomUUID } from 'node:crypto';
import type { Clock } from '@herald/core';
import { LOCAL_ACCOUNT_ID, eventBusNameOf, parseSqsQueueArn, type SqsQueueArn } from './eventbridge-arns.js';
import { EventBusRegistry } from './eventbridge-buses.js';
import { parseEventBridgeInput } from './eventbridge-input.js';
import {
  checkPutEventsEntry,
  checkPutEventsRequest,
  parsePutEvents,
  type PutEventsResultEntry,
  type ValidPutEventsEntry,
} from './eventbridge-put-events.js';
import { EventBridgeRequestError, eventBridgeErrorResponse, eventBridgeOk } from './eventbridge-responses.js';
import { EventRuleRegistry, targetMessageBody, type EventPatternSupport, type MatchedTarget } from './eventbridge-rules.js';
import { notImplementedResponse } from './local-handlers.js';
import type { LocalResponse } from './local-response.js';

/** What happened when an accepted event was sent to one rule target. */
export interface EventBridgeDelivery {
  /** The rule that matched. */
  readonly rule: string;
  /** The target `Id`. */
  readonly targetId: string;
  /** The target ARN (an SQS queue). */
  readonly targetArn: string;
  /** `delivered`: the queue took the message; `failed`: it did not (see `error`). */
  readonly outcome: 'delivered' | 'failed';
  /** The SQS `MessageId`, when delivered. */
  readonly messageId?: string;
  /** Why delivery failed (e.g. the queue does not exist), when it failed. */
  readonly error?: string;
}

/**
 * One event PutEvents accepted (entries that failed, by validation or by an injected fault,
 * are never recorded).
 */
export interface EventBridgeEventRecord {
  /** The `EventId` returned for the entry. */
  readonly eventId: string;
  /** The bus it was put on (a name, also when the entry gave an ARN). */
  readonly eventBusName: string;
  /** `Source`. */
  readonly source: string;
  /** `DetailType`. */
  readonly detailType: string;
  /** `Detail`: the JSON text as sent. */
  readonly detail: string;
  /** `Resources` (empty when none were sent). */
  readonly resources: readonly string[];
  /** The event time, ISO 8601 to the second as in the event (`Time` of the entry, else when it was accepted). */
  readonly time: string;
  /**
   * The event as rules see it and SQS targets receive it: `version`, `id`, `detail-type`,
   * `source`, `account`, `time`, `region`, `resources`, `detail` (parsed).
   */
  readonly event: Readonly<Record<string, unknown>>;
  /** One element per rule target the event was sent to (empty when no rule matched). */
  readonly deliveries: readonly EventBridgeDelivery[];
}

/** What sending one message to an SQS queue gave. */
export type SqsSendOutcome = { readonly messageId: string } | { readonly error: string };

/**
 * Sends one message to an SQS queue (through the in-process fauxqs).
 *
 * @param queue - The queue, from the target ARN.
 * @param body - The message body.
 * @param messageGroupId - The group, for a FIFO queue.
 * @returns The message id, or why the queue did not take it.
 */
export type SqsSender = (queue: SqsQueueArn, body: string, messageGroupId: string | undefined) => Promise<SqsSendOutcome>;

/** Settings of {@link LocalEventBridge}. */
export interface LocalEventBridgeOptions {
  /** Gives event times (when an entry has no `Time`) and creation times. */
  readonly clock: Clock;
  /** PutEvents size limit for an entry and for a whole request, in bytes. */
  readonly maxEntryBytes: number;
  /** How many accepted events {@link LocalEventBridge.events} keeps (the oldest are dropped beyond it). */
  readonly maxRecordedEvents: number;
  /** The event-pattern matcher and validator for rules. */
  readonly patterns: EventPatternSupport;
  /** Delivers to SQS targets. */
  readonly sendToSqs: SqsSender;
}

interface AcceptedEvent {
  readonly record: Omit<EventBridgeEventRecord, 'deliveries'>;
  readonly targets: readonly MatchedTarget[];
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * EventBridge as local-aws answers it: event buses, `PutEvents` with AWS's checks, and rules
 * whose SQS targets receive matching events (sent before the PutEvents answer, so a test can
 * receive them right after). It keeps the accepted events for tests.
 */
export class LocalEventBridge {
  readonly #options: LocalEventBridgeOptions;
  readonly #buses: EventBusRegistry;
  readonly #rules: EventRuleRegistry;
  readonly #recorded: EventBridgeEventRecord[] = [];

  /** @param options - Clock, limits, pattern matcher and SQS sender. */
  constructor(options: LocalEventBridgeOptions) {
    this.#options = options;
    this.#buses = new EventBusRegistry(options.clock);
    this.#rules = new EventRuleRegistry(this.#buses, options.patterns);
  }

  /**
   * Answers one EventBridge action.
   *
   * @param action - The action (from `X-Amz-Target: AWSEvents.<action>`).
   * @param body - The JSON body.
   * @param region - The region the request was signed for.
   * @returns The HTTP answer.
   */
  async handle(action: string, body: Buffer, region: string): Promise<LocalResponse> {
    try {
      if (action === 'PutEvents') return eventBridgeOk(await this.#putEvents(body, region));
      const output = this.#manage(action, body, region);
      return output === undefined ? notImplementedResponse('eventbridge', action) : eventBridgeOk(output);
    } catch (error) {
      if (error instanceof EventBridgeRequestError) return eventBridgeErrorResponse(error.error);
      throw error;
    }
  }

  #manage(action: string, body: Buffer, region: string): Record<string, unknown> | undefined {
    const handlers: Record<string, (input: ReturnType<typeof parseEventBridgeInput>) => Record<string, unknown>> = {
      CreateEventBus: (input) => this.#buses.create(input, region),
      DescribeEventBus: (input) => this.#buses.describe(input, region),
      DeleteEventBus: (input) => this.#buses.delete(input, (bus) => this.#rules.hasRules(bus)),
      ListEventBuses: (input) => this.#buses.list(input, region),
      PutRule: (input) => this.#rules.putRule(input, region),
      DescribeRule: (input) => this.#rules.describeRule(input, region),
      EnableRule: (input) => this.#rules.setState(input, 'ENABLED'),
      DisableRule: (input) => this.#rules.setState(input, 'DISABLED'),
      DeleteRule: (input) => this.#rules.deleteRule(input),
      ListRules: (input) => this.#rules.listRules(input, region),
      PutTargets: (input) => this.#rules.putTargets(input),
      RemoveTargets: (input) => this.#rules.removeTargets(input),
      ListTargetsByRule: (input) => this.#rules.listTargetsByRule(input),
    };
    const handler = handlers[action];
    return handler === undefined ? undefined : handler(parseEventBridgeInput(body));
  }

  /**
   * The positions of the entries of a PutEvents body that would be accepted now; the fault
   * injector draws failures among these only, so an injected failure never hides a
   * validation error.
   *
   * @param body - The PutEvents body.
   * @returns Zero-based positions, or `undefined` when the request fails as a whole.
   */
  putEventsCandidates(body: Buffer): number[] | undefined {
    try {
      const request = parsePutEvents(body);
      checkPutEventsRequest(request, this.#options.maxEntryBytes);
      const positions: number[] = [];
      request.entries.forEach((entry, index) => {
        if (checkPutEventsEntry(entry, (name) => this.#buses.has(name)).ok) positions.push(index);
      });
      return positions;
    } catch (error) {
      if (error instanceof EventBridgeRequestError) return undefined;
      throw error;
    }
  }

  /**
   * The events accepted so far, oldest first (at most `maxRecordedEvents`).
   *
   * @param busNameOrArn - Only events put on this bus; default: every bus.
   * @returns Copies of the records.
   */
  events(busNameOrArn?: string): EventBridgeEventRecord[] {
    const busName = busNameOrArn === undefined ? undefined : eventBusNameOf(busNameOrArn);
    return this.#recorded.filter((record) => busName === undefined || record.eventBusName === busName);
  }

  async #putEvents(body: Buffer, region: string): Promise<Record<string, unknown>> {
    const request = parsePutEvents(body);
    checkPutEventsRequest(request, this.#options.maxEntryBytes);
    const nowMs = this.#options.clock.now();
    const results: PutEventsResultEntry[] = [];
    const accepted: AcceptedEvent[] = [];
    let failedEntryCount = 0;
    // Every check and every pattern evaluation happens before anything is recorded or sent:
    // a matcher that throws fails the whole request with nothing accepted.
    for (const entry of request.entries) {
      const check = checkPutEventsEntry(entry, (name) => this.#buses.has(name));
      if (!check.ok) {
        failedEntryCount += 1;
        results.push({ ErrorCode: check.errorCode, ErrorMessage: check.errorMessage });
        continue;
      }
      const record = this.#record(check.entry, region, nowMs);
      accepted.push({ record, targets: this.#rules.matchingTargets(record.eventBusName, record.event) });
      results.push({ EventId: record.eventId });
    }
    for (const { record, targets } of accepted) {
      const deliveries: EventBridgeDelivery[] = [];
      for (const matched of targets) deliveries.push(await this.#deliver(matched, record.event));
      this.#keep({ ...record, deliveries });
    }
    return { FailedEntryCount: failedEntryCount, Entries: results };
  }

  #record(entry: ValidPutEventsEntry, region: string, nowMs: number): Omit<EventBridgeEventRecord, 'deliveries'> {
    const eventId = randomUUID();
    const time = isoSeconds(entry.timeMs ?? nowMs);
    return {
      eventId,
      eventBusName: entry.eventBusName,
      source: entry.source,
      detailType: entry.detailType,
      detail: entry.detail,
      resources: entry.resources,
      time,
      event: {
        version: '0',
        id: eventId,
        'detail-type': entry.detailType,
        source: entry.source,
        account: LOCAL_ACCOUNT_ID,
        time,
        region,
        resources: entry.resources,
        detail: entry.detailObject,
      },
    };
  }

  async #deliver({ rule, target }: MatchedTarget, event: Readonly<Record<string, unknown>>): Promise<EventBridgeDelivery> {
    const base = { rule: rule.name, targetId: target.id, targetArn: target.arn };
    const queue = parseSqsQueueArn(target.arn);
    const body = targetMessageBody(target, event);
    if (queue === undefined) return { ...base, outcome: 'failed', error: `${target.arn} is not an SQS queue ARN.` };
    if (body === undefined) return { ...base, outcome: 'failed', error: `InputPath ${target.inputPath ?? ''} selects nothing in the event.` };
    const sent = await this.#options.sendToSqs(queue, body, target.messageGroupId);
    return 'messageId' in sent ? { ...base, outcome: 'delivered', messageId: sent.messageId } : { ...base, outcome: 'failed', error: sent.error };
  }

  #keep(record: EventBridgeEventRecord): void {
    this.#recorded.push(record);
    const excess = this.#recorded.length - this.#options.maxRecordedEvents;
    if (excess > 0) this.#recorded.splice(0, excess);
  }
}
