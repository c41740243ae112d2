import type { IncomingMessage } from 'node:http';

/** Default largest request body local-aws reads: 8 MiB (far above any SNS, SQS or DynamoDB request). */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

/** What reading a request body gave. */
export type RequestBodyResult =
  /** The whole body, at most the limit. */
  | { readonly kind: 'complete'; readonly body: Buffer }
  /** The body is larger than the limit; reading stopped (the rest is left unread). */
  | { readonly kind: 'tooLarge' }
  /** The connection closed or failed before the body ended. */
  | { readonly kind: 'aborted' };

function declaredLength(req: IncomingMessage): number | undefined {
  const header = req.headers['content-length'];
  if (header === undefined || !/^\d+$/.test(header)) return undefined;
  return Number(header);
}

/**
 * Reads a request body, keeping at most `maxBytes` in memory. A body whose `Content-Length`
 * says it is too large is not read at all; one that grows past the limit while streaming
 * (chunked) stops being read at the chunk that crosses it, and the request is paused.
 *
 * @param req - The incoming request.
 * @param maxBytes - Largest body accepted, in bytes.
 * @returns The body, or why there is none.
 */
export function readRequestBody(req: IncomingMessage, maxBytes: number): Promise<RequestBodyResult> {
  const declared = declaredLength(req);
  if (declared !== undefined && declared > maxBytes) {
    req.pause();
    return Promise.resolve({ kind: 'tooLarge' });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (result: RequestBodyResult): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAborted);
      req.off('close', onAborted);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > maxBytes) {
        chunks.length = 0;
        req.pause();
        finish({ kind: 'tooLarge' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => finish({ kind: 'complete', body: Buffer.concat(chunks) });
    const onAborted = (): void => finish({ kind: 'aborted' });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAborted);
    req.on('close', onAborted);
  });
}
