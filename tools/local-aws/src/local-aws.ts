import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AwsService } from './aws-service.js';
import { routeRequest, serviceFromHeaders, type RoutedRequest } from './aws-service.js';
import { planPublishBatch, planPutEvents, planSendMessageBatch } from './batch-entry-faults.js';
import { CancellableDelays } from './cancellable-delays.js';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.js';
import { internalError, serviceErrorResponse, throttlingError } from './error-responses.js';
import { createFauxqsBackend, type FauxqsBackend } from './fauxqs-backend.js';
import { normalizeQueueUrlInBody } from './sqs-queue-url.js';
import { FaultInjector } from './fault-injector.js';
import { LocalAwsConfigError, type FaultCounts, type FaultOptions } from './fault-options.js';
import { withLowerCaseMediaType } from './content-type.js';
import { createHttpForwarder, type HttpForwarder } from './http-forwarder.js';
import { jsonObjectBodyProblem } from './json-body-check.js';
import { drawLatencyMs, validateLatency, type LatencyOption } from './latency.js';
import { LocalEventBridge, type EventBridgeEventRecord, type SqsSendOutcome } from './eventbridge-service.js';
import { signedRegion, type SqsQueueArn } from './eventbridge-arns.js';
import { PUT_EVENTS_LIMITS } from './eventbridge-put-events.js';
import type { EventPatternMatcher, EventPatternValidator } from './eventbridge-rules.js';
import type { FilterPolicyMatcher } from './sns-filter-override.js';
import { createLocalHandlers, localHandlerKey } from './local-handlers.js';
import { registerSnsPlatformHandlers } from './sns-platform/sns-platform.js';
import type { LocalPushService } from './sns-platform/push-deliveries.js';
import type { LocalResponse } from './local-response.js';
import { DEFAULT_MAX_BODY_BYTES, readRequestBody } from './request-body.js';
import { createSeededRandom, systemClock, type Clock } from '@herald/core';
import { SnsSequenceNumbers } from './sns-sequence-numbers.js';

/** Environment variable that makes {@link startLocalAws} reuse a running DynamoDB Local. */
export const SHARED_DYNAMODB_ENDPOINT_ENV = 'HERALD_DYNAMODB_ENDPOINT';

/** The region local-aws answers for (fauxqs takes it from each request's signature; this is the default). */
export const LOCAL_AWS_REGION = 'us-east-1';

