import { CreateTableCommand, DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { ListEndpointsByPlatformApplicationCommand, SNSClient } from '@aws-sdk/client-sns';
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import type { LocalAws } from '@herald/local-aws';
import { pushRegistryTableDefinition } from '../src/index.js';


/** SNS and DynamoDB clients on a local endpoint, with every SNS request counted by action. */
export interface TestClients {
  /** SNS client (`maxAttempts: 1`, so counts are exact). */
  readonly sns: SNSClient;
  /** DynamoDB client. */
  readonly dynamodb: DynamoDBClient;
  /** SNS requests sent so far, by action. */
  readonly snsCalls: Record<string, number>;
  /** DynamoDB requests sent so far, by operation. */
  readonly dynamodbCalls: Record<string, number>;
  /** Forgets the counts. */
  resetCounts(): void;
  /** Destroys both clients. */
  destroy(): void;
}

/**
 * Makes real SDK clients for a local endpoint and counts their requests.
 *
 * @param local - The running local-aws.
 * @returns The clients.
 */
export function makeTestClients(local: LocalAws): TestClients {
  const sns = new SNSClient({ ...local.clientConfig, maxAttempts: 1 });
  const dynamodb = new DynamoDBClient(local.clientConfig);
  const snsCalls: Record<string, number> = {};
  const dynamodbCalls: Record<string, number> = {};
  sns.middlewareStack.add(
    (next) => (args) => {
      const body = (args.request as { body?: unknown }).body;
      const action = typeof body === 'string' ? (new URLSearchParams(body).get('Action') ?? '?') : '?';
      snsCalls[action] = (snsCalls[action] ?? 0) + 1;
      return next(args);
    },
    { step: 'finalizeRequest', name: 'countSnsRequests' },
  );
  dynamodb.middlewareStack.add(
    (next) => (args) => {
      const headers = (args.request as { headers: Record<string, string> }).headers;
      const operation = (headers['x-amz-target'] ?? '?').split('.').pop() ?? '?';
      dynamodbCalls[operation] = (dynamodbCalls[operation] ?? 0) + 1;
      return next(args);
    },
    { step: 'finalizeRequest', name: 'countDynamoDbRequests' },
  );
  return {
    sns,
    dynamodb,
    snsCalls,
    dynamodbCalls,
    resetCounts() {
      for (const key of Object.keys(snsCalls)) delete snsCalls[key];
      for (const key of Object.keys(dynamodbCalls)) delete dynamodbCalls[key];
    },
    destroy() {
      sns.destroy();
      dynamodb.destroy();
    },
  };
}

/** @returns A fresh registry table (unique name). */
export async function createRegistryTable(dynamodb: DynamoDBClient): Promise<string> {
  const tableName = `push-registry-${randomUUID().slice(0, 8)}`;
  await dynamodb.send(new CreateTableCommand(pushRegistryTableDefinition(tableName)));
  return tableName;
}

/** @returns Every item of a table. */
export async function scanTable(dynamodb: DynamoDBClient, tableName: string): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const out = await dynamodb.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

/** @returns Every endpoint of an application with its attributes. */
export async function listEndpoints(sns: SNSClient, applicationArn: string): Promise<{ arn: string; attributes: Record<string, string> }[]> {
  const endpoints: { arn: string; attributes: Record<string, string> }[] = [];
  let nextToken: string | undefined;
  do {
    const out = await sns.send(
      new ListEndpointsByPlatformApplicationCommand({ PlatformApplicationArn: applicationArn, ...(nextToken ? { NextToken: nextToken } : {}) }),
    );
    for (const endpoint of out.Endpoints ?? []) endpoints.push({ arn: endpoint.EndpointArn ?? '', attributes: endpoint.Attributes ?? {} });
    nextToken = out.NextToken;
  } while (nextToken !== undefined);
  return endpoints;
}

/** @returns A PKCS#8 EC P-256 private key in PEM, made now (never committed). */
export function generateSigningKey(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** @returns A Google-style service-account key file, with a key made now. */
export function generateServiceAccountJson(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return JSON.stringify({
    type: 'service_account',
    project_id: 'herald-test',
    private_key_id: randomUUID().replaceAll('-', ''),
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: 'sns@herald-test.iam.gserviceaccount.com',
    client_id: '1234567890',
  });
}

/** @returns A fake APNs token (64 hex digits). */
export function apnsToken(): string {
  return createHash('sha256').update(randomUUID()).digest('hex');
}

/** @returns A fake FCM registration token. */
export function fcmToken(): string {
  return `${randomUUID().replaceAll('-', '')}:APA91b${createHash('sha512').update(randomUUID()).digest('base64url')}`;
}

/** @returns A unique name with a prefix. */
export function unique(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
