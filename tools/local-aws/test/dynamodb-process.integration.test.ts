import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { SHARED_DYNAMODB_ENDPOINT_ENV, startLocalAws } from '@herald/local-aws';
import { makeClients } from './sdk-clients.js';

function groupIsRunning(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilGone(pgid: number): Promise<boolean> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (!groupIsRunning(pgid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('DynamoDB Local lifecycle', () => {
  const sharedEndpoint = process.env[SHARED_DYNAMODB_ENDPOINT_ENV];
  afterEach(() => {
    if (sharedEndpoint === undefined) delete process.env[SHARED_DYNAMODB_ENDPOINT_ENV];
    else process.env[SHARED_DYNAMODB_ENDPOINT_ENV] = sharedEndpoint;
  });

  it('reuses the DynamoDB Local of the global setup by default, and leaves it running on stop', async () => {
    const local = await startLocalAws();
    expect(local.dynamodbEndpoint).toBe(inject('heraldDynamoDbEndpoint'));
    expect(local.dynamodbPid).toBeUndefined();
    await local.stop();
    const clients = makeClients(inject('heraldDynamoDbEndpoint'), 1);
    try {
      await expect(clients.dynamodb.send(new ListTablesCommand({}))).resolves.toBeDefined();
    } finally {
      clients.destroy();
    }
  });

  it('starts its own DynamoDB Local when none is shared, and stop() leaves no java process behind', async () => {
    delete process.env[SHARED_DYNAMODB_ENDPOINT_ENV];
    const local = await startLocalAws();
    const pid = local.dynamodbPid;
    expect(pid).toBeTypeOf('number');
    expect(local.dynamodbEndpoint).not.toBe(inject('heraldDynamoDbEndpoint'));
    const clients = makeClients(local.endpoint, 1);
    try {
      await expect(clients.dynamodb.send(new ListTablesCommand({}))).resolves.toMatchObject({ TableNames: [] });
    } finally {
      clients.destroy();
    }
    expect(isRunning(pid ?? -1)).toBe(true);
    await local.stop();
    expect(isRunning(pid ?? -1)).toBe(false);
    expect(groupIsRunning(pid ?? -1)).toBe(false);
    await local.stop();
  });

  it('kills DynamoDB Local when the Node process that started it is killed with SIGKILL', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/dynamodb-child.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const { pid } = JSON.parse(line) as { pid: number };
    expect(groupIsRunning(pid)).toBe(true);
    child.kill('SIGKILL');
    expect(await waitUntilGone(pid)).toBe(true);
  });
});
