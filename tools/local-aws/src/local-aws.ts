import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AwsService } from './aws-service.js';
import { routeRequest, type RoutedRequest } from './aws-service.js';
import { handlePublishBatch, handleSendMessageBatch } from './batch-entry-faults.js';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.js';
import { internalError, serviceErrorResponse, throttlingError } from './error-responses.js';
import { createFauxqsBackend, type FauxqsBackend } from './fauxqs-backend.js';
import { normalizeQueueUrlInBody } from './sqs-queue-url.js';
import { FaultInjector } from './fault-injector.js';
import type { FaultCounts, FaultOptions } from './fault-options.js';
import { createHttpForwarder, type HttpForwarder } from './http-forwarder.js';
import { drawLatencyMs, validateLatency, type LatencyOption } from './latency.js';
import { createLocalHandlers, localHandlerKey, notImplementedResponse } from './local-handlers.js';
import type { LocalResponse } from './local-response.js';
import { createSeededRandom } from './seeded-random.js';
import { SnsSequenceNumbers } from './sns-sequence-numbers.js';

/** Environment variable that makes {@link startLocalAws} reuse a running DynamoDB Local. */
export const SHARED_DYNAMODB_ENDPOINT_ENV = 'HERALD_DYNAMODB_ENDPOINT';

/** The region local-aws answers for (fauxqs takes it from each request's signature; this is the default). */
export const LOCAL_AWS_REGION = 'us-east-1';

/** Options for {@link startLocalAws}. */
export interface LocalAwsOptions {
  /** Port of the front endpoint on 127.0.0.1. Default 0 (a free port). */
  readonly port?: number;
  /** Delay added before each request is handled. Default: none. */
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
  /** Closes the endpoint, its connections, fauxqs and the DynamoDB Local it started. Safe to call twice. */
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

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
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

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts one local AWS endpoint on 127.0.0.1 that routes each request by protocol: SNS
 * (awsQuery) and SQS (JSON 1.0) to fauxqs 1.9.2 in process, DynamoDB (JSON 1.0) to DynamoDB
 * Local, EventBridge (JSON 1.1) to a "not implemented here" error for now. It can add
 * latency and inject faults from a seed.
 *
 * Make every SDK client with `endpoint` set to the returned `endpoint` (the SQS client
 * otherwise sends requests to the host inside `QueueUrl`).
 *
 * @param options - Port, latency, faults and DynamoDB settings.
 * @returns The running endpoint; call `stop()` when done.
 */
export async function startLocalAws(options: LocalAwsOptions = {}): Promise<LocalAws> {
  let latency = options.latencyMs;
  if (latency !== undefined) validateLatency(latency);
  const injector = new FaultInjector(options.faults);
  const latencyRandom = createSeededRandom(options.latencySeed ?? options.faults?.seed ?? 1);
  const handlers = createLocalHandlers();
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

  async function dispatch(route: RoutedRequest, headers: Record<string, string>, body: Buffer): Promise<LocalResponse> {
    const own = handlers.get(localHandlerKey(route.service, route.action));
    if (own !== undefined) return own({ service: route.service, action: route.action, headers, body });
    switch (route.service) {
      case 'eventbridge':
        return notImplementedResponse(route.service, route.action);
      case 'dynamodb':
        if (dynamodb === undefined) {
          return serviceErrorResponse('dynamodb', {
            statusCode: 400,
            code: 'LocalAwsDynamoDbDisabled',
            message: 'DynamoDB is not served by this local-aws: it was started with dynamodb: false (or --no-dynamodb). Start it with DynamoDB enabled.',
            fault: 'Sender',
          });
        }
        return dynamodb.forward(headers, body);
      case 'sns': {
        const backend = fauxqsOrThrow();
        // Publish/PublishBatch answers for FIFO topics get the SequenceNumber fauxqs leaves out.
        const forward = sequenceNumbers.wrap(route.action, (next) => backend.handle(headers, next));
        if (route.action === 'PublishBatch') return handlePublishBatch(body, injector, forward);
        return forward(body);
      }
      case 'sqs': {
        const backend = fauxqsOrThrow();
        const forward = (next: Buffer): Promise<LocalResponse> => backend.handle(headers, next);
        const normalized = normalizeQueueUrlInBody(body, frontHost);
        if (route.action === 'SendMessageBatch') return handleSendMessageBatch(normalized, injector, forward);
        return forward(normalized);
      }
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
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
    // Drawn on arrival, so the fault sequence follows the order requests arrive in, not the order their delays end.
    const fault = injector.decideRequest(route.service, route.action);

    const delayMs = drawLatencyMs(latency, latencyRandom);
    if (delayMs > 0) {
      delayedRequests += 1;
      totalDelayMs += delayMs;
      await sleep(delayMs);
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

    let response: LocalResponse;
    try {
      response = await dispatch(route, forwardableHeaders(req), body);
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
    fauxqs = await createFauxqsBackend(frontHost);
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
    stop() {
      stopping ??= (async () => {
        closed = true;
        await closeServer();
        await fauxqs?.close();
        dynamodb?.close();
        await ownDynamoDb?.stop();
      })();
      return stopping;
    },
  };
}
