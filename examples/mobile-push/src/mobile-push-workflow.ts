import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetEndpointAttributesCommand, type SNSClient } from '@aws-sdk/client-sns';
import { createPushRegistry, type DeliveryResult, type PushRegistry, redactToken, type SweepReport } from '@herald/push-tokens';
import { CAST, type Handset, tokenFor, USERS } from './cast.js';
import { findMisdirected, type MisdirectedDelivery } from './check-deliveries.js';
import { createInfrastructure, deleteInfrastructure } from './infrastructure.js';
import type { PushServiceControl, PushServiceDelivery } from './push-service-control.js';

const DAY_MS = 86_400_000;

/** Options of {@link runMobilePush}. */
export interface MobilePushOptions {
  /** SNS client (its `endpoint` set to the local endpoint). */
  readonly sns: SNSClient;
  /** DynamoDB client. */
  readonly dynamodb: DynamoDBClient;
  /** The local push service's hooks. */
  readonly pushService: PushServiceControl;
  /** Seed for the device tokens. Default 20260501. */
  readonly seed?: number;
  /** Start of every resource name. Default `herald-push-<time>`. */
  readonly prefix?: string;
  /** Told each step as it happens. */
  readonly onProgress?: (line: string) => void;
}

/** One row of a user's table. */
export interface DeviceRow {
  /** The handset's name in the story. */
  readonly handset: string;
  /** The registry's device key. */
  readonly deviceKey: string;
  /** `ios` or `android`. */
  readonly platform: string;
  /** The token, redacted. */
  readonly token: string;
  /** The SNS endpoint's state before the sweep. */
  readonly endpoint: 'enabled' | 'disabled' | 'deleted';
  /** The registry's status of the device before the sweep. */
  readonly status: string;
  /** The delivery result of each round. */
  readonly rounds: readonly string[];
  /** What the sweep did with it. */
  readonly afterSweep: 'kept' | 'deleted';
}

/** Everything the example observed. */
export interface MobilePushReport {
  /** The seed used. */
  readonly seed: number;
  /** What happened, step by step. */
  readonly steps: readonly string[];
  /** Per user, the devices the registry had before the sweep. */
  readonly users: readonly { readonly userId: string; readonly devices: readonly DeviceRow[] }[];
  /** Notifications delivered, over both rounds. */
  readonly delivered: number;
  /** Notifications the push service refused (the rejected token). */
  readonly rejected: number;
  /** Delivered notifications expected from the story. */
  readonly expectedDelivered: number;
  /** Notifications that reached someone they were not meant for (must be none). */
  readonly misdirected: readonly MisdirectedDelivery[];
  /** The sweep's result. */
  readonly sweep: SweepReport;
  /** Everything that disagrees with the story. */
  readonly problems: readonly string[];
  /** Resources that could not be deleted. */
  readonly cleanupFailures: readonly string[];
  /** `true` when there are no problems. */
  readonly ok: boolean;
}

function resultText(result: DeliveryResult | undefined, refused: ReadonlySet<string>): string {
  if (result === undefined) return '-';
  switch (result.status) {
    case 'sent':
      if (refused.has(result.messageId)) return 'sent, refused by APNs/FCM';
      return result.attempts > 1 ? `sent (${result.attempts} attempts)` : 'sent';
    case 'disabled':
      return result.reason === 'endpoint-disabled' ? 'endpoint disabled' : 'endpoint deleted';
    case 'skipped':
      return 'skipped (inactive)';
    case 'failed':
      return `failed: ${result.code}`;
  }
}

async function endpointState(sns: SNSClient, endpointArn: string): Promise<'enabled' | 'disabled' | 'deleted'> {
  try {
    const out = await sns.send(new GetEndpointAttributesCommand({ EndpointArn: endpointArn }));
    return out.Attributes?.['Enabled'] === 'true' ? 'enabled' : 'disabled';
  } catch (error) {
    if (error instanceof Error && error.name === 'NotFoundException') return 'deleted';
    throw error;
  }
}

/**
 * The story: two apps, five people, a rotated token, a phone handed to someone else, an app
 * uninstalled (its token rejected by the push service), two rounds of notifications to every
 * user, and a sweep a month later. Every delivery is checked against who really holds each phone.
 *
 * @param options - Clients, the push-service hooks, seed, prefix.
 * @returns The report; `ok` is false when anything disagrees with the story.
 */
