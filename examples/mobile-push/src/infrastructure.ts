import { CreateTableCommand, DeleteTableCommand, type DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { DeletePlatformApplicationCommand, type SNSClient } from '@aws-sdk/client-sns';
import {
  createApnsTokenPlatformApplication,
  createFcmPlatformApplication,
  type PlatformApplication,
  pushRegistryTableDefinition,
} from '@herald/push-tokens';
import { generateKeyPairSync, randomUUID } from 'node:crypto';

/** What the example runs on. */
export interface PushInfrastructure {
  /** The registry table. */
  readonly tableName: string;
  /** The APNs (sandbox) token-auth application. */
  readonly ios: PlatformApplication;
  /** The FCM application. */
  readonly android: PlatformApplication;
}

/**
 * A signing key like the `.p8` file Apple gives (PKCS#8, EC P-256), made at run time: the
 * example never ships a key. The local endpoint does not check it with Apple.
 */
function generateApnsSigningKey(): string {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** A service-account key file like Firebase gives, with a key made at run time. */
function generateServiceAccountJson(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return JSON.stringify({
    type: 'service_account',
    project_id: 'herald-mobile-push-example',
    private_key_id: randomUUID().replaceAll('-', ''),
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: 'sns-publisher@herald-mobile-push-example.iam.gserviceaccount.com',
  });
}

/** Something created, and how to delete it. */
interface Created {
  readonly name: string;
  readonly remove: () => Promise<unknown>;
}

async function removeAll(created: readonly Created[]): Promise<string[]> {
  const outcomes = await Promise.allSettled(created.map((c) => c.remove()));
  return outcomes.flatMap((outcome, i) => (outcome.status === 'rejected' ? [`${created[i]?.name ?? '?'}: ${String(outcome.reason)}`] : []));
}

const tableDeletion = (dynamodb: DynamoDBClient, name: string): Created => ({
  name,
  remove: () => dynamodb.send(new DeleteTableCommand({ TableName: name })),
});

const applicationDeletion = (sns: SNSClient, application: PlatformApplication): Created => ({
  name: application.arn,
  // Deleting an application deletes its endpoints too.
  remove: () => sns.send(new DeletePlatformApplicationCommand({ PlatformApplicationArn: application.arn })),
});

/**
 * Creates the registry table and the two platform applications. If a step fails, what was
 * already created is deleted before the error is thrown.
 *
 * @param sns - SNS client.
 * @param dynamodb - DynamoDB client.
 * @param prefix - Start of every name, unique per run.
 * @returns The infrastructure.
 */
export async function createInfrastructure(sns: SNSClient, dynamodb: DynamoDBClient, prefix: string): Promise<PushInfrastructure> {
  const created: Created[] = [];
  try {
    const tableName = `${prefix}-registry`;
    await dynamodb.send(new CreateTableCommand(pushRegistryTableDefinition(tableName)));
    created.push(tableDeletion(dynamodb, tableName));
    await waitUntilTableExists({ client: dynamodb, maxWaitTime: 120, minDelay: 1, maxDelay: 5 }, { TableName: tableName });
    const ios = await createApnsTokenPlatformApplication({
      sns,
      name: `${prefix}-ios`,
      signingKey: generateApnsSigningKey(),
      keyId: 'HERALD0001',
      teamId: 'HERALDTEAM',
      bundleId: 'com.example.herald.shop',
      sandbox: true,
    });
    created.push(applicationDeletion(sns, ios));
    const android = await createFcmPlatformApplication({ sns, name: `${prefix}-android`, serviceAccountJson: generateServiceAccountJson() });
    created.push(applicationDeletion(sns, android));
    return { tableName, ios, android };
  } catch (error) {
    const leftovers = await removeAll(created);
    if (leftovers.length > 0) {
      throw new Error(`Setting up failed (${String(error)}), and these could not be deleted: ${leftovers.join('; ')}`, { cause: error });
    }
    throw error;
  }
}

/**
 * Deletes what {@link createInfrastructure} made, every deletion attempted.
 *
 * @returns One line per resource that could not be deleted.
 */
export async function deleteInfrastructure(sns: SNSClient, dynamodb: DynamoDBClient, infra: PushInfrastructure): Promise<string[]> {
  return removeAll([tableDeletion(dynamodb, infra.tableName), applicationDeletion(sns, infra.ios), applicationDeletion(sns, infra.android)]);
}
