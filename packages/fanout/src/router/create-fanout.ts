import { randomUUID } from 'node:crypto';
import { compileRouteFilter, MessageView, type CompiledFilter } from './compile-route-filter.js';
import { createEventBridgeTarget } from './eventbridge-target.js';
import { FanoutClosedError } from './fanout-closed-error.js';
import type {
  DispatchResult,
  Fanout,
  FanoutMessage,
  FanoutOptions,
  FanoutRoute,
  FanoutTarget,
  RouteOutcome,
} from './fanout-types.js';
import { createFunctionTarget } from './function-target.js';
import { InvalidRouteError } from './invalid-route-error.js';
import { createSnsTarget } from './sns-target.js';
import { createSqsTarget } from './sqs-target.js';
import { errorText, failedOutcome, type TargetRunner } from './target-runner.js';

interface CompiledRoute {
  readonly name: string;
  readonly filter: CompiledFilter;
  readonly runner: TargetRunner;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function hasSend(client: unknown): boolean {
  return isObject(client) && typeof client['send'] === 'function';
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** What is wrong with a target's configuration, or undefined. */
function targetProblem(target: FanoutTarget): string | undefined {
  const fields = target as unknown as Record<string, unknown>;
  for (const name of ['toMessage', 'toEntry'] as const) {
    if (fields[name] !== undefined && typeof fields[name] !== 'function') return `target.${name} must be a function`;
  }
  switch (target.type) {
    case 'sns':
      if ('publisher' in target) {
        const publisher: unknown = target.publisher;
        return isObject(publisher) && typeof publisher['publish'] === 'function' && typeof publisher['flush'] === 'function'
          ? undefined
          : 'an SNS target needs a publisher from createSnsPublisher, or a client and topicArn';
      }
      if (!hasSend(target.client)) return 'an SNS target needs a client (an SNSClient) and a topicArn, or a publisher';
      return nonEmptyString(target.topicArn) ? undefined : 'an SNS target needs the topicArn of its topic';
    case 'sqs':
      if (!hasSend(target.client)) return 'an SQS target needs a client (an SQSClient, with endpoint set when not talking to AWS)';
      return nonEmptyString(target.queueUrl) ? undefined : 'an SQS target needs the queueUrl of its queue';
    case 'eventbridge':
      if (!hasSend(target.client)) return 'an EventBridge target needs a client (an EventBridgeClient)';
      if (target.eventBusName !== undefined && !nonEmptyString(target.eventBusName)) return 'eventBusName must be a non-empty string when set';
      if (target.toEntry !== undefined) return undefined;
      if (!nonEmptyString(target.source)) return 'an EventBridge target needs a source (e.g. "com.example.orders") unless toEntry sets it';
      return nonEmptyString(target.detailType) || typeof target.detailType === 'function'
        ? undefined
        : 'an EventBridge target needs a detailType (a string or a function of the message) unless toEntry sets it';
    case 'function': {
      if (typeof target.handler !== 'function') return 'a function target needs a handler function';
      const { timeoutMs, maxConcurrency } = target;
      if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0 && timeoutMs <= 2_147_483_647)) {
        return 'timeoutMs must be a number of ms from 1 to 2,147,483,647';
      }
      if (maxConcurrency !== undefined && !(Number.isInteger(maxConcurrency) && maxConcurrency >= 1)) {
        return 'maxConcurrency must be an integer >= 1';
      }
      return undefined;
    }
    default:
      return `target.type must be "sns", "sqs", "eventbridge" or "function", got "${String((target as { type?: unknown }).type)}"`;
  }
}

function checkRoute(route: FanoutRoute, index: number, seen: Set<string>): string {
  if (!isObject(route)) throw new InvalidRouteError(`#${index}`, `Route #${index} must be an object with a name, an optional filter and a target.`);
  const name: unknown = route.name;
  if (!nonEmptyString(name)) throw new InvalidRouteError(`#${index}`, `Route #${index} needs a non-empty name.`);
  if (seen.has(name)) throw new InvalidRouteError(name, `Two routes are named "${name}"; route names must be unique.`);
  seen.add(name);
  if (!isObject(route.target)) throw new InvalidRouteError(name, `Route "${name}" needs a target.`);
  const problem = targetProblem(route.target);
  if (problem !== undefined) throw new InvalidRouteError(name, `Route "${name}": ${problem}.`);
  return name;
}

