import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ListSubscriptionsByTopicCommand, PublishCommand } from '@aws-sdk/client-sns';
import { DeleteMessageBatchCommand, GetQueueUrlCommand, ListQueuesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { createDynamicSubscriptions, type DynamicSubscriptions, readEcsTaskIdentity, type TaskStateChangeOutcome } from '@herald/fanout';
import { type Phase, scalingScenario, type SimulatedTask, simulatedService } from './ecs-service.js';
import { type Clients, createInfrastructure, deleteInfrastructure, type Infrastructure } from './infrastructure.js';
import { startTaskMetadataEndpoint, type TaskMetadataEndpoint } from './task-metadata-endpoint.js';

/** One delivery of an event to the handler, as the phase's first table shows it. */
export interface DeliveryRow {
  /** The task's label (`t1`, …). */
  readonly task: string;
  /** `RUNNING v3`, `RUNNING v5→STOPPED` (stop requested), `STOPPED v7`, … */
  readonly event: string;
  /** What is special about it (`duplicate`, `after its STOPPED`, `lost`, …), or `''`. */
  readonly note: string;
  /** The handler's answer (copies handled at once joined with `+`); `–` for a lost event. */
  readonly outcome: string;
  /** What it had to answer. */
  readonly expected: string;
  /** Whether it did. */
  readonly ok: boolean;
}

/** One task's state after a phase, as the phase's second table shows it. */
export interface TaskRow {
  readonly label: string;
  readonly taskId: string;
  /** Whether ECS runs the task at the end of the phase. */
  readonly running: boolean;
  /** Whether the task's queue exists. */
  readonly queue: boolean;
  /** Whether the topic has a subscription to the task's queue. */
  readonly subscribed: boolean;
  /** The task's item in the mapping table: `RUNNING`, `STOPPED` (a tombstone) or `none`. */
  readonly mapping: string;
  /** How many copies of this phase's broadcast the task's queue got (a running task reads it as its container would). */
  readonly received: number;
  /** What is wrong with the task's state (empty when it is right). */
  readonly problems: readonly string[];
}

/** What sweepOrphans did at the end of a phase. */
export interface SweepSummary {
  readonly queuesDeleted: readonly string[];
  readonly mappingsStopped: readonly string[];
  readonly subscriptionsRemoved: number;
  readonly failures: number;
}

/** One phase of the scenario and what was found after it. */
export interface PhaseReport {
  readonly name: string;
  readonly story: string;
  readonly deliveries: readonly DeliveryRow[];
  readonly rows: readonly TaskRow[];
  readonly sweep: SweepSummary | undefined;
}

/** What is left at the end. */
export interface FinalState {
  /** Task labels whose queue still exists. */
  readonly queues: readonly string[];
  /** Task labels whose queue the topic still delivers to. */
  readonly subscriptions: readonly string[];
  /** Task labels with a RUNNING mapping. */
  readonly mappings: readonly string[];
  /** Task labels with a tombstone. */
  readonly tombstones: readonly string[];
  /** Task labels running at the end. */
  readonly running: readonly string[];
}

/** The whole run. */
export interface ContainerSubscriptionsReport {
  readonly phases: readonly PhaseReport[];
  readonly final: FinalState;
  /** Every check that failed. */
  readonly problems: readonly string[];
  /** Resources that could not be deleted. */
  readonly cleanupFailures: readonly string[];
  readonly ok: boolean;
  readonly durationMs: number;
}

/** Options of {@link runContainerSubscriptions}. */
export interface ContainerSubscriptionsOptions extends Clients {
  /** Start of every resource name. Default `herald-cs-<time>`. */
  readonly prefix?: string;
}

interface Observer {
  readonly infra: Infrastructure;
  readonly clients: Clients;
  readonly dynamic: DynamicSubscriptions;
  readonly metadata: TaskMetadataEndpoint;
}

async function queueExists(observer: Observer, task: SimulatedTask): Promise<string | undefined> {
  try {
    return (await observer.clients.sqs.send(new GetQueueUrlCommand({ QueueName: observer.dynamic.queueNameFor(task.taskId) }))).QueueUrl;
  } catch (error) {
    if ((error as Error).name === 'QueueDoesNotExist') return undefined;
    throw error;
  }
}

async function subscribedQueueNames(observer: Observer): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await observer.clients.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: observer.infra.topicArn, NextToken: nextToken }));
    names.push(...(page.Subscriptions ?? []).map((s) => (s.Endpoint ?? '').split(':').pop() ?? ''));
    nextToken = page.NextToken;
  } while (nextToken);
  return names;
}

async function mappingOf(observer: Observer, task: SimulatedTask): Promise<string> {
  const out = await observer.clients.dynamodb.send(
    new GetItemCommand({ TableName: observer.infra.tableName, Key: { taskId: { S: task.taskId } }, ConsistentRead: true }),
  );
  return out.Item?.['status']?.S ?? 'none';
}

