import { type DynamoDBClient, ScanCommand, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';

/** An account as stored after the run. */
export interface StoredAccount {
  readonly accountId: string;
  readonly balanceCents: number;
  /** The payment references credited to it, in the order they were applied. */
  readonly appliedRefunds: readonly string[];
}

/** Reads every account of the table (a strongly consistent Scan, all pages). */
export async function readAccounts(dynamodb: DynamoDBClient, accountsTable: string): Promise<StoredAccount[]> {
  const accounts: StoredAccount[] = [];
  let startKey: ScanCommandOutput['LastEvaluatedKey'];
  do {
    const page = await dynamodb.send(
      new ScanCommand({ TableName: accountsTable, ConsistentRead: true, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }),
    );
    for (const item of page.Items ?? []) {
      const accountId = item['accountId']?.S;
      if (accountId === undefined) continue;
      accounts.push({
        accountId,
        balanceCents: Number(item['balanceCents']?.N ?? Number.NaN),
        appliedRefunds: (item['appliedRefunds']?.L ?? []).map((value) => value.S ?? '?'),
      });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return accounts.sort((a, b) => a.accountId.localeCompare(b.accountId));
}
