import { SNSClient } from '@aws-sdk/client-sns';
import type { Logger } from '@herald/core';
import { createSnsPublisher } from '@herald/sns-batch';
import { describe, expect, it } from 'vitest';

const topicArn = 'arn:aws:sns:us-east-1:000000000000:t';

function recordingLogger(): { logger: Logger; warnings: string[] } {
  const warnings: string[] = [];
  const ignore = (): void => undefined;
  return { warnings, logger: { debug: ignore, info: ignore, error: ignore, warn: (message) => warnings.push(message) } };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('a client that retries by itself', () => {
  it('warns once when the SNSClient has the SDK default maxAttempts', async () => {
    const { logger, warnings } = recordingLogger();
    const client = new SNSClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    createSnsPublisher({ client, topicArn, logger });
    await settle();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('maxAttempts 3');
    expect(warnings[0]).toContain('maxAttempts: 1');
    client.destroy();
  });

  it('stays quiet for a client made with maxAttempts: 1, and for a client without config', async () => {
    const { logger, warnings } = recordingLogger();
    const client = new SNSClient({ region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    createSnsPublisher({ client, topicArn, logger });
    createSnsPublisher({ client: { send: async () => ({ $metadata: {} }) }, topicArn, logger });
    await settle();
    expect(warnings).toEqual([]);
    client.destroy();
  });

  // Nothing to assert but survival: vitest fails the run on an unhandled rejection.
  it('survives a config provider that throws and a logger that throws', async () => {
    const client = { send: async () => ({ $metadata: {} }), config: { maxAttempts: () => { throw new Error('boom'); } } };
    const throwing: Logger = { debug: () => undefined, info: () => undefined, error: () => undefined, warn: () => { throw new Error('log'); } };
    const retrying = { ...client, config: { maxAttempts: async () => 4 } };
    createSnsPublisher({ client, topicArn, logger: throwing });
    createSnsPublisher({ client: retrying, topicArn, logger: throwing });
    await settle();
  });
});
