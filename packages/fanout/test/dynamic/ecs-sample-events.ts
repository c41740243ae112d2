import type { EcsTaskStateChangeEvent } from '../../src/dynamic/index.js';

/**
 * The task state change event of the Amazon ECS Developer Guide ("Amazon ECS task state change
 * events", Example task state change event): a Fargate task RUNNING, detail.version 4.
 */
export const AWS_DOCS_RUNNING_EVENT = {
  version: '0',
  id: '3317b2af-7005-947d-b652-f55e762e571a',
  'detail-type': 'ECS Task State Change',
  source: 'aws.ecs',
  account: '111122223333',
  time: '2020-01-23T17:57:58Z',
  region: 'us-west-2',
  resources: ['arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/c13b4cb40f1f4fe4a2971f76ae5a47ad'],
  detail: {
    attachments: [
      {
        id: '1789bcae-ddfb-4d10-8ebe-8ac87ddba5b8',
        type: 'eni',
        status: 'ATTACHED',
        details: [
          { name: 'subnetId', value: 'subnet-abcd1234' },
          { name: 'networkInterfaceId', value: 'eni-abcd1234' },
          { name: 'macAddress', value: '0a:98:eb:a7:29:ba' },
          { name: 'privateIPv4Address', value: '10.0.0.139' },
        ],
      },
    ],
    availabilityZone: 'us-west-2c',
    clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/FargateCluster',
    containers: [
      {
        containerArn: 'arn:aws:ecs:us-west-2:111122223333:container/cf159fd6-3e3f-4a9e-84f9-66cbe726af01',
        lastStatus: 'RUNNING',
        name: 'FargateApp',
        image: '111122223333.dkr.ecr.us-west-2.amazonaws.com/hello-repository:latest',
        imageDigest: 'sha256:74b2c688c700ec95a93e478cdb959737c148df3fbf5ea706abe0318726e885e6',
        runtimeId: 'ad64cbc71c7fb31c55507ec24c9f77947132b03d48d9961115cf24f3b7307e1e',
        taskArn: 'arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/c13b4cb40f1f4fe4a2971f76ae5a47ad',
        networkInterfaces: [{ attachmentId: '1789bcae-ddfb-4d10-8ebe-8ac87ddba5b8', privateIpv4Address: '10.0.0.139' }],
        cpu: '0',
      },
    ],
    createdAt: '2020-01-23T17:57:34.402Z',
    launchType: 'FARGATE',
    cpu: '256',
    memory: '512',
    desiredStatus: 'RUNNING',
    group: 'family:sample-fargate',
    lastStatus: 'RUNNING',
    overrides: { containerOverrides: [{ name: 'FargateApp' }] },
    connectivity: 'CONNECTED',
    connectivityAt: '2020-01-23T17:57:38.453Z',
    pullStartedAt: '2020-01-23T17:57:52.103Z',
    startedAt: '2020-01-23T17:57:58.103Z',
    pullStoppedAt: '2020-01-23T17:57:55.103Z',
    updatedAt: '2020-01-23T17:57:58.103Z',
    taskArn: 'arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/c13b4cb40f1f4fe4a2971f76ae5a47ad',
    taskDefinitionArn: 'arn:aws:ecs:us-west-2:111122223333:task-definition/sample-fargate:1',
    version: 4,
    platformVersion: '1.3.0',
  },
} as const satisfies EcsTaskStateChangeEvent;

/**
 * The same task stopped by its service, as ECS reports a stop: lastStatus and desiredStatus
 * STOPPED, stopCode and stoppedReason, the stopping timestamps, containers STOPPED with an exit
 * code, attachments DELETED, and a higher version (the docs' example carries no STOPPED event;
 * these are the fields ECS documents for stopped tasks).
 */
export const STOPPED_EVENT = {
  ...AWS_DOCS_RUNNING_EVENT,
  id: '8f07d4c2-0e5a-4e0c-9f4b-2c1c61d9c6a0',
  time: '2020-01-23T18:41:02Z',
  detail: {
    ...AWS_DOCS_RUNNING_EVENT.detail,
    attachments: [{ ...AWS_DOCS_RUNNING_EVENT.detail.attachments[0], status: 'DELETED' }],
    containers: [{ ...AWS_DOCS_RUNNING_EVENT.detail.containers[0], lastStatus: 'STOPPED', exitCode: 0 }],
    desiredStatus: 'STOPPED',
    lastStatus: 'STOPPED',
    connectivity: 'CONNECTED',
    executionStoppedAt: '2020-01-23T18:40:48.391Z',
    stoppingAt: '2020-01-23T18:40:30.974Z',
    stoppedAt: '2020-01-23T18:41:02.177Z',
    stopCode: 'ServiceSchedulerInitiated',
    stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/8646900195280463695)',
    updatedAt: '2020-01-23T18:41:02.177Z',
    version: 6,
  },
} as const satisfies EcsTaskStateChangeEvent;

/**
 * An event for another task, status and version, in the shape of the docs' example: cluster and
 * service set, `time` from `at` (epoch ms).
 */
export function taskEvent(options: {
  taskId: string;
  lastStatus: string;
  desiredStatus?: string;
  version: number;
  at: number;
  cluster?: string;
  serviceName?: string;
  account?: string;
  region?: string;
}): EcsTaskStateChangeEvent {
  const region = options.region ?? 'us-east-1';
  const account = options.account ?? '111122223333';
  const cluster = options.cluster ?? 'herald-demo';
  const taskArn = `arn:aws:ecs:${region}:${account}:task/${cluster}/${options.taskId}`;
  const iso = new Date(options.at).toISOString();
  const stopped = options.lastStatus === 'STOPPED';
  return {
    version: '0',
    id: `${options.taskId.slice(0, 8)}-${options.version}-${options.lastStatus.toLowerCase()}`,
    'detail-type': 'ECS Task State Change',
    source: 'aws.ecs',
    account,
    time: `${iso.slice(0, 19)}Z`,
    region,
    resources: [taskArn],
    detail: {
      ...AWS_DOCS_RUNNING_EVENT.detail,
      clusterArn: `arn:aws:ecs:${region}:${account}:cluster/${cluster}`,
      containers: [{ ...AWS_DOCS_RUNNING_EVENT.detail.containers[0], taskArn, lastStatus: options.lastStatus, ...(stopped ? { exitCode: 0 } : {}) }],
      group: `service:${options.serviceName ?? 'prices'}`,
      desiredStatus: options.desiredStatus ?? (stopped ? 'STOPPED' : 'RUNNING'),
      lastStatus: options.lastStatus,
      taskArn,
      updatedAt: iso,
      version: options.version,
      ...(stopped ? { stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1)', stoppedAt: iso } : {}),
    },
  };
}
