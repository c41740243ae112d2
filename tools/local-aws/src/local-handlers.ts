import type { AwsService } from './aws-service.js';
import { serviceErrorResponse } from './error-responses.js';
import type { LocalResponse } from './local-response.js';

/** A request as seen by a handler the local endpoint implements itself. */
export interface LocalRequest {
  /** Service of the request. */
  readonly service: AwsService;
  /** Action of the request. */
  readonly action: string;
  /** Request headers (lower-case names, hop-by-hop headers removed). */
  readonly headers: Readonly<Record<string, string>>;
  /** Request body. */
  readonly body: Buffer;
}

/** Answers one action that no emulator provides (e.g. SNS platform applications). */
export type LocalHandler = (request: LocalRequest) => LocalResponse | Promise<LocalResponse>;

/**
 * The key handlers are registered under.
 *
 * @param service - The service.
 * @param action - The action name.
 */
export function localHandlerKey(service: AwsService, action: string): string {
  return `${service}:${action}`;
}

/**
 * Handlers of our own, consulted before a request goes to an emulator. Empty when created:
 * `registerSnsPlatformHandlers` (src/sns-platform/) adds the SNS platform application and
 * endpoint actions; `Publish` to a platform endpoint is routed to it from `local-aws.ts`.
 * (EventBridge, which needs the fault injector for `PutEvents` entries, is served by
 * `LocalEventBridge` in `eventbridge-service.ts`, routed from `local-aws.ts`.)
 *
 * @returns A fresh registry.
 */
export function createLocalHandlers(): Map<string, LocalHandler> {
  return new Map();
}

/**
 * The answer for an action nobody implements yet: HTTP 400 `UnknownOperationException`,
 * so the SDK fails at once (no retries) with a message that says what is missing.
 *
 * @param service - The service.
 * @param action - The action name.
 */
export function notImplementedResponse(service: AwsService, action: string): LocalResponse {
  return serviceErrorResponse(service, {
    statusCode: 400,
    code: 'UnknownOperationException',
    message: `${service} ${action || '(no action)'} is not implemented by tools/local-aws yet. Add a handler in tools/local-aws/src/local-handlers.ts or use real AWS for it.`,
    fault: 'Sender',
  });
}