export async function runMobilePush(options: MobilePushOptions): Promise<MobilePushReport> {
  const { sns, dynamodb, pushService } = options;
  const seed = options.seed ?? 20260501;
  const prefix = options.prefix ?? `herald-push-${Date.now().toString(36)}`;
  const progress = options.onProgress ?? (() => undefined);
  const steps: string[] = [];
  const problems: string[] = [];
  const step = (line: string): void => {
    steps.push(line);
    progress(line);
  };

  const infra = await createInfrastructure(sns, dynamodb, prefix);
  step(`created the registry table ${infra.tableName}, ${infra.ios.platform} application ${infra.ios.name} (token auth, key made now) and ${infra.android.platform} application ${infra.android.name}`);
  // The registry's clock runs a month ahead for the sweep; nothing else needs to wait.
  let clockOffsetMs = 0;
  const registry: PushRegistry = createPushRegistry({
    sns,
    dynamodb,
    tableName: infra.tableName,
    platformApplications: { ios: infra.ios, android: infra.android },
    clock: { now: () => Date.now() + clockOffsetMs },
  });

  // The story's truth: who holds which handset, and each handset's current token.
  const holderOf = new Map<string, string>(); // token -> user
  const handsetOf = new Map<string, Handset>(); // token -> handset
  const tokenOf = new Map<Handset, string>();
  const owner = new Map<Handset, string>();
  const rejected = new Set<string>();
  const setToken = (handset: Handset, token: string, user: string): void => {
    const previous = tokenOf.get(handset);
    if (previous !== undefined) {
      holderOf.delete(previous);
      handsetOf.delete(previous);
    }
    tokenOf.set(handset, token);
    owner.set(handset, user);
    holderOf.set(token, user);
    handsetOf.set(token, handset);
  };

  let cleanupFailures: string[] = [];
  try {
    // 1. Everyone signs in on their phones.
    for (const user of USERS) {
      for (const handset of CAST[user] ?? []) {
        const token = tokenFor(seed, handset);
        const result = await registry.register({ userId: user, platform: handset.platform, token, deviceId: handset.installationId });
        setToken(handset, token, user);
        if (result.endpoint !== 'created') problems.push(`${handset.name}: expected a new endpoint, got "${result.endpoint}"`);
      }
    }
    step(`registered ${tokenOf.size} devices of ${USERS.filter((u) => (CAST[u] ?? []).length > 0).length} users`);

    // 2. bob's app gets a new token (an OS update): same installation, same endpoint.
    const pixel = CAST['bob']?.[0] as Handset;
    const before = (await registry.devicesOf('bob'))[0]?.endpointArn;
    const rotatedToken = tokenFor(seed, pixel, 1);
    const rotated = await registry.register({ userId: 'bob', platform: pixel.platform, token: rotatedToken, deviceId: pixel.installationId });
    setToken(pixel, rotatedToken, 'bob');
    if (rotated.device.endpointArn !== before) problems.push('the token rotation created a new endpoint instead of updating the old one');
    step(`rotated the token of ${pixel.name}: ${rotated.updatedAttributes.join(' + ')} set on the same endpoint`);

    // 3. carol gives her iPhone to erin, who signs in on it.
    const carolsPhone = CAST['carol']?.[0] as Handset;
    const phoneToken = tokenOf.get(carolsPhone) ?? '';
    const handover = await registry.register({ userId: 'erin', platform: carolsPhone.platform, token: phoneToken, deviceId: carolsPhone.installationId });
    setToken(carolsPhone, phoneToken, 'erin');
    if (handover.movedFrom?.userId !== 'carol') problems.push(`the handed-over phone was not moved from carol (moved from ${handover.movedFrom?.userId ?? 'nobody'})`);
    if ((await registry.devicesOf('carol')).length !== 0) problems.push('carol still has devices after giving her phone away');
    step(`${carolsPhone.name} now belongs to erin: carol's record removed, CustomUserData now "erin"`);

    // 4. dave uninstalls the app on his old iPhone: APNs now refuses its token.
    const oldPhone = CAST['dave']?.[1] as Handset;
    const oldToken = tokenOf.get(oldPhone) ?? '';
    await pushService.rejectToken(oldToken);
    rejected.add(oldToken);
    step(`the push service now rejects the token of ${oldPhone.name} (${redactToken(oldToken)})`);

    // 5. Two rounds of notifications to every user.
    const roundResults: Map<string, DeliveryResult>[] = [];
    const deliveries: PushServiceDelivery[] = [];
    const refusedMessages = new Set<string>();
    let expectedDelivered = 0;
    for (const round of [1, 2]) {
      await pushService.clearDeliveries();
      const results = new Map<string, DeliveryResult>();
      for (const user of USERS) {
        const sent = await registry.sendToUser(user, {
          title: `Round ${round}`,
          body: `Hello ${user}, your order has shipped.`,
          badge: round,
          sound: 'default',
          data: { forUser: user, round: String(round) },
          ttlSeconds: 3600,
        });
        for (const result of sent) results.set(`${user}/${result.device.deviceKey}`, result);
      }
      const seen = await pushService.deliveries();
      deliveries.push(...seen);
      for (const delivery of seen) if (delivery.outcome === 'rejected') refusedMessages.add(delivery.messageId);
      roundResults.push(results);
      // Each phone whose token the push service accepts gets exactly one notification a round.
      for (const [token] of holderOf) {
        if (rejected.has(token)) continue;
        expectedDelivered += 1;
        const count = seen.filter((d) => d.token === token && d.outcome === 'delivered').length;
        if (count !== 1) problems.push(`round ${round}: ${handsetOf.get(token)?.name ?? '?'} received ${count} notifications, expected 1`);
      }
      const counts = [...results.values()].reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
      step(`round ${round}: ${Object.entries(counts).map(([status, n]) => `${n} ${status}`).join(', ')}; the push service delivered ${seen.filter((d) => d.outcome === 'delivered').length}, refused ${seen.filter((d) => d.outcome === 'rejected').length}`);
    }
    const daveOld = `dave/id:${oldPhone.installationId}`;
    if (roundResults[0]?.get(daveOld)?.status !== 'sent') problems.push("round 1: dave's old iPhone should still be accepted by SNS (it learns of the rejection on delivery)");
    if (roundResults[1]?.get(daveOld)?.status !== 'disabled') problems.push("round 2: dave's old iPhone should be reported disabled");

    // 6. The tables (state before the sweep).
    const users: { userId: string; devices: DeviceRow[] }[] = [];
    for (const user of USERS) {
      const rows: DeviceRow[] = [];
      for (const device of await registry.devicesOf(user)) {
        const handset = [...owner.keys()].find((h) => `id:${h.installationId}` === device.deviceKey);
        rows.push({
          handset: handset?.name ?? device.deviceKey,
          deviceKey: device.deviceKey,
          platform: device.platform,
          token: device.token,
          endpoint: await endpointState(sns, device.endpointArn),
          status: device.status,
          rounds: roundResults.map((r) => resultText(r.get(`${user}/${device.deviceKey}`), refusedMessages)),
          afterSweep: 'kept',
        });
      }
      users.push({ userId: user, devices: rows });
    }

    // 7. A month later, the nightly sweep removes what stayed disabled for 30 days.
    clockOffsetMs = 31 * DAY_MS;
    const sweep = await registry.sweepDisabled({ olderThanDays: 30 });
    const deleted = sweep.outcomes.filter((o) => o.status === 'deleted');
    for (const user of users) {
      for (const [index, row] of user.devices.entries()) {
        if (deleted.some((o) => o.device.userId === user.userId && o.device.deviceKey === row.deviceKey)) user.devices[index] = { ...row, afterSweep: 'deleted' };
      }
    }
    if (deleted.length !== 1 || deleted[0]?.device.userId !== 'dave') {
      problems.push(`the sweep deleted ${deleted.length} devices; expected only dave's old iPhone`);
    }
    step(`a month later, sweepDisabled({ olderThanDays: 30 }) deleted ${sweep.deleted} endpoint(s) and their records`);

    const misdirected = findMisdirected(deliveries, (token) => holderOf.get(token), redactToken);
    for (const wrong of misdirected) problems.push(`a notification for ${wrong.meantFor} reached ${wrong.reached} (${wrong.token})`);
    const delivered = deliveries.filter((d) => d.outcome === 'delivered').length;
    if (delivered !== expectedDelivered) problems.push(`${delivered} notifications delivered, expected ${expectedDelivered}`);

    cleanupFailures = await deleteInfrastructure(sns, dynamodb, infra);
    return {
      seed,
      steps,
      users,
      delivered,
      rejected: deliveries.filter((d) => d.outcome === 'rejected').length,
      expectedDelivered,
      misdirected,
      sweep,
      problems,
      cleanupFailures,
      ok: problems.length === 0 && cleanupFailures.length === 0,
    };
  } catch (error) {
    const leftovers = await deleteInfrastructure(sns, dynamodb, infra);
    if (leftovers.length > 0) throw new Error(`The example failed (${String(error)}); could not delete: ${leftovers.join('; ')}`, { cause: error });
    throw error;
  }
}