/** Receives and deletes everything on a queue (the local SNS enqueues before Publish answers). */
async function drain(observer: Observer, queueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const out = await observer.clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    const messages = out.Messages ?? [];
    if (messages.length === 0) return bodies;
    bodies.push(...messages.map((m) => m.Body ?? ''));
    await observer.clients.sqs.send(
      new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })) }),
    );
  }
}

/**
 * What a container of a running task does: read its task id from the task metadata endpoint,
 * find its queue with queueForTask (waiting for the RUNNING event to be handled), receive.
 */
async function containerReceives(observer: Observer, task: SimulatedTask): Promise<string[] | undefined> {
  const identity = await readEcsTaskIdentity({ env: observer.metadata.envFor(task) });
  const queue = await observer.dynamic.queueForTask(identity.taskId, { waitMs: 5_000, pollIntervalMs: 100 });
  return queue === undefined ? undefined : drain(observer, queue.queueUrl);
}

async function runPhase(observer: Observer, phase: Phase, seen: SimulatedTask[], index: number): Promise<PhaseReport> {
  const deliveries: DeliveryRow[] = [];
  const see = (task: SimulatedTask): void => {
    if (!seen.includes(task)) seen.push(task);
  };
  const eventLabel = (lastStatus: string, version: number, desiredStatus?: string): string =>
    `${lastStatus} v${version}${lastStatus === 'RUNNING' && desiredStatus === 'STOPPED' ? '→STOPPED' : ''}`;

  for (const delivery of phase.deliveries) {
    const { task, event } = delivery;
    see(task);
    // EventBridge → Lambda: each copy is its own invocation, copies handled at the same moment.
    const results = await Promise.all(Array.from({ length: delivery.copies }, () => observer.dynamic.handleTaskStateChange(event)));
    const allowed: TaskStateChangeOutcome[] = delivery.copies > 1 ? [delivery.expect, 'duplicate'] : [delivery.expect];
    deliveries.push({
      task: task.label,
      event: eventLabel(event.detail.lastStatus, event.detail.version, event.detail.desiredStatus),
      note: delivery.note ?? '',
      outcome: results.map((r) => r.outcome).join('+'),
      expected: delivery.expect,
      ok: results.some((r) => r.outcome === delivery.expect) && results.every((r) => allowed.includes(r.outcome)),
    });
  }
  for (const lost of phase.lost) {
    see(lost.task);
    deliveries.push({ task: lost.task.label, event: eventLabel(lost.lastStatus, lost.version), note: 'lost: never delivered', outcome: '–', expected: '–', ok: true });
  }

  let sweep: SweepSummary | undefined;
  if (phase.sweep) {
    // minAgeSeconds 0: the whole run takes seconds. In production keep the default (300 s), so a
    // task started after ListTasks answered is not swept.
    const report = await observer.dynamic.sweepOrphans({ runningTaskIds: async () => phase.running.map((t) => t.taskArn), minAgeSeconds: 0 });
    const label = (taskId: string): string => seen.find((t) => t.taskId === taskId)?.label ?? taskId;
    sweep = {
      queuesDeleted: report.queuesDeleted.map((q) => label(q.taskId)),
      mappingsStopped: report.mappingsStopped.map(label),
      subscriptionsRemoved: report.subscriptionsRemoved.length,
      failures: report.failures.length,
    };
  }

  const broadcast = `broadcast ${index + 1}: after "${phase.name}"`;
  await observer.clients.sns.send(new PublishCommand({ TopicArn: observer.infra.topicArn, Message: broadcast }));
  const subscribed = await subscribedQueueNames(observer);

  const rows: TaskRow[] = [];
  for (const task of [...seen].sort((a, b) => a.label.localeCompare(b.label))) {
    const running = phase.running.includes(task);
    const queueUrl = await queueExists(observer, task);
    const mapping = await mappingOf(observer, task);
    const isSubscribed = subscribed.includes(observer.dynamic.queueNameFor(task.taskId));
    const bodies = running ? await containerReceives(observer, task) : queueUrl === undefined ? [] : await drain(observer, queueUrl);
    const received = (bodies ?? []).filter((b) => b === broadcast).length;
    const problems: string[] = [];
    const want = (ok: boolean, what: string): void => {
      if (!ok) problems.push(what);
    };
    if (running) {
      want(queueUrl !== undefined, 'its queue is missing');
      want(isSubscribed, 'its queue is not subscribed');
      want(mapping === 'RUNNING', `its mapping is ${mapping}, not RUNNING`);
      want(bodies !== undefined, 'queueForTask found no queue for it');
      want(received === 1 && bodies?.length === 1, `it received ${bodies?.length ?? 0} message(s), ${received} of them this broadcast; expected exactly this broadcast`);
    } else {
      want(queueUrl === undefined, 'its queue still exists');
      want(!isSubscribed, 'the topic still delivers to it');
      want(mapping === 'STOPPED', `its mapping is ${mapping}, not a STOPPED tombstone`);
      want(received === 0, 'it received the broadcast');
    }
    rows.push({ label: task.label, taskId: task.taskId, running, queue: queueUrl !== undefined, subscribed: isSubscribed, mapping, received, problems });
  }
  return { name: phase.name, story: phase.story, deliveries, rows, sweep };
}

