import type { FunctionTarget, RouteOutcome } from './fanout-types.js';
import { errorCode, errorText, failedOutcome, type TargetRunner } from './target-runner.js';

/** Default of `maxConcurrency`. */
export const DEFAULT_FUNCTION_CONCURRENCY = 16;

/**
 * The runner of a function target: calls the handler once per message, at most
 * `maxConcurrency` at a time (further messages wait in dispatch order), and turns a throw, a
 * rejection or a `timeoutMs` overrun into a failed outcome. A timed-out call's signal is
 * aborted and its place is given to the next message at once.
 *
 * @param route - The route's name.
 * @param target - The target's configuration (checked by the router).
 */
export function createFunctionTarget(route: string, target: FunctionTarget): TargetRunner {
  const { handler, timeoutMs } = target;
  const maxConcurrency = target.maxConcurrency ?? DEFAULT_FUNCTION_CONCURRENCY;
  /** Calls waiting for a free place, in dispatch order. */
  const waiting: Array<() => void> = [];
  /** Every delivery not yet settled, for flush() and close(). */
  const unsettled = new Set<Promise<RouteOutcome>>();
  let running = 0;

  function release(): void {
    running--;
    const next = waiting.shift();
    if (next !== undefined) next();
  }

  function call(message: Parameters<TargetRunner['deliver']>[0], id: string, settle: (outcome: RouteOutcome) => void): void {
    running++;
    const controller = new AbortController();
    let done = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (outcome: RouteOutcome): void => {
      if (done) return;
      done = true;
      if (timer !== undefined) clearTimeout(timer);
      release();
      settle(outcome);
    };
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => {
        const message = `The function did not finish within ${timeoutMs} ms; its signal was aborted and its result will be ignored.`;
        controller.abort(new Error(message));
        finish({ ...failedOutcome(route, 'function', 'Timeout', message), attempts: 1 });
      }, timeoutMs);
    }
    const fail = (error: unknown): void => {
      const outcome = failedOutcome(route, 'function', errorCode(error, 'FunctionFailed'), errorText(error), error);
      finish({ ...outcome, attempts: 1 });
    };
    let returned: unknown;
    try {
      returned = handler(message, { route, id, signal: controller.signal });
    } catch (error) {
      fail(error);
      return;
    }
    Promise.resolve(returned).then(() => finish({ route, target: 'function', status: 'delivered', attempts: 1 }), fail);
  }

  return {
    type: 'function',
    deliver(message, id) {
      const pending = new Promise<RouteOutcome>((resolve) => {
        const start = (): void => call(message, id, resolve);
        if (running < maxConcurrency) start();
        else waiting.push(start);
      });
      unsettled.add(pending);
      void pending.then(() => unsettled.delete(pending));
      return pending;
    },
    async flush() {
      await Promise.all([...unsettled]);
    },
    async close() {
      await Promise.all([...unsettled]);
    },
  };
}
