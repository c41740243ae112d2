import type { AwsService } from '../aws-service.js';
import { localHandlerKey, type LocalHandler } from '../local-handlers.js';
import { publishToEndpoint } from './endpoint-publish.js';
import { platformActions, platformHandler } from './platform-actions.js';
import { isPlatformEndpointArn } from './platform-arns.js';
import { invalidParameter } from './platform-errors.js';
import { PlatformStore } from './platform-store.js';
import type { LocalPushDelivery, LocalPushService } from './push-deliveries.js';
import { jsonControlResponse, queryResponse, xmlElement } from './query-responses.js';

/**
 * local-aws's own awsQuery actions that reach the push-service hooks from another process
 * (`pnpm example` runs examples as child processes): POST a form with one of these `Action`s to
 * the endpoint; the answer is JSON.
 */
export const PUSH_CONTROL_ACTIONS = {
  /** `Token=<token>`: {@link LocalPushService.rejectToken}. Answers `{"ok":true}`. */
  rejectToken: 'LocalAwsPushRejectToken',
  /** `Token=<token>`: {@link LocalPushService.acceptToken}. Answers `{"ok":true}`. */
  acceptToken: 'LocalAwsPushAcceptToken',
  /** {@link LocalPushService.deliveries}. Answers `{"deliveries":[...]}`. */
  deliveries: 'LocalAwsPushDeliveries',
  /** {@link LocalPushService.clearDeliveries}. Answers `{"ok":true}`. */
  clearDeliveries: 'LocalAwsPushClearDeliveries',
} as const;

/** The SNS platform handlers of one local-aws instance. */
export interface SnsPlatformHandlers {
  /**
   * The handler for an SNS `Publish` whose `TargetArn` names a platform endpoint; `undefined`
   * for every other request (which then goes to fauxqs, e.g. `Publish` to a topic).
   *
   * @param service - The request's service.
   * @param action - The request's action.
   * @param body - The request body.
   */
  publishHandlerFor(service: AwsService, action: string, body: Buffer): LocalHandler | undefined;
  /** The push-service test hooks. */
  readonly push: LocalPushService;
}

/**
 * Adds the SNS platform application and endpoint actions (and local-aws's push-service control
 * actions) to a local handler registry, on fresh in-memory state.
 *
 * @param handlers - The registry from `createLocalHandlers()`.
 * @param now - Time source for delivery records. Default `Date.now`.
 * @returns What the front endpoint needs besides the registry: the `Publish` router and the test hooks.
 */
export function registerSnsPlatformHandlers(
  handlers: Map<string, LocalHandler>,
  now: () => number = Date.now,
): SnsPlatformHandlers {
  const store = new PlatformStore();
  const rejectedTokens = new Set<string>();
  const deliveries: LocalPushDelivery[] = [];

  for (const [action, run] of platformActions(store)) handlers.set(localHandlerKey('sns', action), platformHandler(run));

  const requiredToken = (form: URLSearchParams): string => {
    const token = form.get('Token');
    if (token === null || token === '') throw invalidParameter('Invalid parameter: Token Reason: cannot be empty');
    return token;
  };
  const control: Record<string, (form: URLSearchParams) => unknown> = {
    [PUSH_CONTROL_ACTIONS.rejectToken]: (form) => (rejectedTokens.add(requiredToken(form)), { ok: true }),
    [PUSH_CONTROL_ACTIONS.acceptToken]: (form) => (rejectedTokens.delete(requiredToken(form)), { ok: true }),
    [PUSH_CONTROL_ACTIONS.deliveries]: () => ({ deliveries }),
    [PUSH_CONTROL_ACTIONS.clearDeliveries]: () => ((deliveries.length = 0), { ok: true }),
  };
  for (const [action, run] of Object.entries(control)) {
    handlers.set(localHandlerKey('sns', action), platformHandler((form) => jsonControlResponse(run(form))));
  }

  const publish = platformHandler((form) => {
    const delivery = publishToEndpoint(store, form, (token) => rejectedTokens.has(token), now());
    deliveries.push(delivery);
    return queryResponse('Publish', xmlElement('MessageId', delivery.messageId));
  });

  return {
    publishHandlerFor(service, action, body) {
      if (service !== 'sns' || action !== 'Publish') return undefined;
      const targetArn = new URLSearchParams(body.toString('utf8')).get('TargetArn');
      return targetArn !== null && isPlatformEndpointArn(targetArn) ? publish : undefined;
    },
    push: {
      rejectToken(token) {
        rejectedTokens.add(token);
      },
      acceptToken(token) {
        rejectedTokens.delete(token);
      },
      deliveries() {
        return [...deliveries];
      },
      clearDeliveries() {
        deliveries.length = 0;
      },
      credentialFingerprint(platformApplicationArn) {
        return store.credentialFingerprint(platformApplicationArn);
      },
    },
  };
}