function makeRunner(route: FanoutRoute, options: FanoutOptions): TargetRunner {
  const { target, name } = route;
  try {
    switch (target.type) {
      case 'sns':
        return createSnsTarget(name, target, options.logger, options.clock);
      case 'sqs':
        return createSqsTarget(name, target, options.logger, options.clock);
      case 'eventbridge':
        return createEventBridgeTarget(name, target, options.logger, options.clock);
      case 'function':
        return createFunctionTarget(name, target);
    }
  } catch (error) {
    // Option errors of the publisher, adapters and batcher (RangeError, TypeError).
    throw new InvalidRouteError(name, `Route "${name}": ${errorText(error)}`, error);
  }
}

/** Why a message cannot be routed at all, or undefined. */
function messageProblem(message: unknown): string | undefined {
  if (!isObject(message)) return 'The message must be an object with a string body.';
  if (typeof message['body'] !== 'string') return 'The message needs a string body.';
  if (message['id'] !== undefined && typeof message['id'] !== 'string') return 'The message id must be a string when set.';
  if (message['attributes'] !== undefined && !isObject(message['attributes'])) {
    return 'The message attributes must be an object of name → { DataType, StringValue | BinaryValue }.';
  }
  for (const field of ['groupId', 'deduplicationId']) {
    if (message[field] !== undefined && typeof message[field] !== 'string') return `The message ${field} must be a string when set.`;
  }
  return undefined;
}

function summarise(id: string, matched: string[], outcomes: RouteOutcome[]): DispatchResult {
  let delivered = 0;
  for (const outcome of outcomes) if (outcome.status === 'delivered') delivered++;
  const status =
    outcomes.length === 0 ? 'unmatched' : delivered === outcomes.length ? 'delivered' : delivered === 0 ? 'failed' : 'partial';
  return { id, status, matched, outcomes };
}

/**
 * Creates a fan-out router: each dispatched message is evaluated against every route's filter
 * (an SNS filter policy, an EventBridge event pattern, or a predicate) and handed to each
 * matched route's target: an SNS topic (through `@herald/sns-batch`), an SQS queue
 * (`SendMessageBatch`) or an EventBridge bus (`PutEvents`), both through the `@herald/core`
 * batch engine, or a function.
 *
 * Filters are compiled here, once: a route whose policy or pattern AWS would refuse throws
 * {@link InvalidRouteError} naming the route. Targets work independently: each has its own
 * batcher, retries and limits, so a failing or slow target never holds up the others' sends.
 * `dispatch` resolves with one {@link DispatchResult} per message, listing the matched routes
 * and each one's outcome (delivered with the service's id, or failed with a code); a message no
 * route takes says so (`'unmatched'`). Nothing is dropped silently.
 *
 * `close()` sends what is pending and closes what the router made: the batchers of SQS and
 * EventBridge targets and the publishers of SNS targets given as client + topic ARN. A publisher
 * you pass in is yours: the router flushes it but never closes it.
 *
 * @param options - Routes, logger, clock and id generator.
 * @returns The router.
 * @throws InvalidRouteError when a route is unusable (name, filter or target).
 *
 * @example
 * ```ts
 * const fanout = createFanout({
 *   routes: [
 *     { name: 'audit', target: { type: 'sqs', client: sqs, queueUrl: auditQueueUrl } },
 *     {
 *       name: 'big-orders',
 *       filter: { filterPolicy: { total: [{ numeric: ['>=', 100] }] }, scope: 'MessageBody' },
 *       target: { type: 'sns', client: sns, topicArn: bigOrdersTopicArn },
 *     },
 *     {
 *       name: 'analytics',
 *       filter: { eventPattern: { type: ['OrderPlaced'] } },
 *       target: { type: 'eventbridge', client: eventBridge, eventBusName: 'analytics', source: 'com.example.shop', detailType: 'OrderPlaced' },
 *     },
 *   ],
 * });
 * const result = await fanout.dispatch({ body: JSON.stringify({ type: 'OrderPlaced', total: 120 }) });
 * for (const outcome of result.outcomes) if (outcome.status === 'failed') console.error(outcome.route, outcome.code, outcome.message);
 * await fanout.close();
 * ```
 */
