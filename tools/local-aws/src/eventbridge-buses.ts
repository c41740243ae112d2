import type { Clock } from '@herald/core';
import { DEFAULT_EVENT_BUS, eventBusArn, eventBusNameOf } from './eventbridge-arns.js';
import { checkName, optionalLimit, optionalString, pageOf, requiredString, type EventBridgeInput } from './eventbridge-input.js';
import { EventBridgeRequestError, notFoundError, validationError } from './eventbridge-responses.js';

/** One event bus. */
export interface EventBus {
  /** Its name. */
  readonly name: string;
  /** Its description, if any. */
  readonly description: string | undefined;
  /** When it was created, epoch ms. */
  readonly createdAtMs: number;
}

const BUS_NAME_PATTERN = /^[/.\-_A-Za-z0-9]+$/;
const BUS_NAME_MAX = 256;
const DESCRIPTION_MAX = 512;
const LIST_LIMIT_MAX = 100;

/**
 * The event buses of the local endpoint: `default` always exists. Buses are shared by every
 * region (as fauxqs's queues are); the region of each request only shapes the ARNs returned.
 */
export class EventBusRegistry {
  readonly #buses = new Map<string, EventBus>();
  readonly #clock: Clock;

  /** @param clock - Gives creation times. */
  constructor(clock: Clock) {
    this.#clock = clock;
    this.#buses.set(DEFAULT_EVENT_BUS, { name: DEFAULT_EVENT_BUS, description: undefined, createdAtMs: clock.now() });
  }

  /**
   * Whether a bus exists.
   *
   * @param name - The bus name.
   */
  has(name: string): boolean {
    return this.#buses.has(name);
  }

  /**
   * Finds a bus or fails as AWS does.
   *
   * @param name - The bus name.
   * @returns The bus.
   * @throws `ResourceNotFoundException` "Event bus X does not exist."
   */
  require(name: string): EventBus {
    const bus = this.#buses.get(name);
    if (bus === undefined) throw notFoundError(`Event bus ${name} does not exist.`);
    return bus;
  }

  /**
   * `CreateEventBus`.
   *
   * @param input - The request.
   * @param region - Region for the ARN.
   * @returns The output shape.
   */
  create(input: EventBridgeInput, region: string): Record<string, unknown> {
    const name = requiredString(input, 'Name');
    checkName(name, 'name', BUS_NAME_PATTERN, BUS_NAME_MAX);
    if (optionalString(input, 'EventSourceName') !== undefined) {
      throw validationError('Partner event buses (EventSourceName) are not supported by local-aws. Create a custom bus without EventSourceName.');
    }
    if (name.includes('/')) {
      throw validationError(`Event bus name ${name} is not valid: custom event bus names cannot contain '/'.`);
    }
    const description = optionalString(input, 'Description');
    if (description !== undefined && description.length > DESCRIPTION_MAX) {
      throw validationError(
        `1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to ${DESCRIPTION_MAX}`,
      );
    }
    if (this.#buses.has(name)) {
      throw new EventBridgeRequestError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
    }
    this.#buses.set(name, { name, description, createdAtMs: this.#clock.now() });
    return { EventBusArn: eventBusArn(region, name), ...(description === undefined ? {} : { Description: description }) };
  }

  /**
   * `DescribeEventBus` (the default bus when no `Name` is given).
   *
   * @param input - The request.
   * @param region - Region for the ARN.
   * @returns The output shape.
   */
  describe(input: EventBridgeInput, region: string): Record<string, unknown> {
    return busShape(this.require(eventBusNameOf(optionalString(input, 'Name'))), region);
  }

  /**
   * `DeleteEventBus`: refuses the default bus and a bus that still has rules (as AWS does);
   * deleting a bus that does not exist succeeds.
   *
   * @param input - The request.
   * @param hasRules - Whether a bus still has rules.
   * @returns The (empty) output shape.
   */
  delete(input: EventBridgeInput, hasRules: (busName: string) => boolean): Record<string, unknown> {
    const name = eventBusNameOf(requiredString(input, 'Name'));
    if (name === DEFAULT_EVENT_BUS) throw validationError('Cannot delete event bus default.');
    if (!this.#buses.has(name)) return {};
    if (hasRules(name)) throw validationError("EventBus can't be deleted since it has rules.");
    this.#buses.delete(name);
    return {};
  }

  /**
   * `ListEventBuses`, by name, with `NamePrefix`, `Limit` and `NextToken`.
   *
   * @param input - The request.
   * @param region - Region for the ARNs.
   * @returns The output shape.
   */
  list(input: EventBridgeInput, region: string): Record<string, unknown> {
    const prefix = optionalString(input, 'NamePrefix') ?? '';
    const limit = optionalLimit(input, 'Limit', LIST_LIMIT_MAX);
    const matching = [...this.#buses.values()].filter((bus) => bus.name.startsWith(prefix)).sort((a, b) => (a.name < b.name ? -1 : 1));
    const { page, nextToken } = pageOf(matching, limit, optionalString(input, 'NextToken'));
    return { EventBuses: page.map((bus) => busShape(bus, region)), ...(nextToken === undefined ? {} : { NextToken: nextToken }) };
  }
}

function busShape(bus: EventBus, region: string): Record<string, unknown> {
  const seconds = bus.createdAtMs / 1000;
  return {
    Name: bus.name,
    Arn: eventBusArn(region, bus.name),
    ...(bus.description === undefined ? {} : { Description: bus.description }),
    CreationTime: seconds,
    LastModifiedTime: seconds,
  };
}
