import { describe, expect, it } from 'vitest';
import { matchesEventPattern, validateEventPattern } from '../../src/event-pattern/index.js';
import {
  ECS_TASK_RUNNING_PATTERN,
  ECS_TASK_STOPPED_PATTERN,
  ecsTaskRunningPattern,
  ecsTaskStoppedPattern,
} from '../../src/dynamic/index.js';
import { AWS_DOCS_RUNNING_EVENT, STOPPED_EVENT, taskEvent } from './ecs-sample-events.js';

/** The service steady state event of the Amazon ECS Developer Guide: another ECS detail-type. */
const SERVICE_ACTION_EVENT = {
  version: '0',
  id: 'af3c496d-f4a8-65d1-70f4-a69d52e9b584',
  'detail-type': 'ECS Service Action',
  source: 'aws.ecs',
  account: '111122223333',
  time: '2019-11-19T19:27:22Z',
  region: 'us-west-2',
  resources: ['arn:aws:ecs:us-west-2:111122223333:service/default/servicetest'],
  detail: {
    eventType: 'INFO',
    eventName: 'SERVICE_STEADY_STATE',
    clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/default',
    createdAt: '2019-11-19T19:27:22.695Z',
  },
};

const DOCS_CLUSTER = 'arn:aws:ecs:us-west-2:111122223333:cluster/FargateCluster';

describe('the ECS task state change rule patterns', () => {
  it('are patterns EventBridge accepts, as objects and as the JSON text PutRule takes', () => {
    for (const pattern of [ECS_TASK_RUNNING_PATTERN, ECS_TASK_STOPPED_PATTERN, ecsTaskRunningPattern({ clusterArn: DOCS_CLUSTER, serviceName: 'web' })]) {
      expect(validateEventPattern(pattern)).toMatchObject({ valid: true, problems: [] });
      expect(validateEventPattern(JSON.stringify(pattern)).valid).toBe(true);
    }
    expect(JSON.parse(JSON.stringify(ECS_TASK_RUNNING_PATTERN))).toEqual({
      source: ['aws.ecs'],
      'detail-type': ['ECS Task State Change'],
      detail: { lastStatus: ['RUNNING'], desiredStatus: ['RUNNING'] },
    });
    expect(JSON.parse(JSON.stringify(ECS_TASK_STOPPED_PATTERN))).toEqual({
      source: ['aws.ecs'],
      'detail-type': ['ECS Task State Change'],
      detail: { lastStatus: ['STOPPED'] },
    });
  });

  it('RUNNING matches the ECS Developer Guide’s example event; STOPPED matches the stopped task and not it', () => {
    expect(matchesEventPattern(ECS_TASK_RUNNING_PATTERN, AWS_DOCS_RUNNING_EVENT)).toBe(true);
    expect(matchesEventPattern(ECS_TASK_STOPPED_PATTERN, AWS_DOCS_RUNNING_EVENT)).toBe(false);
    expect(matchesEventPattern(ECS_TASK_STOPPED_PATTERN, STOPPED_EVENT)).toBe(true);
    expect(matchesEventPattern(ECS_TASK_RUNNING_PATTERN, STOPPED_EVENT)).toBe(false);
    expect(matchesEventPattern(JSON.stringify(ECS_TASK_RUNNING_PATTERN), JSON.stringify(AWS_DOCS_RUNNING_EVENT))).toBe(true);
  });

  it('RUNNING does not match a task that is running but being stopped, nor earlier statuses', () => {
    const stopping = { ...AWS_DOCS_RUNNING_EVENT, detail: { ...AWS_DOCS_RUNNING_EVENT.detail, desiredStatus: 'STOPPED', version: 5 } };
    expect(matchesEventPattern(ECS_TASK_RUNNING_PATTERN, stopping)).toBe(false);
    for (const lastStatus of ['PROVISIONING', 'PENDING', 'ACTIVATING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING']) {
      const event = { ...AWS_DOCS_RUNNING_EVENT, detail: { ...AWS_DOCS_RUNNING_EVENT.detail, lastStatus } };
      expect(matchesEventPattern(ECS_TASK_RUNNING_PATTERN, event), lastStatus).toBe(false);
      expect(matchesEventPattern(ECS_TASK_STOPPED_PATTERN, event), lastStatus).toBe(false);
    }
    expect(matchesEventPattern(ECS_TASK_RUNNING_PATTERN, SERVICE_ACTION_EVENT)).toBe(false);
    expect(matchesEventPattern(ECS_TASK_STOPPED_PATTERN, SERVICE_ACTION_EVENT)).toBe(false);
  });

  it('narrowed to a cluster and a service, they match only that cluster’s service tasks', () => {
    const running = ecsTaskRunningPattern({ clusterArn: DOCS_CLUSTER });
    expect(matchesEventPattern(running, AWS_DOCS_RUNNING_EVENT)).toBe(true);
    expect(matchesEventPattern(ecsTaskRunningPattern({ clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/other' }), AWS_DOCS_RUNNING_EVENT)).toBe(false);
    // The docs' task was started standalone (group family:sample-fargate), not by a service.
    expect(matchesEventPattern(ecsTaskRunningPattern({ clusterArn: DOCS_CLUSTER, serviceName: 'sample-fargate' }), AWS_DOCS_RUNNING_EVENT)).toBe(false);

    const cluster = 'arn:aws:ecs:us-east-1:111122223333:cluster/herald-demo';
    const at = Date.UTC(2024, 4, 1);
    const prices = (lastStatus: string, serviceName = 'prices') =>
      taskEvent({ taskId: 'c13b4cb40f1f4fe4a2971f76ae5a47ad', lastStatus, version: 3, at, serviceName });
    expect(matchesEventPattern(ecsTaskRunningPattern({ clusterArn: cluster, serviceName: 'prices' }), prices('RUNNING'))).toBe(true);
    expect(matchesEventPattern(ecsTaskRunningPattern({ clusterArn: cluster, serviceName: 'prices' }), prices('RUNNING', 'quotes'))).toBe(false);
    expect(matchesEventPattern(ecsTaskStoppedPattern({ clusterArn: cluster, serviceName: 'prices' }), prices('STOPPED'))).toBe(true);
  });
});
