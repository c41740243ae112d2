export { startLocalAws, SHARED_DYNAMODB_ENDPOINT_ENV, LOCAL_AWS_REGION } from './local-aws.js';
export type { LocalAws, LocalAwsOptions, LocalAwsStats } from './local-aws.js';
export type { FaultOptions, FaultCounts, FaultService } from './fault-options.js';
export { LocalAwsConfigError } from './fault-options.js';
export type { LatencyOption } from './latency.js';
export type { AwsService } from './aws-service.js';
export { startDynamoDbLocal, DynamoDbLocalStartError } from './dynamodb-local.js';
export type { DynamoDbLocal, DynamoDbLocalOptions } from './dynamodb-local.js';
