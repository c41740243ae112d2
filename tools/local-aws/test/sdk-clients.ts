import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';

/** Dummy credentials: local-aws never checks signatures. */
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** SDK clients pointed at one local endpoint. */
export interface SdkClients {
  /** SNS client. */
  readonly sns: SNSClient;
  /** SQS client. */
  readonly sqs: SQSClient;
  /** DynamoDB client. */
  readonly dynamodb: DynamoDBClient;
  /** Destroys all three. */
  destroy(): void;
}

/**
 * Makes real SDK v3 clients with `endpoint` set explicitly (see the QueueUrl pitfall).
 *
 * @param endpoint - The local endpoint.
 * @param maxAttempts - SDK attempts per call; 1 lets injected faults surface unretried.
 */
export function makeClients(endpoint: string, maxAttempts = 3): SdkClients {
  const config = { endpoint, region: 'us-east-1', credentials, maxAttempts };
  const sns = new SNSClient(config);
  const sqs = new SQSClient(config);
  const dynamodb = new DynamoDBClient(config);
  return {
    sns,
    sqs,
    dynamodb,
    destroy() {
      sns.destroy();
      sqs.destroy();
      dynamodb.destroy();
    },
  };
}
