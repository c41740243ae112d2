import { deletePlatformEndpoint } from './platform-endpoint-calls.js';
import { type RegistryContext, deviceRemovalItems, readDevice, readToken, writeTransaction } from './registry-context.js';
import { InvalidRegistrationError, RegistrationConflictError } from './registry-errors.js';
import { publicDevice, type RegisteredDevice } from './registry-items.js';
import { deviceIdKey, resolveRegistration, validateDeviceId, validateUserId } from './registration-input.js';

/** A device named by the device id it was registered with. */
export interface DeviceIdReference {
  /** The user. */
  readonly userId: string;
  /** The device id given to `register`. */
  readonly deviceId: string;
}

/** A device named by the platform and token it was registered with (no device id). */
export interface DeviceTokenReference {
  /** The user. */
  readonly userId: string;
  /** The platform name given to `register`. */
  readonly platform: string;
  /** The token given to `register`. */
  readonly token: string;
}

/** Which device to unregister: by device id, or by the platform and token it was registered with. */
export type DeviceReference = DeviceIdReference | DeviceTokenReference;

/** Options of `unregister`. */
export interface UnregisterOptions {
  /**
   * Also delete the SNS endpoint (default `true`): the app signed out, so nothing should reach
   * it until it registers again, which creates a new endpoint. `false` keeps the endpoint.
   */
  readonly deleteEndpoint?: boolean;
}

/** What `unregister` did. */
export interface UnregisterResult {
  /** The device record removed, or `undefined` when the user had no such device. */
  readonly removed: RegisteredDevice | undefined;
  /** Whether its SNS endpoint was deleted. */
  readonly endpointDeleted: boolean;
}

/**
 * Removes a device of a user: its record, its token's ownership (if still its own), and by
 * default its SNS endpoint. The endpoint is deleted before the records, so a failed
 * `DeleteEndpoint` leaves the device registered and a retry completes the removal.
 *
 * @param context - The registry.
 * @param reference - Which device.
 * @param options - See {@link UnregisterOptions}.
 * @returns What was removed.
 */
export async function unregisterDevice(
  context: RegistryContext,
  reference: DeviceReference,
  options: UnregisterOptions = {},
): Promise<UnregisterResult> {
  if (typeof reference !== 'object' || reference === null) throw new InvalidRegistrationError('Pass { userId, deviceId } or { userId, platform, token }.');
  validateUserId(reference.userId);
  let deviceKey: string;
  if ('deviceId' in reference) {
    if (typeof reference.deviceId !== 'string') throw new InvalidRegistrationError('deviceId must be the string the device was registered with.');
    validateDeviceId(reference.deviceId);
    deviceKey = deviceIdKey(reference.deviceId);
  } else {
    deviceKey = resolveRegistration(context, reference).deviceKey;
  }
  for (let attempt = 1; attempt <= context.maxWriteAttempts; attempt += 1) {
    const device = await readDevice(context, reference.userId, deviceKey);
    if (device === undefined) return { removed: undefined, endpointDeleted: false };
    const owner = await readToken(context, device.applicationArn, device.tokenHash);
    const ownsToken = owner !== undefined && owner.userId === device.userId && owner.deviceKey === device.deviceKey;
    // Only an endpoint no other record uses is deleted. It goes first: when DeleteEndpoint fails,
    // nothing is removed yet and retrying `unregister` finds the device again. Removing the
    // records first would forget, on that failure, an endpoint that still exists.
    const deleteEndpoint = (options.deleteEndpoint ?? true) && (ownsToken || owner === undefined);
    if (deleteEndpoint) await deletePlatformEndpoint(context, device.endpointArn);
    const items = deviceRemovalItems(context, device, ownsToken ? owner : undefined);
    if (!(await writeTransaction(context, items))) continue;
    context.logger.info('push-tokens: device unregistered', { userId: device.userId, deviceKey: device.deviceKey, endpointDeleted: deleteEndpoint });
    return { removed: publicDevice(device), endpointDeleted: deleteEndpoint };
  }
  throw new RegistrationConflictError(context.maxWriteAttempts);
}
