import { randomBytes } from 'node:crypto';
import type { EcsTaskStateChangeEvent, TaskStateChangeOutcome } from '@herald/fanout';

/** A task of the simulated service. */
export interface SimulatedTask {
  /** `t1`, `t2`, … for the tables. */
  readonly label: string;
  /** A task id as ECS makes them: 32 hex characters. */
  readonly taskId: string;
  /** `arn:aws:ecs:<region>:<account>:task/<cluster>/<task id>`. */
  readonly taskArn: string;
}

/** The simulated ECS cluster and service. */
export interface SimulatedService {
  readonly region: string;
  readonly account: string;
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly serviceName: string;
  /** Makes a task (with a fresh task id). */
  task(label: string): SimulatedTask;
  /**
   * A task state change event as EventBridge delivers it, in the shape of the example in the
   * Amazon ECS Developer Guide: the task's `detail` with `lastStatus`, `desiredStatus`,
   * `version`, the container, timestamps, and `stopCode`/`stoppedReason` once stopped.
   */
  event(task: SimulatedTask, lastStatus: string, version: number, options?: { desiredStatus?: string }): EcsTaskStateChangeEvent;
}

/**
 * The ECS side of the example: a Fargate service `prices` in cluster `herald-demo`, and the
 * events ECS sends for its tasks.
 *
 * @param now - The clock for event times.
 */
export function simulatedService(now: () => number = Date.now): SimulatedService {
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const account = '111122223333';
  const clusterName = 'herald-demo';
  const clusterArn = `arn:aws:ecs:${region}:${account}:cluster/${clusterName}`;
  const serviceName = 'prices';
  const createdAt = new Map<string, string>();

  return {
    region,
    account,
    clusterName,
    clusterArn,
    serviceName,
    task(label) {
      const taskId = randomBytes(16).toString('hex');
      createdAt.set(taskId, new Date(now()).toISOString());
      return { label, taskId, taskArn: `arn:aws:ecs:${region}:${account}:task/${clusterName}/${taskId}` };
    },
    event(task, lastStatus, version, options = {}) {
      const at = new Date(now()).toISOString();
      const stopped = lastStatus === 'STOPPED';
      const desiredStatus = options.desiredStatus ?? (stopped || lastStatus === 'DEPROVISIONING' ? 'STOPPED' : 'RUNNING');
      const containerStatus = stopped ? 'STOPPED' : lastStatus === 'RUNNING' ? 'RUNNING' : 'PENDING';
      return {
        version: '0',
        id: randomBytes(16).toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
        'detail-type': 'ECS Task State Change',
        source: 'aws.ecs',
        account,
        time: `${at.slice(0, 19)}Z`,
        region,
        resources: [task.taskArn],
        detail: {
          availabilityZone: `${region}a`,
          clusterArn,
          containers: [
            {
              containerArn: `arn:aws:ecs:${region}:${account}:container/${clusterName}/${task.taskId}/0d5b3ec1-prices`,
              lastStatus: containerStatus,
              name: 'prices',
              image: `${account}.dkr.ecr.${region}.amazonaws.com/prices:latest`,
              taskArn: task.taskArn,
              cpu: '0',
              ...(stopped ? { exitCode: 0 } : {}),
            },
          ],
          createdAt: createdAt.get(task.taskId) ?? at,
          launchType: 'FARGATE',
          cpu: '256',
          memory: '512',
          desiredStatus,
          group: `service:${serviceName}`,
          lastStatus,
          startedBy: 'ecs-svc/5211643699352071000',
          taskArn: task.taskArn,
          taskDefinitionArn: `arn:aws:ecs:${region}:${account}:task-definition/prices:7`,
          updatedAt: at,
          version,
          platformVersion: '1.4.0',
          ...(stopped
            ? {
                stopCode: 'ServiceSchedulerInitiated',
                stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/5211643699352071000)',
                stoppingAt: at,
                stoppedAt: at,
              }
            : {}),
        },
      };
    },
  };
}

/** One delivery to the handler: an event, or several copies of it handled at the same time. */
export interface Delivery {
  readonly task: SimulatedTask;
  readonly event: EcsTaskStateChangeEvent;
  /** How many copies are handled at once (EventBridge delivering the same event twice). */
  readonly copies: number;
  /** What is special about it, for the table: `duplicate`, `late`, `out of order`, … */
  readonly note?: string;
  /** What the handler must answer (for copies handled at once, a later copy may also answer `duplicate`). */
  readonly expect: TaskStateChangeOutcome;
}

