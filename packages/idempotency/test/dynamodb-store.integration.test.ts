import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalAws, startLocalAws } from '@herald/local-aws';
import {
  createDynamoDbStore,
  type DynamoDbStoreOptions,
  IdempotencyResultNotStorableError,
  IdempotencyStoreError,
  makeIdempotent,
} from '../src/index.js';
import { defineIdempotencySuite, defineSqsHandlerSuite } from './idempotency-suite.js';

let local: LocalAws;
let client: DynamoDBClient;
const clients: DynamoDBClient[] = [];


function makeClient(options: { maxAttempts?: number } = {}): DynamoDBClient {
  const made = new DynamoDBClient({ ...local.clientConfig, ...options });
  clients.push(made);
  return made;
}

/** Every request the client sends, by operation name (from the `X-Amz-Target` header). */
function countRequests(target: DynamoDBClient): Record<string, number> {
  const counts: Record<string, number> = {};
  target.middlewareStack.add(
    (next) => (args) => {
      const headers = (args.request as { headers: Record<string, string> }).headers;
      const operation = (headers['x-amz-target'] ?? '?').split('.').pop() ?? '?';
      counts[operation] = (counts[operation] ?? 0) + 1;
      return next(args);
    },
    { step: 'finalizeRequest', name: 'countRequests' },
  );
  return counts;
}

async function createTable(keyAttr = 'id', ttlAttr = 'expiration'): Promise<string> {
  const tableName = `idempotency-${randomUUID().slice(0, 8)}`;
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: keyAttr, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: keyAttr, KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: ttlAttr, Enabled: true } }),
  );
  return tableName;
}

beforeAll(async () => {
  local = await startLocalAws({ dynamodbEndpoint: inject('heraldDynamoDbEndpoint') });
  client = makeClient();
});

afterAll(async () => {
  for (const made of clients) made.destroy();
  await local.stop();
});

async function freshStore(extra: Partial<DynamoDbStoreOptions> = {}) {
  const tableName = await createTable(extra.keyAttr, extra.ttlAttr);
  const store = createDynamoDbStore({ client, tableName, ...extra });
  return {
    tableName,
    store,
    rawExpiry: async (key: string) => {
      const keyAttr = extra.keyAttr ?? 'id';
      const out = await client.send(new GetItemCommand({ TableName: tableName, Key: { [keyAttr]: { S: key } }, ConsistentRead: true }));
      const value = out.Item?.[extra.ttlAttr ?? 'expiration'];
      if (value === undefined) return { type: 'missing' as const, value: '' };
      if (value.N !== undefined) return { type: 'N' as const, value: value.N };
      return { type: 'S' as const, value: value.S ?? '' };
    },
  };
}

defineIdempotencySuite('the DynamoDB store (DynamoDB Local)', () => freshStore());
defineSqsHandlerSuite('the DynamoDB store (DynamoDB Local)', () => freshStore());

