import type { SQSClient } from '@aws-sdk/client-sqs';

/** SQS's hosts that name the region: `sqs.<region>.amazonaws.com`, `sqs-fips.…`, `sqs.<region>.api.aws`, China's `.com.cn`. */
const REGIONAL_HOST = /^sqs(?:-fips)?\.([a-z0-9-]+)\.(?:amazonaws\.com(?:\.cn)?|api\.aws)$/;
/** SQS's legacy hosts: `<region>.queue.amazonaws.com`, and `queue.amazonaws.com` for us-east-1. */
const LEGACY_HOST = /^(?:([a-z0-9-]+)\.)?queue\.amazonaws\.com(?:\.cn)?$/;
/** A queue name as SQS allows it: 1–80 of `[A-Za-z0-9_-]`, FIFO queues ending in `.fifo`. */
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}(?:\.fifo)?$/;
const ACCOUNT = /^\d{12}$/;

/** The ARN partition of a region: `aws-cn` for China, `aws-us-gov` for GovCloud, … */
function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  return 'aws';
}

/**
 * The ARN of the queue a queue URL names, without asking SQS (for a queue that no longer exists):
 * `https://sqs.<region>.amazonaws.com/<account>/<name>` → `arn:aws:sqs:<region>:<account>:<name>`.
 * The region comes from SQS's own hosts (regional, FIPS, dual-stack, China, legacy
 * `queue.amazonaws.com`); for any other host (a local endpoint such as
 * `http://127.0.0.1:4566/<account>/<name>`) it is `fallbackRegion`, the SQS client's.
 *
 * @param queueUrl - The queue URL.
 * @param fallbackRegion - The region for hosts that do not name one.
 * @returns The ARN, or `undefined` when the URL's path is not `/<12-digit account>/<queue name>`
 *   or no region is known.
 * @internal
 */
export function queueArnFromUrl(queueUrl: string, fallbackRegion: string | undefined): string | undefined {
  let url: URL;
  try {
    url = new URL(queueUrl);
  } catch {
    return undefined;
  }
  const segments = url.pathname.split('/').filter((segment) => segment !== '');
  const [account, name] = segments;
  if (segments.length !== 2 || account === undefined || name === undefined || !ACCOUNT.test(account) || !QUEUE_NAME.test(name)) {
    return undefined;
  }
  const host = url.hostname.toLowerCase();
  const regional = REGIONAL_HOST.exec(host);
  const legacy = regional === null ? LEGACY_HOST.exec(host) : null;
  const region = regional?.[1] ?? (legacy === null ? fallbackRegion : (legacy[1] ?? 'us-east-1'));
  if (region === undefined || region === '') return undefined;
  return `arn:${partitionOf(region)}:sqs:${region}:${account}:${name}`;
}

/**
 * The region an SQS client is configured for (the SDK resolves `region` to a provider), or
 * `undefined` when it has none.
 *
 * @param sqs - The SQS client.
 * @returns Its region.
 * @internal
 */
export async function sqsClientRegion(sqs: SQSClient): Promise<string | undefined> {
  try {
    const region: unknown = (sqs as { config?: { region?: unknown } }).config?.region;
    const value: unknown = typeof region === 'function' ? await (region as () => unknown)() : region;
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    // The SDK's provider throws when no region is configured.
    return undefined;
  }
}
