import type { AwsService } from './aws-service.js';
import type { FaultCounts, FaultOptions } from './fault-options.js';
import { validateFaultOptions } from './fault-options.js';
import { createSeededRandom } from '@herald/core';

type RandomSource = () => number;

/** What happens to one request. */
export type RequestFault = 'none' | 'throttle' | 'serverError' | 'reset' | 'resetAfterForward';

interface MutableFaultCounts {
  throttle: number;
  serverError: number;
  reset: number;
  resetAfterForward: number;
  failedEntries: number;
}

/**
 * Decides faults for requests from a seeded sequence. Only requests that match the
 * `services` / `actions` filters consume draws, so requests outside the filter (e.g. set-up
 * calls) do not shift the sequence.
 */
export class FaultInjector {
  #options: FaultOptions | undefined;
  #random: RandomSource = () => 1;
  readonly #counts: MutableFaultCounts = {
    throttle: 0,
    serverError: 0,
    reset: 0,
    resetAfterForward: 0,
    failedEntries: 0,
  };

  /** @param options - Initial faults, or `undefined` for none. */
  constructor(options: FaultOptions | undefined) {
    this.configure(options);
  }

  /**
   * Replaces the fault options and restarts the sequence from the new seed. Counters keep counting.
   *
   * @param options - New faults, or `undefined` to turn faults off.
   */
  configure(options: FaultOptions | undefined): void {
    if (options !== undefined) validateFaultOptions(options);
    this.#options = options;
    this.#random = options === undefined ? () => 1 : createSeededRandom(options.seed);
  }

  /** @returns A copy of the counters of injected faults. */
  counts(): FaultCounts {
    return { ...this.#counts };
  }

  /**
   * Whether faults apply to this request at all.
   *
   * @param service - Service of the request.
   * @param action - Action of the request.
   */
  applies(service: AwsService, action: string): boolean {
    const options = this.#options;
    if (options === undefined) return false;
    if (options.services !== undefined && !options.services.includes(service)) return false;
    if (options.actions !== undefined && !options.actions.includes(action)) return false;
    return true;
  }

  /**
   * Draws the request-level fault for an eligible request and counts it.
   *
   * @param service - Service of the request.
   * @param action - Action of the request.
   * @returns The fault to inject, `'none'` when the request passes.
   */
  decideRequest(service: AwsService, action: string): RequestFault {
    const options = this.#options;
    if (options === undefined || !this.applies(service, action)) return 'none';
    const draw = this.#random();
    let threshold = 0;
    const buckets: readonly [Exclude<RequestFault, 'none'>, number | undefined][] = [
      ['throttle', options.throttle],
      ['serverError', options.serverError],
      ['reset', options.reset],
      ['resetAfterForward', options.resetAfterForward],
    ];
    for (const [fault, fraction] of buckets) {
      threshold += fraction ?? 0;
      if (draw < threshold) {
        this.#counts[fault] += 1;
        return fault;
      }
    }
    return 'none';
  }

  /**
   * Chooses which entries of an eligible batch request to fail (one draw per entry, in order).
   *
   * @param service - Service of the request.
   * @param action - Action of the request.
   * @param entryCount - Number of entries in the request.
   * @returns Zero-based positions of the entries to fail.
   */
  chooseFailedEntries(service: AwsService, action: string, entryCount: number): number[] {
    const fraction = this.#options?.failedEntries ?? 0;
    if (fraction <= 0 || !this.applies(service, action)) return [];
    const chosen: number[] = [];
    for (let index = 0; index < entryCount; index += 1) {
      if (this.#random() < fraction) chosen.push(index);
    }
    return chosen;
  }

  /**
   * Counts failed entries once they have really been reported to the caller.
   *
   * @param count - Number of entries reported as failed.
   */
  recordFailedEntries(count: number): void {
    this.#counts.failedEntries += count;
  }
}