/** Options for {@link startLocalAws}. */
export interface LocalAwsOptions {
  /** Port of the front endpoint on 127.0.0.1. Default 0 (a free port). */
  readonly port?: number;
  /**
   * Delay added before each request is handled (drawn on arrival, after its faults). Default: none.
   * `stop()` ends the requests still waiting.
   */
  readonly latencyMs?: LatencyOption;
  /** Seed for drawing ranged latencies. Default: `faults.seed`, else 1. */
  readonly latencySeed?: number;
  /** Faults to inject. Default: none. Can be changed later with `setFaults`. */
  readonly faults?: FaultOptions;
  /** Serve DynamoDB. Default `true`; `false` skips starting Java (DynamoDB requests then fail clearly). */
  readonly dynamodb?: boolean;
  /**
   * Endpoint of an already running DynamoDB Local to forward to instead of starting one (it is
   * not stopped by `stop()`). Default: the `HERALD_DYNAMODB_ENDPOINT` environment variable if
   * set (the vitest global setup sets it), else a new DynamoDB Local is started.
   */
  readonly dynamodbEndpoint?: string;
  /** How long to wait for a new DynamoDB Local to answer. Default 60,000 ms. */
  readonly dynamodbStartTimeoutMs?: number;
  /**
   * Largest request body read, in bytes. Default 8 MiB (8,388,608). A larger body is not
   * read past the limit: it is answered HTTP 413 (`RequestEntityTooLarge`, in the service's
   * error shape when the headers tell the service) and its connection is closed.
   */
  readonly maxBodyBytes?: number;
  /**
   * Decides whether an event matches an EventBridge rule's `EventPattern`, e.g.
   * `matchesEventPattern` from `@herald/fanout` (local-aws cannot depend on it). Without one,
   * `PutRule` is refused (`LocalAwsEventPatternMatcherMissing`) rather than a rule that would
   * deliver nothing, or everything. `PutEvents` without rules needs none.
   */
  readonly eventPatternMatcher?: EventPatternMatcher;
  /**
   * Says what is wrong with an event pattern, so `PutRule` refuses it with
   * `InvalidEventPatternException` as EventBridge would. Default: only "must be a JSON object" is checked.
   */
  readonly eventPatternValidator?: EventPatternValidator;
  /**
   * Decides whether a message published to an SNS topic reaches a subscription with a filter
   * policy, instead of fauxqs 1.9.2's own evaluator, which differs from SNS in many places
   * (docs/emulator-divergences.md; e.g. arrays in a `MessageBody`-scoped message never match,
   * so no body filter on an S3 event notification does). Pass
   * `(policy, message, scope) => matchesFilterPolicy(policy, message, { scope })` from
   * `@herald/fanout` (local-aws cannot depend on it). Default: fauxqs decides.
   */
  readonly filterPolicyMatcher?: FilterPolicyMatcher;
  /**
   * PutEvents size limit, in bytes, for one entry and for all entries of a request together
   * (UTF-8 bytes of `Source`, `DetailType`, `Detail`, each `Resources` element, plus 14 for
   * `Time`). Default 262,144 (256 KiB).
   */
  readonly eventBridgeMaxEntryBytes?: number;
  /** How many accepted EventBridge events `eventBridgeEvents()` keeps (oldest dropped first). Default 10,000. */
  readonly eventBridgeMaxRecordedEvents?: number;
  /** Gives EventBridge event times (for entries without `Time`) and bus creation times. Default: the system clock. */
  readonly clock?: Clock;
}

/** The settings every SDK client needs to talk to local-aws (see {@link LocalAws.clientConfig}). */
export interface LocalClientConfig {
  /** The local endpoint. */
  readonly endpoint: string;
  /** The region local-aws answers for. */
  readonly region: string;
  /** Dummy credentials: local-aws never checks signatures. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** Request counters of a running local endpoint. */
export interface LocalAwsStats {
  /** Requests received per service (including those answered with an injected fault). */
  readonly requests: Readonly<Record<AwsService, number>>;
  /** Requests that were delayed by `latencyMs`. */
  readonly delayedRequests: number;
  /** Sum of all delays applied, in ms. */
  readonly totalDelayMs: number;
}

/** A running local AWS endpoint. */
export interface LocalAws {
  /** The endpoint to give every SDK client as `endpoint`, e.g. `http://127.0.0.1:41234`. */
  readonly endpoint: string;
  /** The port of {@link LocalAws.endpoint}. */
  readonly port: number;
  /** The region to configure clients with. */
  readonly region: string;
  /** Environment for child processes: `AWS_ENDPOINT_URL`, `AWS_REGION`, dummy credentials. */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Configuration for every SDK v3 client in this process: `endpoint` (set explicitly, which the
   * SQS client needs), `region` and dummy credentials, e.g. `new SQSClient(local.clientConfig)` or
   * `new SNSClient({ ...local.clientConfig, maxAttempts: 1 })`.
   */
  readonly clientConfig: LocalClientConfig;
  /** The DynamoDB Local endpoint requests are forwarded to, if DynamoDB is served. */
  readonly dynamodbEndpoint: string | undefined;
  /** Process id of the DynamoDB Local started by this instance (`undefined` when none was started here). */
  readonly dynamodbPid: number | undefined;
  /**
   * Replaces the fault options at run time and restarts the fault sequence from the new seed.
   *
   * @param faults - New options, or `undefined` for no faults.
   */
  setFaults(faults: FaultOptions | undefined): void;
  /**
   * Replaces the latency at run time.
   *
   * @param latencyMs - New latency, or `undefined` for none.
   */
  setLatency(latencyMs: LatencyOption | undefined): void;
  /** @returns Counters of injected faults since start. */
  faultCounts(): FaultCounts;
  /** @returns Request counters since start. */
  stats(): LocalAwsStats;
  /**
   * The events EventBridge `PutEvents` accepted so far, oldest first, with what happened to each
   * at its rule targets. Entries that failed (validation, unknown bus, injected faults) are
   * never in it. At most `eventBridgeMaxRecordedEvents` are kept.
   *
   * @param busNameOrArn - Only the events of this bus (name or ARN); default: every bus.
   * @returns The events.
   */
  eventBridgeEvents(busNameOrArn?: string): EventBridgeEventRecord[];
  /**
   * Test hooks of the push service behind the SNS platform endpoints: make it reject a token
   * (SNS then disables the endpoint on the next publish), and read what was published to endpoints.
   */
  readonly push: LocalPushService;
  /**
   * Closes the endpoint, its connections, fauxqs and the DynamoDB Local it started. Requests
   * still waiting out their latency are ended at once (their connections destroyed), so no
   * timer keeps the process alive afterwards. Safe to call twice.
   */
  stop(): Promise<void>;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'expect',
  'upgrade',
  'te',
  'trailer',
  'proxy-authorization',
  'proxy-connection',
]);

function forwardableHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function writeResponse(res: ServerResponse, response: LocalResponse): void {
  if (res.destroyed || res.headersSent) return;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (!HOP_BY_HOP.has(name.toLowerCase())) headers[name] = value;
  }
  headers['content-length'] = String(response.body.length);
  res.writeHead(response.statusCode, headers);
  res.end(response.body);
}

function jsonResponse(statusCode: number, value: unknown): LocalResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(value), 'utf8'),
  };
}

const SERVICE_TITLES: Readonly<Record<AwsService, string>> = { sns: 'SNS', sqs: 'SQS', dynamodb: 'DynamoDB', eventbridge: 'EventBridge' };

/** How long a connection whose body was too large stays open after its 413, so the client can read it. */
const TOO_LARGE_CLOSE_GRACE_MS = 1_000;

/**
 * Answers a request whose body is over the limit and closes its connection. The unread rest of
 * the body is never read (Node stops reading the socket once the paused request's buffer is
 * full). After the answer the socket is half-closed, then destroyed when the client closes or
 * after a short grace: destroying it at once would reset the connection (unread data) and a
 * client still sending could see `EPIPE` before it reads the 413.
 */
function rejectTooLarge(req: IncomingMessage, res: ServerResponse, maxBodyBytes: number): void {
  const target = req.headers['x-amz-target'];
  const service = serviceFromHeaders(Array.isArray(target) ? target[0] : target, req.headers['content-type']);
  const message = `The request body is larger than local-aws accepts (maxBodyBytes = ${maxBodyBytes} bytes); it was not read. Send a smaller request, or start local-aws with a larger maxBodyBytes.`;
  const response =
    service === undefined
      ? jsonResponse(413, { message })
      : serviceErrorResponse(service, { statusCode: 413, code: 'RequestEntityTooLarge', message, fault: 'Sender' });
  const socket = req.socket;
  res.once('finish', () => {
    socket.end();
    const grace = setTimeout(() => socket.destroy(), TOO_LARGE_CLOSE_GRACE_MS);
    grace.unref();
    socket.once('close', () => clearTimeout(grace));
  });
  writeResponse(res, response);
}

function isPositiveWholeNumber(value: number): boolean {
  return Number.isSafeInteger(value) && value > 0;
}

function positiveWholeOption(name: string, value: number | undefined, fallback: number): number {
  const chosen = value ?? fallback;
  if (!isPositiveWholeNumber(chosen)) {
    throw new LocalAwsConfigError(`${name} must be a whole number > 0, got ${String(value)}.`);
  }
  return chosen;
}

const SQS_SEND_HEADERS = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' } as const;