async function finalState(observer: Observer, tasks: readonly SimulatedTask[], running: readonly SimulatedTask[]): Promise<FinalState> {
  const { sqs, dynamodb } = observer.clients;
  const label = (name: string): string => tasks.find((t) => name.endsWith(t.taskId))?.label ?? name;
  const queueUrls = (await sqs.send(new ListQueuesCommand({ QueueNamePrefix: observer.infra.queueNamePrefix }))).QueueUrls ?? [];
  const items = (await dynamodb.send(new ScanCommand({ TableName: observer.infra.tableName, ConsistentRead: true }))).Items ?? [];
  const byStatus = (status: string): string[] =>
    items.filter((i) => i['status']?.S === status).map((i) => label(i['taskId']?.S ?? '')).sort();
  return {
    queues: queueUrls.map((url) => label(url)).sort(),
    subscriptions: (await subscribedQueueNames(observer)).map(label).sort(),
    mappings: byStatus('RUNNING'),
    tombstones: byStatus('STOPPED'),
    running: running.map((t) => t.label).sort(),
  };
}

/**
 * Runs the scenario: creates the topic and the mapping table, feeds each phase's ECS events to
 * handleTaskStateChange, broadcasts after each phase and checks that exactly the running tasks'
 * queues got it, checks what is left at the end, and deletes everything it created.
 */
export async function runContainerSubscriptions(options: ContainerSubscriptionsOptions): Promise<ContainerSubscriptionsReport> {
  const started = Date.now();
  const clients: Clients = { sns: options.sns, sqs: options.sqs, dynamodb: options.dynamodb };
  const prefix = options.prefix ?? `herald-cs-${Date.now().toString(36)}`;
  const service = simulatedService();
  const { tasks, phases } = scalingScenario(service);
  const infra = await createInfrastructure(clients, prefix);
  const metadata = await startTaskMetadataEndpoint(service, tasks);
  const problems: string[] = [];
  const reports: PhaseReport[] = [];
  let final: FinalState = { queues: [], subscriptions: [], mappings: [], tombstones: [], running: [] };
  let cleanupFailures: string[] = [];
  try {
    const dynamic = createDynamicSubscriptions({
      ...clients,
      topicArn: infra.topicArn,
      tableName: infra.tableName,
      queueNamePrefix: infra.queueNamePrefix,
      clusterArn: service.clusterArn,
      serviceName: service.serviceName,
      raw: true,
      queueAttributes: { MessageRetentionPeriod: '3600' },
    });
    const observer: Observer = { infra, clients, dynamic, metadata };
    const seen: SimulatedTask[] = [];
    for (const [index, phase] of phases.entries()) {
      const report = await runPhase(observer, phase, seen, index);
      reports.push(report);
      for (const d of report.deliveries) {
        if (!d.ok) problems.push(`${phase.name}: ${d.task}: ${d.event}${d.note === '' ? '' : ` (${d.note})`}: the handler answered ${d.outcome}, expected ${d.expected}`);
      }
      for (const row of report.rows) for (const problem of row.problems) problems.push(`${phase.name}: ${row.label}: ${problem}`);
      if (report.sweep !== undefined && report.sweep.failures > 0) problems.push(`${phase.name}: sweepOrphans reported ${report.sweep.failures} failure(s)`);
    }
    const lastRunning = phases.at(-1)?.running ?? [];
    final = await finalState(observer, tasks, lastRunning);
    const expected = final.running.join(',');
    if (final.queues.join(',') !== expected) problems.push(`queues left: ${final.queues.join(', ') || 'none'}; expected ${expected}`);
    if (final.subscriptions.join(',') !== expected) problems.push(`subscriptions left: ${final.subscriptions.join(', ') || 'none'}; expected ${expected}`);
    if (final.mappings.join(',') !== expected) problems.push(`RUNNING mappings: ${final.mappings.join(', ') || 'none'}; expected ${expected}`);
    const stopped = tasks.filter((t) => !lastRunning.includes(t)).map((t) => t.label).sort().join(',');
    if (final.tombstones.join(',') !== stopped) problems.push(`tombstones: ${final.tombstones.join(', ') || 'none'}; expected ${stopped}`);
  } catch (error) {
    problems.push(`the run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    await metadata.close();
    cleanupFailures = await deleteInfrastructure(clients, infra);
  }
  return {
    phases: reports,
    final,
    problems,
    cleanupFailures,
    ok: problems.length === 0 && cleanupFailures.length === 0,
    durationMs: Date.now() - started,
  };
}
