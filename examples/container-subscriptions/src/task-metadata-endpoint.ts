import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimulatedService, SimulatedTask } from './ecs-service.js';

/** A stand-in for the ECS task metadata endpoint (version 4) of every simulated container. */
export interface TaskMetadataEndpoint {
  /** The environment ECS gives a task's containers: `ECS_CONTAINER_METADATA_URI_V4`. */
  envFor(task: SimulatedTask): Record<string, string>;
  /** Stops the server. */
  close(): Promise<void>;
}

/**
 * Serves `GET /v4/<task id>/task` on 127.0.0.1 with the fields of the real endpoint's answer that
 * matter here (`Cluster`, `TaskARN`, `Family`, `Revision`, statuses), so each simulated container
 * finds its task id the way a real one does: `readEcsTaskIdentity()`.
 */
export async function startTaskMetadataEndpoint(service: SimulatedService, tasks: readonly SimulatedTask[]): Promise<TaskMetadataEndpoint> {
  const byId = new Map(tasks.map((task) => [task.taskId, task]));
  const server = createServer((req, res) => {
    const match = /^\/v4\/([0-9a-f]{32})\/task$/.exec(req.url ?? '');
    const task = match?.[1] === undefined ? undefined : byId.get(match[1]);
    if (task === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        Cluster: service.clusterArn,
        TaskARN: task.taskArn,
        Family: 'prices',
        Revision: '7',
        DesiredStatus: 'RUNNING',
        KnownStatus: 'RUNNING',
        LaunchType: 'FARGATE',
        AvailabilityZone: `${service.region}a`,
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    envFor: (task) => ({ ECS_CONTAINER_METADATA_URI_V4: `http://127.0.0.1:${port}/v4/${task.taskId}` }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
