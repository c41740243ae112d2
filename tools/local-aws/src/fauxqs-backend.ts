import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildApp, type BuildAppOptions } from 'fauxqs';
import type { LocalResponse } from './local-response.js';
import { overrideSnsFilterPolicies, type FilterPolicyMatcher, type OverridableSnsStore } from './sns-filter-override.js';

/** The in-process SNS/SQS emulator (fauxqs 1.9.2), reached without a socket. */
export interface FauxqsBackend {
  /**
   * Hands one request to fauxqs and returns its complete answer.
   *
   * @param headers - Request headers (the `host` header is replaced, see {@link createFauxqsBackend}).
   * @param body - Request body.
   */
  handle(headers: Readonly<Record<string, string>>, body: Buffer): Promise<LocalResponse>;
  /** Closes fauxqs (ends pending long polls). */
  close(): Promise<void>;
}

type FauxqsStores = NonNullable<BuildAppOptions['stores']>;

interface StoreModules {
  readonly SqsStore: new () => FauxqsStores['sqsStore'];
  readonly SnsStore: new () => FauxqsStores['snsStore'];
  readonly S3Store: new () => FauxqsStores['s3Store'];
}

function fauxqsDistDirectory(): string {
  const require = createRequire(import.meta.url);
  for (const base of require.resolve.paths('fauxqs') ?? []) {
    const candidate = join(base, 'fauxqs', 'dist');
    if (existsSync(join(candidate, 'app.js'))) return candidate;
  }
  throw new Error('fauxqs is not installed next to @herald/local-aws; run pnpm install.');
}

/**
 * fauxqs's package exports only `buildApp`/`startFauxqs`, and its default SqsStore builds
 * queue URLs as `http://sqs.<region>.localhost:<port>/...`, a host that does not resolve here.
 * We construct the stores ourselves (from fauxqs's own files) so we can clear that host:
 * queue URLs are then built from the request's Host header, which we pin to the front endpoint.
 */
async function loadStores(): Promise<StoreModules> {
  const dist = fauxqsDistDirectory();
  const load = async (file: string): Promise<Record<string, unknown>> =>
    (await import(pathToFileURL(join(dist, file)).href)) as Record<string, unknown>;
  const [sqs, sns, s3] = await Promise.all([
    load('sqs/sqsStore.js'),
    load('sns/snsStore.js'),
    load('s3/s3Store.js'),
  ]);
  return {
    SqsStore: sqs['SqsStore'] as StoreModules['SqsStore'],
    SnsStore: sns['SnsStore'] as StoreModules['SnsStore'],
    S3Store: s3['S3Store'] as StoreModules['S3Store'],
  };
}

/**
 * Creates fauxqs's Fastify app without binding a port; requests are injected in process.
 * Every request is given `Host: <frontHost>`, so every queue URL fauxqs makes is
 * `http://<frontHost>/000000000000/<name>` and points back at the front endpoint.
 *
 * @param frontHost - `127.0.0.1:<port>` of the front endpoint.
 * @param filterPolicyMatcher - When given, decides SNS filter-policy delivery instead of
 *   fauxqs's own evaluator (see {@link overrideSnsFilterPolicies}).
 * @returns The backend.
 */
export async function createFauxqsBackend(frontHost: string, filterPolicyMatcher?: FilterPolicyMatcher): Promise<FauxqsBackend> {
  const modules = await loadStores();
  const sqsStore = new modules.SqsStore();
  sqsStore.host = '';
  const snsStore = new modules.SnsStore();
  if (filterPolicyMatcher !== undefined) {
    overrideSnsFilterPolicies(snsStore as unknown as OverridableSnsStore, filterPolicyMatcher, (error) => {
      process.stderr.write(
        `local-aws: the filterPolicyMatcher threw, so the message was delivered (as fauxqs does with a policy it cannot read): ${error instanceof Error ? error.message : String(error)}\n`,
      );
    });
  }
  const app = buildApp({
    logger: false,
    stores: { sqsStore, snsStore, s3Store: new modules.S3Store() },
  });
  await app.ready();
  return {
    async handle(headers, body) {
      const response = await app.inject({
        method: 'POST',
        url: '/',
        headers: { ...headers, host: frontHost },
        payload: body,
      });
      const responseHeaders: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        if (value === undefined) continue;
        responseHeaders[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
      }
      return { statusCode: response.statusCode, headers: responseHeaders, body: response.rawPayload };
    },
    async close() {
      await app.close();
    },
  };
}
