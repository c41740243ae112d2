import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListPlatformApplicationsCommand, SNSClient } from '@aws-sdk/client-sns';
import { startLocalAws } from '@herald/local-aws';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runMobilePush } from '../src/mobile-push-workflow.js';
import { localPushServiceControl } from '../src/push-service-control.js';

let local: Awaited<ReturnType<typeof startLocalAws>>;
let sns: SNSClient;
let dynamodb: DynamoDBClient;

beforeAll(async () => {
  local = await startLocalAws({ dynamodbEndpoint: inject('heraldDynamoDbEndpoint') });
  sns = new SNSClient(local.clientConfig);
  dynamodb = new DynamoDBClient(local.clientConfig);
});

afterAll(async () => {
  sns?.destroy();
  dynamodb?.destroy();
  await local?.stop();
});

describe('mobile push example', () => {
  it('runs the story: nothing misdirected, the rejected token disabled then swept, everything cleaned up', async () => {
    const prefix = `herald-push-test-${Date.now().toString(36)}`;
    const report = await runMobilePush({ sns, dynamodb, pushService: localPushServiceControl(local.endpoint), prefix });

    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.misdirected).toEqual([]);
    expect(report.delivered).toBe(10);
    expect(report.expectedDelivered).toBe(10);
    expect(report.rejected).toBe(1);
    expect(report.sweep.deleted).toBe(1);

    const devices = Object.fromEntries(report.users.map((u) => [u.userId, u.devices.map((d) => [d.handset, d.endpoint, d.status, ...d.rounds, d.afterSweep])]));
    expect(devices).toEqual({
      alice: [
        ["alice's iPhone", 'enabled', 'active', 'sent', 'sent', 'kept'],
        ["alice's tablet", 'enabled', 'active', 'sent', 'sent', 'kept'],
      ],
      bob: [["bob's Pixel", 'enabled', 'active', 'sent', 'sent', 'kept']],
      carol: [],
      dave: [
        ["dave's iPhone", 'enabled', 'active', 'sent', 'sent', 'kept'],
        ["dave's old iPhone", 'disabled', 'inactive', 'sent, refused by APNs/FCM', 'endpoint disabled', 'deleted'],
      ],
      erin: [["carol's iPhone", 'enabled', 'active', 'sent', 'sent', 'kept']],
    });

    // The platform applications (and so their endpoints) and the table are gone.
    const apps = await sns.send(new ListPlatformApplicationsCommand({}));
    expect((apps.PlatformApplications ?? []).filter((a) => (a.PlatformApplicationArn ?? '').includes(prefix))).toEqual([]);
    const tables = await dynamodb.send(new ListTablesCommand({}));
    expect((tables.TableNames ?? []).filter((t) => t.startsWith(prefix))).toEqual([]);
  });
});