function sqsSendOutcome(response: LocalResponse): SqsSendOutcome {
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const fields = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const messageId = fields['MessageId'];
  if (response.statusCode === 200 && typeof messageId === 'string') return { messageId };
  const type = typeof fields['__type'] === 'string' ? fields['__type'].replace(/^.*#/, '') : `HTTP ${response.statusCode}`;
  const message = typeof fields['message'] === 'string' ? fields['message'] : response.body.toString('utf8');
  return { error: `SQS SendMessage failed: ${type}: ${message}` };
}

/**
 * Starts one local AWS endpoint on 127.0.0.1 that routes each request by protocol: SNS
 * (awsQuery) and SQS (JSON 1.0) to fauxqs 1.9.2 in process, DynamoDB (JSON 1.0) to DynamoDB
 * Local, EventBridge (JSON 1.1) to handlers of its own: `PutEvents` with AWS's checks and
 * per-entry results, event buses (`CreateEventBus`, `DescribeEventBus`, `DeleteEventBus`,
 * `ListEventBuses`) and rules with SQS queue targets (`PutRule` needs `eventPatternMatcher`),
 * whose events are sent to the queues through fauxqs. It can add latency and inject faults
 * (request faults for every service, per-entry failures for `PublishBatch`,
 * `SendMessageBatch` and `PutEvents`) from a seed. `eventBridgeEvents()` shows what
 * EventBridge accepted.
 *
 * Make every SDK client with `endpoint` set to the returned `endpoint` (the SQS client
 * otherwise sends requests to the host inside `QueueUrl`).
 *
 * @param options - Port, latency, faults, DynamoDB and EventBridge settings.
 * @returns The running endpoint; call `stop()` when done.
 */
export async function startLocalAws(options: LocalAwsOptions = {}): Promise<LocalAws> {
  let latency = options.latencyMs;
  if (latency !== undefined) validateLatency(latency);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!isPositiveWholeNumber(maxBodyBytes)) {
    throw new LocalAwsConfigError(`maxBodyBytes must be a whole number of bytes > 0, got ${String(options.maxBodyBytes)}.`);
  }
  const injector = new FaultInjector(options.faults);
  const delays = new CancellableDelays();
  const latencyRandom = createSeededRandom(options.latencySeed ?? options.faults?.seed ?? 1);
  const handlers = createLocalHandlers();
  const snsPlatform = registerSnsPlatformHandlers(handlers, () => (options.clock ?? systemClock).now());
  const eventBridge = new LocalEventBridge({
    clock: options.clock ?? systemClock,
    maxEntryBytes: positiveWholeOption('eventBridgeMaxEntryBytes', options.eventBridgeMaxEntryBytes, PUT_EVENTS_LIMITS.maxEntryBytes),
    maxRecordedEvents: positiveWholeOption('eventBridgeMaxRecordedEvents', options.eventBridgeMaxRecordedEvents, 10_000),
    patterns: { matcher: options.eventPatternMatcher, validator: options.eventPatternValidator },
    sendToSqs: async (queue: SqsQueueArn, messageBody: string, messageGroupId: string | undefined) => {
      const request = {
        QueueUrl: `http://${frontHost}/${queue.account}/${queue.name}`,
        MessageBody: messageBody,
        ...(messageGroupId === undefined ? {} : { MessageGroupId: messageGroupId }),
      };
      return sqsSendOutcome(await fauxqsOrThrow().handle(SQS_SEND_HEADERS, Buffer.from(JSON.stringify(request), 'utf8')));
    },
  });
  const sequenceNumbers = new SnsSequenceNumbers();
  const requests: Record<AwsService, number> = { sns: 0, sqs: 0, dynamodb: 0, eventbridge: 0 };
  let delayedRequests = 0;
  let totalDelayMs = 0;
  let closed = false;
  let ready = false;

  let fauxqs: FauxqsBackend | undefined;
  let ownDynamoDb: DynamoDbLocal | undefined;
  let dynamodb: HttpForwarder | undefined;
  let dynamodbEndpoint: string | undefined;
  let frontHost = '';

  function fauxqsOrThrow(): FauxqsBackend {
    if (fauxqs === undefined) throw new Error('fauxqs is not running (local-aws is starting or stopped).');
    return fauxqs;
  }

  /**
   * Everything about a request that draws from the fault sequence happens here, synchronously,
   * when it arrives; the returned function does the rest after the latency wait.
   */
  function prepareDispatch(
    route: RoutedRequest,
    headers: Record<string, string>,
    body: Buffer,
  ): () => Promise<LocalResponse> {
    const own =
      handlers.get(localHandlerKey(route.service, route.action)) ??
      snsPlatform.publishHandlerFor(route.service, route.action, body);
    if (own !== undefined) return async () => own({ service: route.service, action: route.action, headers, body });
    switch (route.service) {
      case 'eventbridge': {
        const region = signedRegion(headers, LOCAL_AWS_REGION);
        const answer = (next: Buffer): Promise<LocalResponse> => eventBridge.handle(route.action, next, region);
        if (route.action === 'PutEvents') {
          const plan = planPutEvents(body, injector, (next) => eventBridge.putEventsCandidates(next));
          return () => plan(answer);
        }
        return () => answer(body);
      }
      case 'dynamodb':
        return async () => {
          if (dynamodb === undefined) {
            return serviceErrorResponse('dynamodb', {
              statusCode: 400,
              code: 'LocalAwsDynamoDbDisabled',
              message: 'DynamoDB is not served by this local-aws: it was started with dynamodb: false (or --no-dynamodb). Start it with DynamoDB enabled.',
              fault: 'Sender',
            });
          }
          return dynamodb.forward(headers, body);
        };
      case 'sns': {
        // fauxqs only parses a lower-case form media type; media types are case-insensitive.
        const snsHeaders = { ...headers, 'content-type': withLowerCaseMediaType(headers['content-type'] ?? '') };
        // Publish/PublishBatch answers for FIFO topics get the SequenceNumber fauxqs leaves out.
        const forward = sequenceNumbers.wrap(route.action, (next) => fauxqsOrThrow().handle(snsHeaders, next));
        if (route.action === 'PublishBatch') {
          const plan = planPublishBatch(body, injector);
          return () => plan(forward);
        }
        return () => forward(body);
      }
      case 'sqs': {
        const forward = (next: Buffer): Promise<LocalResponse> => fauxqsOrThrow().handle(headers, next);
        const normalized = normalizeQueueUrlInBody(body, frontHost);
        if (route.action === 'SendMessageBatch') {
          const plan = planSendMessageBatch(normalized, injector);
          return () => plan(forward);
        }
        return () => forward(normalized);
      }
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const read = await readRequestBody(req, maxBodyBytes);
    if (read.kind === 'aborted') return;
    if (read.kind === 'tooLarge') {
      rejectTooLarge(req, res, maxBodyBytes);
      return;
    }
    const body = read.body;
    if (!ready || closed) {
      writeResponse(res, jsonResponse(503, { message: 'local-aws is starting or stopping; retry shortly.' }));
      return;
    }
    if (req.method === 'GET' && (req.url === '/health' || req.url === '/')) {
      writeResponse(res, jsonResponse(200, { status: 'ok' }));
      return;
    }
    const target = req.headers['x-amz-target'];
    const route = routeRequest(Array.isArray(target) ? target[0] : target, req.headers['content-type'], body);
    if (route === undefined) {
      writeResponse(
        res,
        jsonResponse(400, {
          message:
            'local-aws could not tell which service this request is for: expected X-Amz-Target AmazonSQS.*, DynamoDB_20120810.* or AWSEvents.*, or an awsQuery form body with Action=. Point only SNS, SQS, DynamoDB and EventBridge clients at this endpoint.',
        }),
      );
      return;
    }
    requests[route.service] += 1;
    if (route.service !== 'sns') {
      const problem = jsonObjectBodyProblem(body);
      if (problem !== undefined) {
        writeResponse(
          res,
          serviceErrorResponse(route.service, {
            statusCode: 400,
            code: 'SerializationException',
            message: `The ${SERVICE_TITLES[route.service]} request body must be a JSON object, but ${problem}. Send the input as JSON (\`{}\` when the operation has none).`,
            fault: 'Sender',
          }),
        );
        return;
      }
    }
    // Every draw (the request's fault, then its batch entries' faults, then its latency) is made
    // here on arrival, before any await: the fault sequence follows the order requests arrive in,
    // not the order their delays end.
    const fault = injector.decideRequest(route.service, route.action);
    const forwarded = fault === 'none' || fault === 'resetAfterForward';
    const headers = forwardableHeaders(req);
    const run = forwarded ? prepareDispatch(route, headers, body) : undefined;
    const delayMs = drawLatencyMs(latency, latencyRandom);
    if (delayMs > 0) {
      delayedRequests += 1;
      totalDelayMs += delayMs;
      await delays.wait(delayMs);
    }
    if (closed) {
      req.socket.destroy();
      return;
    }

    switch (fault) {
      case 'throttle':
        writeResponse(res, serviceErrorResponse(route.service, throttlingError(route.service)));
        return;
      case 'serverError':
        writeResponse(res, serviceErrorResponse(route.service, internalError(route.service)));
        return;
      case 'reset':
        req.socket.destroy();
        return;
      default:
        break;
    }

    if (run === undefined) return;
    let response: LocalResponse;
    try {
      response = await run();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      response = serviceErrorResponse(route.service, {
        statusCode: 500,
        code: 'InternalFailure',
        message: `local-aws could not get an answer from the ${route.service} emulator: ${reason}`,
        fault: 'Receiver',
      });
    }
    if (fault === 'resetAfterForward') {
      req.socket.destroy();
      return;
    }
    writeResponse(res, response);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        writeResponse(res, jsonResponse(500, { message: `local-aws failed: ${String(error)}` }));
      }
    });
  });
  // Idle keep-alive sockets stay open longer than Node's 5 s default, so SDK clients (whose
  // agents never time out idle sockets) rarely race a server-side close into a spurious ECONNRESET.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${port}`;
  frontHost = `127.0.0.1:${port}`;
  const closeServer = async (): Promise<void> => {
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await serverClosed;
  };

  try {
    fauxqs = await createFauxqsBackend(frontHost, options.filterPolicyMatcher);
    if (options.dynamodb !== false) {
      const shared = options.dynamodbEndpoint ?? process.env[SHARED_DYNAMODB_ENDPOINT_ENV];
      if (shared !== undefined && shared !== '') {
        dynamodbEndpoint = shared.replace(/\/+$/, '');
      } else {
        ownDynamoDb = await startDynamoDbLocal(
          options.dynamodbStartTimeoutMs === undefined ? {} : { startTimeoutMs: options.dynamodbStartTimeoutMs },
        );
        dynamodbEndpoint = ownDynamoDb.endpoint;
      }
      dynamodb = createHttpForwarder(dynamodbEndpoint);
    }
  } catch (error) {
    closed = true;
    await closeServer();
    await fauxqs?.close();
    throw error;
  }
  ready = true;

  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    port,
    region: LOCAL_AWS_REGION,
    clientConfig: { endpoint, region: LOCAL_AWS_REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: LOCAL_AWS_REGION,
      AWS_DEFAULT_REGION: LOCAL_AWS_REGION,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    },
    dynamodbEndpoint,
    dynamodbPid: ownDynamoDb?.pid,
    setFaults(faults) {
      injector.configure(faults);
    },
    setLatency(latencyMs) {
      if (latencyMs !== undefined) validateLatency(latencyMs);
      latency = latencyMs;
    },
    faultCounts() {
      return injector.counts();
    },
    stats() {
      return { requests: { ...requests }, delayedRequests, totalDelayMs };
    },
    eventBridgeEvents(busNameOrArn) {
      return eventBridge.events(busNameOrArn);
    },
    push: snsPlatform.push,
    stop() {
      stopping ??= (async () => {
        closed = true;
        delays.cancelAll();
        await closeServer();
        await fauxqs?.close();
        dynamodb?.close();
        await ownDynamoDb?.stop();
      })();
      return stopping;
    },
  };
}
