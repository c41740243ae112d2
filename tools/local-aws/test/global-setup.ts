import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../src/dynamodb-local.js';
import { SHARED_DYNAMODB_ENDPOINT_ENV } from '../src/local-aws.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Endpoint of the DynamoDB Local shared by every integration test of the run. */
    heraldDynamoDbEndpoint: string;
  }
}

/**
 * Vitest global setup for the `integration` project: starts one DynamoDB Local for the whole
 * run (a JVM start costs seconds), hands its endpoint to tests with `inject('heraldDynamoDbEndpoint')`
 * and through `HERALD_DYNAMODB_ENDPOINT` (which `startLocalAws()` picks up by itself), and
 * stops it after the run. Tables are shared, so tests use unique table names.
 *
 * @param project - The vitest project being set up.
 * @returns The teardown.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dynamodb = await startDynamoDbLocal();
  project.provide('heraldDynamoDbEndpoint', dynamodb.endpoint);
  process.env[SHARED_DYNAMODB_ENDPOINT_ENV] = dynamodb.endpoint;
  return async () => {
    await dynamodb.stop();
  };
}
