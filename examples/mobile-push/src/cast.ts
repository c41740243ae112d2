import { createHash } from 'node:crypto';

/** One app installation in the story. */
export interface Handset {
  /** A readable name for the tables. */
  readonly name: string;
  /** The registry platform: `ios` (APNs sandbox) or `android` (FCM). */
  readonly platform: 'ios' | 'android';
  /** The app's installation id, sent as `deviceId`. */
  readonly installationId: string;
}

/** The people and the phones they start with. */
export const CAST: Readonly<Record<string, readonly Handset[]>> = {
  alice: [
    { name: "alice's iPhone", platform: 'ios', installationId: 'inst-alice-iphone' },
    { name: "alice's tablet", platform: 'android', installationId: 'inst-alice-tablet' },
  ],
  bob: [{ name: "bob's Pixel", platform: 'android', installationId: 'inst-bob-pixel' }],
  carol: [{ name: "carol's iPhone", platform: 'ios', installationId: 'inst-carol-iphone' }],
  dave: [
    { name: "dave's iPhone", platform: 'ios', installationId: 'inst-dave-iphone' },
    { name: "dave's old iPhone", platform: 'ios', installationId: 'inst-dave-old-iphone' },
  ],
  erin: [],
};

/** Every user in the story, in print order. */
export const USERS = Object.keys(CAST);

/**
 * A device token for a handset, derived from the seed so runs are repeatable: 64 hex digits for
 * APNs, an FCM-style registration token for Android.
 *
 * @param seed - The run's seed.
 * @param handset - The handset.
 * @param generation - 0 for its first token, 1 after a rotation, ...
 * @returns The token.
 */
export function tokenFor(seed: number, handset: Handset, generation = 0): string {
  const digest = createHash('sha256').update(`${seed}:${handset.installationId}:${generation}`).digest();
  if (handset.platform === 'ios') return digest.toString('hex');
  return `${digest.subarray(0, 8).toString('hex')}:APA91b${createHash('sha512').update(digest).digest('base64url')}`;
}
