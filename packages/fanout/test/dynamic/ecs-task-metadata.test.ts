import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EcsMetadataRequestError, EcsMetadataUnavailableError, readEcsTaskIdentity } from '../../src/dynamic/index.js';

let server: Server | undefined;
const requests: string[] = [];

/** A task metadata endpoint on 127.0.0.1 answering `/v4/<id>/task` with `answer`. */
async function metadataEndpoint(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    answer(req, res);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}/v4/0123456789abcdef0123456789abcdef-1234567890`;
}

afterEach(async () => {
  requests.length = 0;
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** The shape of the task metadata endpoint v4's `/task` answer (fields Herald does not read trimmed). */
const taskMetadata = {
  Cluster: 'arn:aws:ecs:us-west-2:111122223333:cluster/default',
  TaskARN: 'arn:aws:ecs:us-west-2:111122223333:task/default/158d1c8083dd49d6b527399fd6414f5c',
  Family: 'curltest',
  Revision: '26',
  DesiredStatus: 'RUNNING',
  KnownStatus: 'RUNNING',
  AvailabilityZone: 'us-west-2d',
  LaunchType: 'EC2',
};

describe('readEcsTaskIdentity', () => {
  it('reads the task id from ${ECS_CONTAINER_METADATA_URI_V4}/task', async () => {
    const base = await metadataEndpoint((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(taskMetadata));
    });
    const identity = await readEcsTaskIdentity({ env: { ECS_CONTAINER_METADATA_URI_V4: base } });
    expect(identity).toEqual({
      taskId: '158d1c8083dd49d6b527399fd6414f5c',
      taskArn: taskMetadata.TaskARN,
      cluster: taskMetadata.Cluster,
    });
    expect(requests).toEqual([`${new URL(base).pathname}/task`]);
  });

  it('says the endpoint is unavailable when the variable is not set', async () => {
    await expect(readEcsTaskIdentity({ env: {} })).rejects.toBeInstanceOf(EcsMetadataUnavailableError);
    await expect(readEcsTaskIdentity({ env: { ECS_CONTAINER_METADATA_URI_V4: ' ' } })).rejects.toMatchObject({
      code: 'EcsMetadataUnavailable',
      retryable: false,
    });
  });

  it('reports HTTP errors, retryable for 5xx only', async () => {
    let status = 503;
    const base = await metadataEndpoint((_req, res) => {
      res.writeHead(status);
      res.end('unavailable');
    });
    const env = { ECS_CONTAINER_METADATA_URI_V4: base };
    await expect(readEcsTaskIdentity({ env })).rejects.toMatchObject({ code: 'EcsMetadataRequestFailed', retryable: true, message: /HTTP 503/ });
    status = 404;
    await expect(readEcsTaskIdentity({ env })).rejects.toMatchObject({ retryable: false, message: /HTTP 404/ });
  });

  it('reports an answer that is not JSON or has no task ARN, not retryable', async () => {
    let body = 'not json';
    const base = await metadataEndpoint((_req, res) => {
      res.writeHead(200);
      res.end(body);
    });
    const env = { ECS_CONTAINER_METADATA_URI_V4: base };
    await expect(readEcsTaskIdentity({ env })).rejects.toMatchObject({ retryable: false, message: /not JSON/ });
    body = JSON.stringify({ ...taskMetadata, TaskARN: undefined });
    await expect(readEcsTaskIdentity({ env })).rejects.toMatchObject({ retryable: false, message: /without a task ARN/ });
    body = JSON.stringify({ ...taskMetadata, TaskARN: 'arn:aws:ecs:us-west-2:111122223333:cluster/default' });
    await expect(readEcsTaskIdentity({ env })).rejects.toBeInstanceOf(EcsMetadataRequestError);
  });

  it('times out on an endpoint that does not answer, and reports an unreachable one; both retryable', async () => {
    const base = await metadataEndpoint(() => {
      // never answers
    });
    await expect(readEcsTaskIdentity({ env: { ECS_CONTAINER_METADATA_URI_V4: base }, timeoutMs: 100 })).rejects.toMatchObject({
      retryable: true,
      message: /did not answer within 100 ms/,
    });
    const closed = `http://127.0.0.1:${(server?.address() as AddressInfo).port}`;
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;
    await expect(readEcsTaskIdentity({ env: { ECS_CONTAINER_METADATA_URI_V4: closed } })).rejects.toMatchObject({
      retryable: true,
      message: /could not be reached/,
    });
  });
});