/** One step of the scenario. */
export interface Phase {
  readonly name: string;
  /** What happens, in a sentence. */
  readonly story: string;
  /** Deliveries, in delivery order. */
  readonly deliveries: readonly Delivery[];
  /** Task stop events that never arrive (the sweep must catch them). */
  readonly lost: readonly { readonly task: SimulatedTask; readonly lastStatus: string; readonly version: number }[];
  /** The tasks ECS runs at the end of the phase (what ECS ListTasks would return). */
  readonly running: readonly SimulatedTask[];
  /** Whether to run sweepOrphans with the running tasks at the end of the phase. */
  readonly sweep: boolean;
}

/**
 * The scenario: the service starts with one task, scales out to three (one task crashes on
 * start and is replaced), and scales in to one. Deliveries include what EventBridge does to
 * events: duplicates, copies handled concurrently, a STOPPED before its RUNNING, a RUNNING
 * redelivered after its STOPPED, an older version after a newer one, and a STOPPED that never
 * arrives.
 *
 * Versions follow the task's life: PROVISIONING 1, PENDING 2, RUNNING 3, a container change
 * while running 4, stop requested 5 (RUNNING with desiredStatus STOPPED), DEPROVISIONING 6,
 * STOPPED 7.
 */
export function scalingScenario(service: SimulatedService): { tasks: SimulatedTask[]; phases: Phase[] } {
  const [t1, t2, t3, t4] = ['t1', 't2', 't3', 't4'].map((label) => service.task(label)) as [SimulatedTask, SimulatedTask, SimulatedTask, SimulatedTask];
  const d = (
    task: SimulatedTask,
    lastStatus: string,
    version: number,
    expect: TaskStateChangeOutcome,
    note?: string,
    copies = 1,
    desiredStatus?: string,
  ): Delivery => ({
    task,
    event: service.event(task, lastStatus, version, desiredStatus === undefined ? {} : { desiredStatus }),
    copies,
    expect,
    ...(note === undefined ? {} : { note }),
  });
  return {
    tasks: [t1, t2, t3, t4],
    phases: [
      {
        name: 'start with 1 task',
        story: 't1 starts; its RUNNING event is delivered twice.',
        deliveries: [
          d(t1, 'PROVISIONING', 1, 'ignored'),
          d(t1, 'PENDING', 2, 'ignored'),
          d(t1, 'RUNNING', 3, 'subscribed'),
          d(t1, 'RUNNING', 3, 'duplicate', 'duplicate'),
        ],
        lost: [],
        running: [t1],
        sweep: false,
      },
      {
        name: 'scale out to 3 tasks',
        story:
          't2 starts; t4 crashes on start and its STOPPED arrives before its RUNNING; t3 replaces it (its RUNNING ' +
          'handled twice at the same moment); t1’s container changes state (RUNNING v4), then the older RUNNING v3 ' +
          'is delivered again.',
        deliveries: [
          d(t2, 'PENDING', 2, 'ignored'),
          d(t2, 'RUNNING', 3, 'subscribed'),
          d(t4, 'STOPPED', 7, 'unsubscribed', 'before its RUNNING'),
          d(t4, 'RUNNING', 3, 'suppressed', 'after its STOPPED'),
          d(t3, 'PENDING', 2, 'ignored'),
          d(t3, 'RUNNING', 3, 'subscribed', '2 copies at once', 2),
          d(t1, 'RUNNING', 4, 'duplicate', 'newer version'),
          d(t1, 'RUNNING', 3, 'duplicate', 'older version, late'),
        ],
        lost: [],
        running: [t1, t2, t3],
        sweep: false,
      },
      {
        name: 'scale in to 1 task',
        story:
          'The service stops t2 and t3. t3’s STOPPED comes before its DEPROVISIONING, is delivered twice, and its ' +
          'RUNNING comes again after it; t2’s STOPPED never arrives, so the scheduled sweepOrphans (given ECS ' +
          'ListTasks’s answer: t1) removes t2’s queue.',
        deliveries: [
          d(t3, 'RUNNING', 5, 'ignored', 'stop requested', 1, 'STOPPED'),
          d(t2, 'RUNNING', 5, 'ignored', 'stop requested', 1, 'STOPPED'),
          d(t3, 'STOPPED', 7, 'unsubscribed'),
          d(t3, 'DEPROVISIONING', 6, 'ignored', 'after its STOPPED'),
          d(t3, 'STOPPED', 7, 'duplicate', 'duplicate'),
          d(t3, 'RUNNING', 3, 'suppressed', 'after its STOPPED'),
          d(t2, 'DEPROVISIONING', 6, 'ignored'),
        ],
        lost: [{ task: t2, lastStatus: 'STOPPED', version: 7 }],
        running: [t1],
        sweep: true,
      },
    ],
  };
}
