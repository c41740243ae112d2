import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';

/** Dummy credentials: local-aws never checks signatures. */
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** SDK clients pointed at one local endpoint. */
export interface SdkClients {
  /** SNS client. */
  readonly sns: SNSClient;
  /** SQS client. */
  readonly sqs: SQSClient;
  /** DynamoDB client. */
  readonly dynamodb: DynamoDBClient;
  /** Destroys all three. */
  destroy(): void;
}

/**
 * Makes real SDK v3 clients with `endpoint` set explicitly (see the QueueUrl pitfall).
 *
 * @param endpoint - The local endpoint.
 * @param maxAttempts - SDK attempts per call; 1 lets injected faults surface unretried.
 */
export function makeClients(endpoint: string, maxAttempts = 3): SdkClients {
  const config = { endpoint, region: 'us-east-1', credentials, maxAttempts };
  const sns = new SNSClient(config);
  const sqs = new SQSClient(config);
  const dynamodb = new DynamoDBClient(config);
  return {
    sns,
    sqs,
    dynamodb,
    destroy() {
      sns.destroy();
      sqs.destroy();
      dynamodb.destroy();
    },
  };
}

/** The parts of an outgoing SDK request a test may rewrite. */
export interface OutgoingRequest {
  /** Request headers, as the SDK set them. */
  headers: Record<string, string>;
  /** Request body (a string for the JSON and awsQuery protocols). */
  body: unknown;
}

/**
 * The bytes of a serialised SDK request body: a string (awsQuery) or a `Uint8Array`
 * (the JSON protocols send a `Uint8Array` subclass).
 *
 * @param body - The body of an {@link OutgoingRequest}.
 * @returns Its bytes, or `undefined` for a stream or no body.
 */
export function outgoingBodyBytes(body: unknown): Uint8Array | undefined {
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return body;
  return undefined;
}

function rewriteMiddleware(rewrite: (request: OutgoingRequest) => void) {
  return <Args extends { request: unknown }, Output>(next: (args: Args) => Promise<Output>) =>
    (args: Args): Promise<Output> => {
      const request = args.request as OutgoingRequest;
      rewrite(request);
      // Keep Content-Length true to the new body, or the server would read a wrong one.
      const length = outgoingBodyBytes(request.body)?.length;
      if (length !== undefined) {
        for (const name of Object.keys(request.headers)) {
          if (name.toLowerCase() === 'content-length') delete request.headers[name];
        }
        request.headers['content-length'] = String(length);
      }
      return next(args);
    };
}

/**
 * Lets a test change every request a client sends, after the SDK serialised it
 * (e.g. to send a malformed body or an odd `Content-Type` through a real client).
 * `Content-Length` is set to match the new body.
 *
 * @param client - An SDK v3 client made by {@link makeClients}.
 * @param rewrite - Changes the request in place.
 */
export function rewriteRequests(client: SNSClient | SQSClient | DynamoDBClient, rewrite: (request: OutgoingRequest) => void): void {
  const options = { step: 'build', name: 'testRewriteRequest', priority: 'low' } as const;
  if (client instanceof SNSClient) client.middlewareStack.add(rewriteMiddleware(rewrite), options);
  else if (client instanceof SQSClient) client.middlewareStack.add(rewriteMiddleware(rewrite), options);
  else client.middlewareStack.add(rewriteMiddleware(rewrite), options);
}
