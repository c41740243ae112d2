import { ecsTaskRunningPattern, ecsTaskStoppedPattern, matchesEventPattern } from '@herald/fanout';
import { describe, expect, it } from 'vitest';
import { scalingScenario, simulatedService } from '../src/ecs-service.js';

describe('the simulated ECS service', () => {
  const service = simulatedService(() => Date.UTC(2025, 4, 1, 12));
  const { tasks, phases } = scalingScenario(service);
  const deliveries = phases.flatMap((phase) => phase.deliveries);
  const scope = { clusterArn: service.clusterArn, serviceName: service.serviceName };

  it('sends events the RUNNING and STOPPED rules of the cluster and service match, and no others', () => {
    for (const { event } of deliveries) {
      const { lastStatus, desiredStatus } = event.detail;
      expect(matchesEventPattern(ecsTaskRunningPattern(scope), event), `${lastStatus}/${desiredStatus}`).toBe(
        lastStatus === 'RUNNING' && desiredStatus === 'RUNNING',
      );
      expect(matchesEventPattern(ecsTaskStoppedPattern(scope), event)).toBe(lastStatus === 'STOPPED');
      expect(event.resources).toEqual([event.detail.taskArn]);
    }
    expect(new Set(tasks.map((t) => t.taskId)).size).toBe(tasks.length);
    for (const task of tasks) expect(task.taskId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('includes what EventBridge does to events: duplicates, concurrent copies, older versions after newer ones, a lost STOPPED', () => {
    const key = (d: (typeof deliveries)[number]) => `${d.task.taskId}/${d.event.detail.lastStatus}/${d.event.detail.version}`;
    const keys = deliveries.map(key);
    expect(keys.length - new Set(keys).size).toBeGreaterThanOrEqual(2); // delivered twice
    expect(deliveries.some((d) => d.copies > 1)).toBe(true); // handled at once
    const versionWentDown = tasks.some((task) => {
      const versions = deliveries.filter((d) => d.task === task).map((d) => d.event.detail.version);
      return versions.some((v, i) => i > 0 && v < (versions[i - 1] ?? 0));
    });
    expect(versionWentDown).toBe(true);
    const stoppedBeforeRunning = tasks.some((task) => {
      const statuses = deliveries.filter((d) => d.task === task).map((d) => d.event.detail.lastStatus);
      return statuses.indexOf('STOPPED') >= 0 && statuses.indexOf('STOPPED') < statuses.indexOf('RUNNING');
    });
    expect(stoppedBeforeRunning).toBe(true);
    expect(phases.flatMap((p) => p.lost)).toHaveLength(1);
    expect(phases.map((p) => p.running.length)).toEqual([1, 3, 1]);
  });
});
