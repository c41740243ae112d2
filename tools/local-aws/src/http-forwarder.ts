import { Agent, request } from 'node:http';
import type { LocalResponse } from './local-response.js';

/** Sends requests to an HTTP backend (DynamoDB Local) over kept-alive connections. */
export interface HttpForwarder {
  /**
   * Sends one POST to the backend and buffers its answer.
   *
   * @param headers - Request headers (hop-by-hop headers already removed).
   * @param body - Request body.
   */
  forward(headers: Readonly<Record<string, string>>, body: Buffer): Promise<LocalResponse>;
  /** Closes the pooled connections. */
  close(): void;
}

/**
 * Creates a forwarder to `endpoint`.
 *
 * @param endpoint - Base URL of the backend, e.g. `http://127.0.0.1:8000`.
 * @returns The forwarder.
 */
export function createHttpForwarder(endpoint: string): HttpForwarder {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const target = new URL(endpoint);
  return {
    forward(headers, body) {
      return new Promise((resolve, reject) => {
        const req = request(
          {
            protocol: target.protocol,
            hostname: target.hostname,
            port: target.port,
            path: '/',
            method: 'POST',
            agent,
            headers: { ...headers, 'content-length': String(body.length) },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('error', reject);
            res.on('end', () => {
              const responseHeaders: Record<string, string> = {};
              for (const [name, value] of Object.entries(res.headers)) {
                if (value === undefined) continue;
                responseHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
              }
              resolve({ statusCode: res.statusCode ?? 502, headers: responseHeaders, body: Buffer.concat(chunks) });
            });
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    },
    close() {
      agent.destroy();
    },
  };
}
