import { EcsMetadataRequestError, EcsMetadataUnavailableError } from './dynamic-subscription-errors.js';
import { taskIdFromArn } from './ecs-task-state-change.js';

/** The environment variable ECS sets to the task metadata endpoint (version 4). */
export const ECS_METADATA_ENV = 'ECS_CONTAINER_METADATA_URI_V4';

/** Who this container's task is, from the ECS task metadata endpoint. */
export interface EcsTaskIdentity {
  /** The task id: what the task's queue is named after. */
  readonly taskId: string;
  /** The task's ARN. */
  readonly taskArn: string;
  /** The cluster (name or ARN, as the endpoint reports it), when reported. */
  readonly cluster: string | undefined;
}

/** Options of {@link readEcsTaskIdentity}. */
export interface ReadEcsTaskIdentityOptions {
  /** Where to read `ECS_CONTAINER_METADATA_URI_V4`. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** The `fetch` to use. Default the global `fetch`. */
  readonly fetch?: typeof fetch | undefined;
  /** How long to wait for the endpoint, in ms. Default 2,000. */
  readonly timeoutMs?: number | undefined;
  /** Aborts the request. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Reads this container's task id from the ECS task metadata endpoint: `GET
 * ${ECS_CONTAINER_METADATA_URI_V4}/task`, whose `TaskARN` ends in the task id. The container
 * side of dynamic subscriptions: with the id, `queueForTask` finds the task's queue.
 *
 * @param options - Environment, `fetch`, timeout and abort signal (all optional).
 * @returns The task id, its ARN and the cluster.
 * @throws {@link EcsMetadataUnavailableError} when `ECS_CONTAINER_METADATA_URI_V4` is not set (not in ECS).
 * @throws {@link EcsMetadataRequestError} when the endpoint fails, times out, answers an HTTP
 * error or an answer without a task ARN (`retryable` for network errors, timeouts and 5xx).
 *
 * @example
 * ```ts
 * const { taskId } = await readEcsTaskIdentity();
 * const queue = await subscriptions.queueForTask(taskId, { waitMs: 60_000 });
 * ```
 */
export async function readEcsTaskIdentity(options: ReadEcsTaskIdentityOptions = {}): Promise<EcsTaskIdentity> {
  const env = options.env ?? process.env;
  const base = env[ECS_METADATA_ENV];
  if (base === undefined || base.trim() === '') throw new EcsMetadataUnavailableError();
  const url = `${base.replace(/\/+$/, '')}/task`;
  const timeoutMs = options.timeoutMs ?? 2_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new RangeError(`readEcsTaskIdentity: timeoutMs must be a positive number of milliseconds, got ${timeoutMs}.`);
  }
  const doFetch = options.fetch ?? fetch;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);

  let response: Response;
  let text: string;
  try {
    response = await doFetch(url, { signal });
    text = await response.text();
  } catch (error) {
    if (options.signal?.aborted === true) throw options.signal.reason;
    const timedOut = timeout.aborted;
    throw new EcsMetadataRequestError(url, timedOut ? `did not answer within ${timeoutMs} ms` : 'could not be reached', {
      retryable: true,
      cause: error,
    });
  }
  if (!response.ok) {
    throw new EcsMetadataRequestError(url, `answered HTTP ${response.status}`, { retryable: response.status >= 500 });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new EcsMetadataRequestError(url, 'answered something that is not JSON', { retryable: false, cause: error });
  }
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const taskArn = fields['TaskARN'];
  let taskId: string;
  try {
    taskId = typeof taskArn === 'string' && taskArn.startsWith('arn:') ? taskIdFromArn(taskArn) : '';
  } catch {
    taskId = '';
  }
  if (taskId === '') {
    throw new EcsMetadataRequestError(url, `answered without a task ARN (TaskARN: ${JSON.stringify(taskArn ?? null)})`, {
      retryable: false,
    });
  }
  const cluster = fields['Cluster'];
  return { taskId, taskArn: taskArn as string, cluster: typeof cluster === 'string' ? cluster : undefined };
}
