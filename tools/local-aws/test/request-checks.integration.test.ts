import { CreateTableCommand, GetItemCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, PublishCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ListQueuesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LocalAwsConfigError, startLocalAws, type LocalAws } from '@herald/local-aws';
import { routeRequest } from '../src/aws-service.js';
import { makeClients, outgoingBodyBytes, rewriteRequests, type SdkClients } from './sdk-clients.js';

const SMALL_LIMIT = 100_000;

let local: LocalAws;
let small: LocalAws;
let clients: SdkClients;

beforeAll(async () => {
  local = await startLocalAws({ dynamodbEndpoint: inject('heraldDynamoDbEndpoint') });
  small = await startLocalAws({ dynamodb: false, maxBodyBytes: SMALL_LIMIT });
  clients = makeClients(local.endpoint, 1);
});

afterAll(async () => {
  clients.destroy();
  await Promise.all([local.stop(), small.stop()]);
});

const unique = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

describe('request body size limit', () => {
  it('answers a body one byte over maxBodyBytes with 413 in the service error shape; one at the limit passes', async () => {
    const smallClients = makeClients(small.endpoint, 3);
    const sentBytes: number[] = [];
    rewriteRequests(smallClients.sqs, (outgoing) => {
      sentBytes.push(outgoingBodyBytes(outgoing.body)?.length ?? -1);
    });
    try {
      const url = (await smallClients.sqs.send(new CreateQueueCommand({ QueueName: unique('limit') }))).QueueUrl ?? '';
      await smallClients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'probe' }));
      const overhead = (sentBytes.at(-1) ?? 0) - 'probe'.length;
      const send = (totalBytes: number): Promise<unknown> =>
        smallClients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x'.repeat(totalBytes - overhead) }));

      await expect(send(SMALL_LIMIT + 1)).rejects.toMatchObject({
        name: 'RequestEntityTooLarge',
        message: expect.stringContaining(`maxBodyBytes = ${SMALL_LIMIT}`) as unknown,
        $metadata: { httpStatusCode: 413, attempts: 1 },
      });
      expect(sentBytes.at(-1)).toBe(SMALL_LIMIT + 1);
      await expect(send(SMALL_LIMIT)).resolves.toMatchObject({ MessageId: expect.any(String) as unknown });
      expect(sentBytes.at(-1)).toBe(SMALL_LIMIT);
    } finally {
      smallClients.destroy();
    }
  });

  it('applies 8 MiB by default, to SNS in its awsQuery shape too, and the client keeps working', async () => {
    const topicArn = (await clients.sns.send(new CreateTopicCommand({ Name: unique('big') }))).TopicArn ?? '';
    const url = (await clients.sqs.send(new CreateQueueCommand({ QueueName: unique('big') }))).QueueUrl ?? '';
    const justOver = 'x'.repeat(8 * 1024 * 1024);
    await expect(clients.sns.send(new PublishCommand({ TopicArn: topicArn, Message: justOver }))).rejects.toMatchObject({
      name: 'RequestEntityTooLarge',
      $metadata: { httpStatusCode: 413 },
    });
    await expect(clients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: justOver }))).rejects.toMatchObject({
      name: 'RequestEntityTooLarge',
      $metadata: { httpStatusCode: 413 },
    });
    await expect(clients.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'small' }))).resolves.toBeDefined();
  });

  it('stops reading a streamed body at the limit, answers 413 and closes the connection', async () => {
    const total = 64 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let written = 0;
    const req = request(small.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' },
    });
    // The server resets the connection a moment after its answer, while this client may still be writing.
    req.on('error', () => undefined);
    const serverClosed = new Promise<void>((resolve) => req.once('socket', (socket) => socket.once('end', resolve)));
    const pump = (): void => {
      while (written < total) {
        written += chunk.length;
        if (!req.write(chunk)) return;
      }
      req.end();
    };
    req.on('drain', pump);
    const responded = once(req, 'response') as Promise<[import('node:http').IncomingMessage]>;
    pump();
    const [res] = await responded;
    req.off('drain', pump);
    const chunks: Buffer[] = [];
    for await (const part of res) chunks.push(part as Buffer);
    expect(res.statusCode).toBe(413);
    expect(JSON.parse(Buffer.concat(chunks).toString('utf8'))).toMatchObject({
      __type: 'com.amazonaws.sqs#RequestEntityTooLarge',
    });
    // The server stopped reading: the client could not get its whole body out.
    expect(written).toBeLessThan(total);
    // ...and closed the connection after its answer.
    await serverClosed;
    req.destroy();
  });

  it('rejects a maxBodyBytes that is not a whole number above 0', async () => {
    await expect(startLocalAws({ dynamodb: false, maxBodyBytes: 0 })).rejects.toBeInstanceOf(LocalAwsConfigError);
    await expect(startLocalAws({ dynamodb: false, maxBodyBytes: 1.5 })).rejects.toThrow(/maxBodyBytes/);
  });
});

