import { describe, expect, it } from 'vitest';
import { InvalidTaskStateChangeError, taskIdFromArn } from '../../src/dynamic/index.js';
import { readTaskStateChange } from '../../src/dynamic/ecs-task-state-change.js';
import { taskIdFromQueueName, taskQueueName } from '../../src/dynamic/task-queue-name.js';
import { AWS_DOCS_RUNNING_EVENT, STOPPED_EVENT } from './ecs-sample-events.js';

describe('taskIdFromArn', () => {
  it('reads the id from both task ARN formats, and keeps a bare id', () => {
    expect(taskIdFromArn('arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/c13b4cb40f1f4fe4a2971f76ae5a47ad')).toBe(
      'c13b4cb40f1f4fe4a2971f76ae5a47ad',
    );
    expect(taskIdFromArn('arn:aws:ecs:us-east-1:111122223333:task/b99d40b3-5176-4f71-9a52-9dbd6f1cebef')).toBe(
      'b99d40b3-5176-4f71-9a52-9dbd6f1cebef',
    );
    expect(taskIdFromArn('arn:aws-cn:ecs:cn-north-1:111122223333:task/c/0123abcd')).toBe('0123abcd');
    expect(taskIdFromArn('c13b4cb40f1f4fe4a2971f76ae5a47ad')).toBe('c13b4cb40f1f4fe4a2971f76ae5a47ad');
  });

  it('accepts only ids whose queue SQS can create and the sweep can read back (at most 36 of A-Z, a-z, 0-9, -)', () => {
    const prefix = 'p'.repeat(44); // the longest prefix createDynamicSubscriptions allows
    for (const id of ['c13b4cb40f1f4fe4a2971f76ae5a47ad', 'b99d40b3-5176-4f71-9a52-9dbd6f1cebef', 'a', 'x'.repeat(36)]) {
      const name = taskQueueName(prefix, taskIdFromArn(`arn:aws:ecs:us-east-1:111122223333:task/c/${id}`));
      expect(name.length, id).toBeLessThanOrEqual(80);
      expect(taskIdFromQueueName(prefix, name)).toBe(id);
    }
    // Longer, or with characters no task id has: CreateQueue would refuse the name (over 80
    // characters), or the sweep would never recognise the queue as a task's.
    for (const id of ['x'.repeat(37), 'x'.repeat(64), 'task_1', 'tâche']) {
      expect(() => taskIdFromArn(`arn:aws:ecs:us-east-1:111122223333:task/c/${id}`), id).toThrow(TypeError);
      expect(() => taskIdFromArn(id), id).toThrow(TypeError);
    }
  });

  it('refuses what is not a task ARN or id', () => {
    for (const bad of ['', 'arn:aws:ecs:us-east-1:111122223333:cluster/default', 'a/b', 'task id', 'x'.repeat(65)]) {
      expect(() => taskIdFromArn(bad), bad).toThrow(TypeError);
    }
  });
});

describe('readTaskStateChange', () => {
  it('reads the example event of the ECS Developer Guide', () => {
    expect(readTaskStateChange(AWS_DOCS_RUNNING_EVENT)).toEqual({
      taskId: 'c13b4cb40f1f4fe4a2971f76ae5a47ad',
      taskArn: 'arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/c13b4cb40f1f4fe4a2971f76ae5a47ad',
      clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/FargateCluster',
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      version: 4,
      group: 'family:sample-fargate',
      time: Date.UTC(2020, 0, 23, 17, 57, 58),
    });
    expect(readTaskStateChange(STOPPED_EVENT)).toMatchObject({ lastStatus: 'STOPPED', desiredStatus: 'STOPPED', version: 6 });
  });

  it('refuses events that are not ECS task state changes, naming what is wrong', () => {
    const cases: [unknown, RegExp][] = [
      [null, /not an object/],
      [{ ...AWS_DOCS_RUNNING_EVENT, source: 'aws.ec2' }, /source is "aws.ec2"/],
      [{ ...AWS_DOCS_RUNNING_EVENT, 'detail-type': 'ECS Service Action' }, /detail-type "ECS Service Action"/],
      [{ ...AWS_DOCS_RUNNING_EVENT, detail: undefined }, /no detail/],
      [{ ...AWS_DOCS_RUNNING_EVENT, detail: { ...AWS_DOCS_RUNNING_EVENT.detail, taskArn: undefined } }, /taskArn is missing/],
      [{ ...AWS_DOCS_RUNNING_EVENT, detail: { ...AWS_DOCS_RUNNING_EVENT.detail, taskArn: 'arn:aws:ecs:x:1:cluster/c' } }, /not a task ARN/],
      [{ ...AWS_DOCS_RUNNING_EVENT, detail: { ...AWS_DOCS_RUNNING_EVENT.detail, version: '4' } }, /version must be a whole number/],
      [{ ...AWS_DOCS_RUNNING_EVENT, detail: { ...AWS_DOCS_RUNNING_EVENT.detail, version: 4.5 } }, /version must be a whole number/],
      [{ ...AWS_DOCS_RUNNING_EVENT, detail: { ...AWS_DOCS_RUNNING_EVENT.detail, lastStatus: '' } }, /lastStatus is missing/],
    ];
    for (const [event, message] of cases) {
      let caught: unknown;
      try {
        readTaskStateChange(event);
      } catch (error) {
        caught = error;
      }
      expect(caught, String(message)).toBeInstanceOf(InvalidTaskStateChangeError);
      expect((caught as Error).message).toMatch(message);
      expect(caught).toMatchObject({ code: 'InvalidTaskStateChange', retryable: false });
    }
  });
});