describe('createDynamoDbStore against DynamoDB Local', () => {
  it('costs 2 requests for a first call and 1 for a duplicate (the failed PutItem returns the record)', async () => {
    const tableName = await createTable();
    const counted = makeClient();
    const counts = countRequests(counted);
    const work = makeIdempotent(async (n: number) => n + 1, { store: createDynamoDbStore({ client: counted, tableName }) });
    expect(await work(1)).toBe(2);
    expect(counts).toEqual({ PutItem: 2 });
    expect(await work(1)).toBe(2);
    expect(counts).toEqual({ PutItem: 3 });
  });

  it('falls back to a consistent GetItem when the failed condition returns no item', async () => {
    const tableName = await createTable();
    const counted = makeClient();
    // A DynamoDB-compatible store that ignores ReturnValuesOnConditionCheckFailure.
    counted.middlewareStack.add(
      (next) => (args) => {
        const request = args.request as { body: unknown; headers: Record<string, string> };
        if (typeof request.body === 'string' || request.body instanceof Uint8Array) {
          const text = typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body);
          const parsed = JSON.parse(text) as Record<string, unknown>;
          if ('ReturnValuesOnConditionCheckFailure' in parsed) {
            delete parsed['ReturnValuesOnConditionCheckFailure'];
            const bytes = new TextEncoder().encode(JSON.stringify(parsed));
            request.body = bytes;
            request.headers['content-length'] = String(bytes.length);
          }
        }
        return next(args);
      },
      { step: 'build', name: 'dropReturnValues', priority: 'low' },
    );
    const counts = countRequests(counted);
    let runs = 0;
    const work = makeIdempotent(async (ref: string) => `refund ${ref} #${++runs}`, {
      store: createDynamoDbStore({ client: counted, tableName }),
    });
    expect(await work('p-1')).toBe('refund p-1 #1');
    expect(await work('p-1')).toBe('refund p-1 #1');
    expect(runs).toBe(1);
    expect(counts).toEqual({ PutItem: 3, GetItem: 1 });
  });

  it('uses keyAttr and ttlAttr', async () => {
    const under = await freshStore({ keyAttr: 'pk', ttlAttr: 'ttl' });
    const work = makeIdempotent(async (n: number) => n * 3, { store: under.store, key: (n) => `n-${n}` });
    expect(await work(2)).toBe(6);
    const out = await client.send(new GetItemCommand({ TableName: under.tableName, Key: { pk: { S: 'n-2' } }, ConsistentRead: true }));
    expect(out.Item?.['status']).toEqual({ S: 'COMPLETED' });
    expect(out.Item?.['ttl']?.N).toMatch(/^\d{10}$/);
    expect(out.Item?.['result']).toEqual({ S: '6' });
    expect(await under.rawExpiry('n-2')).toMatchObject({ type: 'N' });
  });

  it('rejects attribute names that collide', () => {
    expect(() => createDynamoDbStore({ client, tableName: 't', keyAttr: 'status' })).toThrow(TypeError);
    expect(() => createDynamoDbStore({ client, tableName: 't', keyAttr: 'k', ttlAttr: 'k' })).toThrow(TypeError);
    expect(() => createDynamoDbStore({ client, tableName: '' })).toThrow(TypeError);
  });

  it('stores the largest result its size check accepts, and refuses one byte more before writing', async () => {
    const under = await freshStore();
    const counted = makeClient();
    const counts = countRequests(counted);
    const store = createDynamoDbStore({ client: counted, tableName: under.tableName });
    // Find the longest string result that passes the check for this key.
    const key = 'edge';
    const sizeOf = (length: number): number =>
      store.recordSize({
        key,
        status: 'COMPLETED',
        expiresAt: 1_800_000_000,
        lockToken: randomUUID(),
        result: JSON.stringify('x'.repeat(length)),
      });
    let length = store.maxRecordBytes - sizeOf(0);
    while (sizeOf(length) > store.maxRecordBytes) length -= 1;
    expect(sizeOf(length)).toBe(store.maxRecordBytes);

    let runs = 0;
    const fits = makeIdempotent(async (_k: string) => (runs++, 'x'.repeat(length)), { store, key: (k) => k });
    expect(await fits(key)).toHaveLength(length);
    expect((await store.get(key))?.status).toBe('COMPLETED');
    expect(await fits(key)).toHaveLength(length);
    expect(runs).toBe(1);

    const before = { ...counts };
    const tooBig = makeIdempotent(async (_k: string) => 'x'.repeat(length + 1), { store, key: (k) => k });
    const error = await tooBig(`${key}2`).catch((e: unknown) => e); // one more key byte too
    expect(error).toBeInstanceOf(IdempotencyResultNotStorableError);
    // The lock was taken and released; the oversized record was never sent.
    expect(counts['PutItem']).toBe((before['PutItem'] ?? 0) + 1);
    expect(counts['DeleteItem']).toBe((before['DeleteItem'] ?? 0) + 1);
    expect(await store.get(`${key}2`)).toBeUndefined();
  });

  it('reports an item that is not an idempotency record as IdempotencyStoreError, not a crash', async () => {
    const under = await freshStore();
    await client.send(new PutItemCommand({ TableName: under.tableName, Item: { id: { S: 'foreign' }, colour: { S: 'blue' } } }));
    const work = makeIdempotent(async (_k: string) => 'ran', { store: under.store, key: (k) => k });
    const error = await work('foreign').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdempotencyStoreError);
    expect((error as Error).message).toContain('not an idempotency record');
  });

  it('wraps a missing table as IdempotencyStoreError with the cause (not retryable), never a raw SDK error', async () => {
    const store = createDynamoDbStore({ client, tableName: `missing-${randomUUID().slice(0, 8)}` });
    const work = makeIdempotent(async (_k: string) => 'ran', { store, key: (k) => k });
    const error = await work('k').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdempotencyStoreError);
    expect(((error as Error).cause as Error).name).toBe('ResourceNotFoundException');
    expect((error as IdempotencyStoreError).retryable).toBe(false);
    expect((error as Error).message).toContain('check the table name');
  });

  it('runs each key once through throttling, 500s and lost responses (SDK retries, caller retries)', async () => {
    const tableName = await createTable();
    const faulty = await startLocalAws({
      dynamodbEndpoint: inject('heraldDynamoDbEndpoint'),
      faults: { seed: 7, throttle: 0.1, serverError: 0.05, resetAfterForward: 0.1, services: ['dynamodb'] },
    });
    const faultyClient = new DynamoDBClient({ ...faulty.clientConfig, maxAttempts: 8 });
    try {
      const runs = new Map<string, number>();
      const work = makeIdempotent(
        async (request: { ref: string }) => {
          runs.set(request.ref, (runs.get(request.ref) ?? 0) + 1);
          return `done ${request.ref}`;
        },
        { store: createDynamoDbStore({ client: faultyClient, tableName }), key: (r) => r.ref, waitForInProgress: { timeoutMs: 5_000, baseMs: 10, capMs: 100 } },
      );
      const callUntilDone = async (ref: string): Promise<string> => {
        for (let attempt = 1; ; attempt += 1) {
          try {
            return await work({ ref });
          } catch (error) {
            if (!(error instanceof Error && 'retryable' in error && error.retryable === true) || attempt >= 10) throw error;
          }
        }
      };
      const refs = Array.from({ length: 40 }, (_, i) => `ref-${i % 20}`); // every ref twice
      const results = await Promise.all(refs.map((ref) => callUntilDone(ref)));
      expect(results).toEqual(refs.map((ref) => `done ${ref}`));
      expect(runs.size).toBe(20);
      for (const [ref, count] of runs) expect({ ref, count }).toEqual({ ref, count: 1 });
      const injected = faulty.faultCounts();
      expect(injected.throttle + injected.serverError + injected.resetAfterForward).toBeGreaterThan(0);
    } finally {
      faultyClient.destroy();
      await faulty.stop();
    }
  });
});