describe('Content-Type', () => {
  it('recognises an SNS form body whatever the case of its media type, with parameters', async () => {
    const odd = makeClients(local.endpoint, 1);
    rewriteRequests(odd.sns, (outgoing) => {
      for (const name of Object.keys(outgoing.headers)) {
        if (name.toLowerCase() === 'content-type') delete outgoing.headers[name];
      }
      outgoing.headers['Content-Type'] = 'Application/X-WWW-Form-Urlencoded; charset=utf-8';
    });
    try {
      const topicArn = (await odd.sns.send(new CreateTopicCommand({ Name: unique('case') }))).TopicArn;
      expect(topicArn).toMatch(/^arn:aws:sns:us-east-1:\d+:case-/);
      await expect(odd.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'm' }))).resolves.toMatchObject({
        MessageId: expect.any(String) as unknown,
      });
    } finally {
      odd.destroy();
    }
    const form = Buffer.from('Action=Publish&TopicArn=t', 'utf8');
    expect(routeRequest(undefined, 'APPLICATION/X-WWW-FORM-URLENCODED', form)).toEqual({ service: 'sns', action: 'Publish' });
    expect(routeRequest(undefined, ' application/x-www-form-urlencoded ; charset=UTF-8', form)).toEqual({
      service: 'sns',
      action: 'Publish',
    });
    expect(routeRequest(undefined, 'text/plain; note=application/x-www-form-urlencoded', form)).toBeUndefined();
  });
});

describe('JSON bodies that are not a JSON object', () => {
  const malformed: [string, (outgoing: { body: unknown }) => void][] = [
    ['truncated JSON', (outgoing) => (outgoing.body = '{"QueueNamePrefix": ')],
    ['gzip', (outgoing) => (outgoing.body = gzipSync(outgoingBodyBytes(outgoing.body) ?? new Uint8Array()))],
    ['JSON null', (outgoing) => (outgoing.body = 'null')],
  ];

  it.each(malformed)('answers SQS and DynamoDB a %s body with 400 SerializationException, not retried', async (_label, spoil) => {
    const spoiled = makeClients(local.endpoint, 3);
    rewriteRequests(spoiled.sqs, spoil);
    rewriteRequests(spoiled.dynamodb, spoil);
    try {
      await expect(spoiled.sqs.send(new ListQueuesCommand({}))).rejects.toMatchObject({
        name: 'SerializationException',
        message: expect.stringContaining('must be a JSON object') as unknown,
        $metadata: { httpStatusCode: 400, attempts: 1 },
      });
      await expect(spoiled.dynamodb.send(new ListTablesCommand({}))).rejects.toMatchObject({
        name: 'SerializationException',
        $metadata: { httpStatusCode: 400, attempts: 1 },
      });
    } finally {
      spoiled.destroy();
    }
  });

  it('still forwards well-formed JSON to both services', async () => {
    const table = unique('json');
    await clients.dynamodb.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    await expect(clients.dynamodb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' } } }))).resolves.toMatchObject({
      $metadata: { httpStatusCode: 200 },
    });
    await expect(clients.sqs.send(new ListQueuesCommand({}))).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
  });
});