export function createFanout(options: FanoutOptions): Fanout {
  if (!isObject(options) || !Array.isArray(options.routes)) {
    throw new TypeError('createFanout: options.routes must be an array of routes ({ name, filter?, target }).');
  }
  if (options.generateId !== undefined && typeof options.generateId !== 'function') {
    throw new TypeError('createFanout: generateId must be a function returning a string.');
  }
  const generateId = options.generateId ?? randomUUID;

  // Check every route and compile every filter before making any target.
  const seen = new Set<string>();
  const filters: CompiledFilter[] = [];
  options.routes.forEach((route, index) => {
    const name = checkRoute(route, index, seen);
    filters.push(compileRouteFilter(name, route.filter));
  });
  const routes: CompiledRoute[] = options.routes.map((route, index) => ({
    name: route.name,
    filter: filters[index] as CompiledFilter,
    runner: makeRunner(route, options),
  }));

  const pending = new Set<Promise<unknown>>();
  let closed: Promise<void> | undefined;

  function track<T>(promise: Promise<T>): Promise<T> {
    pending.add(promise);
    const forget = (): void => {
      pending.delete(promise);
    };
    promise.then(forget, forget);
    return promise;
  }

  /**
   * The id of a message: its own, or a new one. Throws a TypeError when `generateId` throws or
   * returns something that is not a non-empty string.
   */
  function idOf(message: unknown): string {
    const given: unknown = isObject(message) ? message['id'] : undefined;
    if (typeof given === 'string') return given;
    let id: unknown;
    try {
      id = generateId();
    } catch (error) {
      throw new TypeError(`createFanout: generateId threw: ${errorText(error)}. No message of this dispatch was sent.`, { cause: error });
    }
    if (typeof id !== 'string' || id === '') {
      throw new TypeError(`createFanout: generateId must return a non-empty string, got ${JSON.stringify(id) ?? String(id)}. No message of this dispatch was sent.`);
    }
    return id;
  }

  /** Routes one message; the hand-over to every target happens before it returns. */
  function routeOne(message: FanoutMessage, id: string): Promise<DispatchResult> {
    const problem = messageProblem(message);
    if (problem !== undefined) {
      return Promise.resolve({ id, status: 'failed', matched: [], outcomes: [], error: { code: 'InvalidMessage', message: problem } });
    }
    const view = new MessageView(message);
    const matched: string[] = [];
    const deliveries: Array<Promise<RouteOutcome>> = [];
    for (const route of routes) {
      let takes: boolean;
      try {
        takes = route.filter(view);
      } catch (error) {
        deliveries.push(
          Promise.resolve(
            failedOutcome(route.name, route.runner.type, 'FilterFailed', `The route's filter threw: ${errorText(error)}`, error),
          ),
        );
        continue;
      }
      if (!takes) continue;
      matched.push(route.name);
      deliveries.push(route.runner.deliver(message, id));
    }
    return Promise.all(deliveries).then((outcomes) => summarise(id, matched, outcomes));
  }

  function dispatch(message: FanoutMessage): Promise<DispatchResult>;
  function dispatch(messages: readonly FanoutMessage[]): Promise<DispatchResult[]>;
  function dispatch(input: FanoutMessage | readonly FanoutMessage[]): Promise<DispatchResult | DispatchResult[]> {
    if (closed !== undefined) return Promise.reject(new FanoutClosedError());
    // Every id first: a failing generateId must not leave earlier messages sent without results.
    const messages: readonly FanoutMessage[] = Array.isArray(input) ? (input as readonly FanoutMessage[]) : [input as FanoutMessage];
    let ids: string[];
    try {
      ids = messages.map(idOf);
    } catch (error) {
      return Promise.reject(error);
    }
    if (!Array.isArray(input)) return track(routeOne(input as FanoutMessage, ids[0] as string));
    return track(Promise.all(messages.map((message, index) => routeOne(message, ids[index] as string))));
  }

  async function settle(work: Array<Promise<void>>): Promise<void> {
    const waitFor = [...pending];
    await Promise.all(work);
    await Promise.allSettled(waitFor);
  }

  return {
    routes: routes.map((route) => route.name),
    dispatch,
    flush: () => settle(routes.map((route) => route.runner.flush())),
    close: () => (closed ??= settle(routes.map((route) => route.runner.close()))),
  };
}
