/**
 * The queue URL fauxqs stores for a queue: `http://<frontHost>/<account>/<name>`.
 * Any URL whose path is `/<account>/<name>` maps to it, whatever its host (`localhost`,
 * `sqs.us-east-1.localhost`, a real-AWS style host), so hand-built URLs work too.
 *
 * @param queueUrl - The URL a client sent.
 * @param frontHost - `127.0.0.1:<port>` of the front endpoint.
 * @returns The canonical URL, or `undefined` when the URL has no `/<account>/<name>` path.
 */
export function canonicalQueueUrl(queueUrl: string, frontHost: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(queueUrl);
  } catch {
    return undefined;
  }
  const segments = parsed.pathname.split('/').filter((segment) => segment !== '');
  if (segments.length !== 2) return undefined;
  return `http://${frontHost}/${segments[0] ?? ''}/${segments[1] ?? ''}`;
}

/**
 * Rewrites the `QueueUrl` of an SQS JSON request to the canonical form fauxqs looks queues up
 * by (an exact match on the URL). Bodies without a `QueueUrl`, or already canonical, are returned as they are.
 *
 * @param body - The JSON 1.0 request body.
 * @param frontHost - `127.0.0.1:<port>` of the front endpoint.
 * @returns The body to forward.
 */
export function normalizeQueueUrlInBody(body: Buffer, frontHost: string): Buffer {
  if (!body.includes('QueueUrl')) return body;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return body;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return body;
  const record = parsed as Record<string, unknown>;
  const queueUrl = record['QueueUrl'];
  if (typeof queueUrl !== 'string') return body;
  const canonical = canonicalQueueUrl(queueUrl, frontHost);
  if (canonical === undefined || canonical === queueUrl) return body;
  return Buffer.from(JSON.stringify({ ...record, QueueUrl: canonical }), 'utf8');
}
