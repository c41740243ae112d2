import { LOCAL_ACCOUNT_ID, eventBusNameOf, parseSqsQueueArn, ruleArn } from './eventbridge-arns.js';
import type { EventBusRegistry } from './eventbridge-buses.js';
import {
  checkName,
  isJsonObject,
  optionalLimit,
  optionalString,
  pageOf,
  requiredString,
  type EventBridgeInput,
} from './eventbridge-input.js';
import { EventBridgeRequestError, notFoundError, validationError } from './eventbridge-responses.js';

/**
 * Decides whether an event matches an EventBridge event pattern, e.g. `matchesEventPattern`
 * from `@herald/fanout`. local-aws has no matcher of its own (it must not depend on
 * `@herald/fanout`), so rules with an `EventPattern` need one.
 *
 * @param pattern - The rule's `EventPattern`, parsed from JSON (always a JSON object).
 * @param event - The event as EventBridge gives it to rules: `version`, `id`, `detail-type`,
 *   `source`, `account`, `time`, `region`, `resources`, `detail` (parsed).
 * @returns `true` when the event matches.
 */
export type EventPatternMatcher = (pattern: unknown, event: unknown) => boolean;

/**
 * Says what is wrong with an event pattern, so `PutRule` can refuse it as EventBridge would
 * (`InvalidEventPatternException`).
 *
 * @param pattern - The pattern, parsed from JSON (always a JSON object).
 * @returns `undefined` when the pattern is valid, else the reason it is not.
 */
export type EventPatternValidator = (pattern: unknown) => string | undefined;

/** One target of a rule. */
export interface RuleTarget {
  /** The target `Id`. */
  readonly id: string;
  /** The target ARN (an SQS queue ARN: the only kind local-aws delivers to). */
  readonly arn: string;
  /** Constant JSON text sent instead of the event, if set. */
  readonly input: string | undefined;
  /** `$` or `$.a.b`: the part of the event sent, if set. */
  readonly inputPath: string | undefined;
  /** `SqsParameters.MessageGroupId`, for a FIFO queue. */
  readonly messageGroupId: string | undefined;
  /** The target as it was sent, returned by `ListTargetsByRule`. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** One rule. */
export interface EventRule {
  /** The rule name. */
  readonly name: string;
  /** The bus it is on. */
  readonly busName: string;
  /** `EventPattern` as sent (JSON text). */
  readonly eventPattern: string;
  /** `EventPattern`, parsed. */
  readonly pattern: Readonly<Record<string, unknown>>;
  /** `ENABLED`, `DISABLED` or `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`. */
  readonly state: string;
  /** Its description, if any. */
  readonly description: string | undefined;
  /** Its targets by `Id`, in the order they were first put. */
  readonly targets: Map<string, RuleTarget>;
}

/** A target an event is to be delivered to, and the rule that matched. */
export interface MatchedTarget {
  /** The rule that matched. */
  readonly rule: EventRule;
  /** The target. */
  readonly target: RuleTarget;
}

/** Thrown when the event-pattern matcher given to local-aws throws. */
export class EventPatternMatcherError extends EventBridgeRequestError {
  /**
   * @param ruleName - The rule whose pattern was being evaluated.
   * @param cause - What the matcher threw.
   */
  constructor(ruleName: string, cause: unknown) {
    super(
      'LocalAwsEventPatternMatcherFailed',
      `The eventPatternMatcher given to local-aws threw while evaluating rule ${ruleName}: ${cause instanceof Error ? cause.message : String(cause)}. No entry of this PutEvents was accepted; fix the matcher or the rule's pattern.`,
    );
  }
}

const RULE_NAME_PATTERN = /^[.\-_A-Za-z0-9]+$/;
const RULE_NAME_MAX = 64;
const TARGET_ID_PATTERN = /^[.\-_A-Za-z0-9]+$/;
const TARGET_ID_MAX = 64;
const RULE_STATES = new Set(['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS']);
const MAX_TARGETS_PER_RULE = 5;
const MAX_TARGETS_PER_REQUEST = 10;
const MAX_IDS_PER_REMOVE = 100;
const LIST_LIMIT_MAX = 100;
const INPUT_PATH = /^\$(\.[^.[\]]+)*$/;

/** What local-aws needs to evaluate rules. */
export interface EventPatternSupport {
  /** The matcher; without one, `PutRule` with an `EventPattern` is refused. */
  readonly matcher: EventPatternMatcher | undefined;
  /** An optional validator for `PutRule`. */
  readonly validator: EventPatternValidator | undefined;
}

interface TargetFailure {
  readonly TargetId: string;
  readonly ErrorCode: string;
  readonly ErrorMessage: string;
}

/** The rules of every bus, with their SQS targets. */
export class EventRuleRegistry {
  readonly #rules = new Map<string, Map<string, EventRule>>();
  readonly #buses: EventBusRegistry;
  readonly #patterns: EventPatternSupport;

  /**
   * @param buses - The buses rules are put on.
   * @param patterns - The matcher (and validator) for event patterns.
   */
  constructor(buses: EventBusRegistry, patterns: EventPatternSupport) {
    this.#buses = buses;
    this.#patterns = patterns;
  }

  /**
   * Whether a bus still has rules (then it cannot be deleted).
   *
   * @param busName - The bus.
   */
  hasRules(busName: string): boolean {
    return (this.#rules.get(busName)?.size ?? 0) > 0;
  }

  #busRules(busName: string): Map<string, EventRule> {
    let rules = this.#rules.get(busName);
    if (rules === undefined) {
      rules = new Map();
      this.#rules.set(busName, rules);
    }
    return rules;
  }

  #busOf(input: EventBridgeInput): string {
    const busName = eventBusNameOf(optionalString(input, 'EventBusName'));
    this.#buses.require(busName);
    return busName;
  }

  #requireRule(input: EventBridgeInput, nameKey: string): EventRule {
    const name = requiredString(input, nameKey);
    const busName = this.#busOf(input);
    const rule = this.#rules.get(busName)?.get(name);
    if (rule === undefined) throw notFoundError(`Rule ${name} does not exist on EventBus ${busName}.`);
    return rule;
  }

  /**
   * `PutRule`: creates or updates a rule with an `EventPattern` (its targets are kept).
   * Refused without a matcher, for a `ScheduleExpression` (not run here), and for a pattern
   * that is not a JSON object or that the validator rejects.
   *
   * @param input - The request.
   * @param region - Region for the ARN.
   * @returns The output shape.
   */
  putRule(input: EventBridgeInput, region: string): Record<string, unknown> {
    const name = requiredString(input, 'Name');
    checkName(name, 'name', RULE_NAME_PATTERN, RULE_NAME_MAX);
    const busName = this.#busOf(input);
    const eventPattern = optionalString(input, 'EventPattern');
    if (optionalString(input, 'ScheduleExpression') !== undefined) {
      throw validationError(
        'local-aws does not run scheduled rules (ScheduleExpression). Use a rule with an EventPattern, or real AWS (or EventBridge Scheduler) for schedules.',
      );
    }
    if (eventPattern === undefined) throw validationError('Parameter(s) EventPattern or ScheduleExpression must be specified.');
    const state = optionalString(input, 'State') ?? 'ENABLED';
    if (!RULE_STATES.has(state)) {
      throw validationError(
        `1 validation error detected: Value '${state}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]`,
      );
    }
    let pattern: unknown;
    try {
      pattern = JSON.parse(eventPattern);
    } catch (error) {
      throw invalidPattern(`Filter is not valid JSON (${error instanceof Error ? error.message : String(error)}).`);
    }
    if (!isJsonObject(pattern)) throw invalidPattern('Filter is not an object.');
    if (this.#patterns.matcher === undefined) {
      throw new EventBridgeRequestError(
        'LocalAwsEventPatternMatcherMissing',
        `local-aws cannot evaluate event patterns by itself, so it refuses rule ${name} rather than deliver nothing or everything. Start it with startLocalAws({ eventPatternMatcher }) (for example matchesEventPattern from @herald/fanout).`,
      );
    }
    const reason = this.#patterns.validator?.(pattern);
    if (reason !== undefined) throw invalidPattern(reason);
    const rules = this.#busRules(busName);
    const existing = rules.get(name);
    rules.set(name, {
      name,
      busName,
      eventPattern,
      pattern,
      state,
      description: optionalString(input, 'Description') ?? existing?.description,
      targets: existing?.targets ?? new Map(),
    });
    return { RuleArn: ruleArn(region, busName, name) };
  }

  /**
   * `DescribeRule`.
   *
   * @param input - The request.
   * @param region - Region for the ARN.
   * @returns The output shape.
   */
  describeRule(input: EventBridgeInput, region: string): Record<string, unknown> {
    return { ...ruleShape(this.#requireRule(input, 'Name'), region), CreatedBy: LOCAL_ACCOUNT_ID };
  }

  /**
   * `EnableRule` / `DisableRule`.
   *
   * @param input - The request.
   * @param state - `ENABLED` or `DISABLED`.
   * @returns The (empty) output shape.
   */
  setState(input: EventBridgeInput, state: 'ENABLED' | 'DISABLED'): Record<string, unknown> {
    const rule = this.#requireRule(input, 'Name');
    this.#busRules(rule.busName).set(rule.name, { ...rule, state });
    return {};
  }

  /**
   * `DeleteRule`: refused while the rule has targets (as AWS does); deleting a rule that does
   * not exist succeeds.
   *
   * @param input - The request.
   * @returns The (empty) output shape.
   */
  deleteRule(input: EventBridgeInput): Record<string, unknown> {
    const name = requiredString(input, 'Name');
    const busName = this.#busOf(input);
    const rules = this.#rules.get(busName);
    const rule = rules?.get(name);
    if (rule === undefined) return {};
    if (rule.targets.size > 0) throw validationError("Rule can't be deleted since it has targets.");
    rules?.delete(name);
    return {};
  }

  /**
   * `ListRules` of one bus, by name, with `NamePrefix`, `Limit` and `NextToken`.
   *
   * @param input - The request.
   * @param region - Region for the ARNs.
   * @returns The output shape.
   */
  listRules(input: EventBridgeInput, region: string): Record<string, unknown> {
    const busName = this.#busOf(input);
    const prefix = optionalString(input, 'NamePrefix') ?? '';
    const limit = optionalLimit(input, 'Limit', LIST_LIMIT_MAX);
    const rules = [...(this.#rules.get(busName)?.values() ?? [])]
      .filter((rule) => rule.name.startsWith(prefix))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const { page, nextToken } = pageOf(rules, limit, optionalString(input, 'NextToken'));
    return { Rules: page.map((rule) => ruleShape(rule, region)), ...(nextToken === undefined ? {} : { NextToken: nextToken }) };
  }

  /**
   * `PutTargets`: adds or replaces targets by `Id`. Only SQS queue ARNs are delivered to;
   * other targets, and `InputTransformer`, fail their own entry (`FailedEntries`) with a code
   * starting `LocalAws`, so nothing is accepted that local-aws would then silently not deliver.
   *
   * @param input - The request.
   * @returns The output shape.
   */
  putTargets(input: EventBridgeInput): Record<string, unknown> {
    const rule = this.#requireRule(input, 'Rule');
    const targets = input['Targets'];
    if (!Array.isArray(targets) || targets.length < 1 || targets.length > MAX_TARGETS_PER_REQUEST) {
      throw validationError(
        `1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must have length between 1 and ${MAX_TARGETS_PER_REQUEST}`,
      );
    }
    const accepted: RuleTarget[] = [];
    const failed: TargetFailure[] = [];
    for (const value of targets) {
      const outcome = readTarget(value);
      if ('ErrorCode' in outcome) failed.push(outcome);
      else accepted.push(outcome);
    }
    const ids = new Set([...rule.targets.keys(), ...accepted.map((target) => target.id)]);
    if (ids.size > MAX_TARGETS_PER_RULE) {
      throw new EventBridgeRequestError('LimitExceededException', 'The requested resource exceeds the maximum number allowed.');
    }
    for (const target of accepted) rule.targets.set(target.id, target);
    return { FailedEntryCount: failed.length, FailedEntries: failed };
  }

  /**
   * `RemoveTargets` by `Id` (ids the rule does not have are ignored).
   *
   * @param input - The request.
   * @returns The output shape.
   */
  removeTargets(input: EventBridgeInput): Record<string, unknown> {
    const rule = this.#requireRule(input, 'Rule');
    const ids = input['Ids'];
    if (!Array.isArray(ids) || ids.length < 1 || ids.length > MAX_IDS_PER_REMOVE || !ids.every((id) => typeof id === 'string')) {
      throw validationError(
        `1 validation error detected: Value at 'ids' failed to satisfy constraint: Member must have length between 1 and ${MAX_IDS_PER_REMOVE}`,
      );
    }
    for (const id of ids as string[]) rule.targets.delete(id);
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  /**
   * `ListTargetsByRule`, each target as it was put.
   *
   * @param input - The request.
   * @returns The output shape.
   */
  listTargetsByRule(input: EventBridgeInput): Record<string, unknown> {
    const rule = this.#requireRule(input, 'Rule');
    const limit = optionalLimit(input, 'Limit', LIST_LIMIT_MAX);
    const { page, nextToken } = pageOf([...rule.targets.values()], limit, optionalString(input, 'NextToken'));
    return { Targets: page.map((target) => target.raw), ...(nextToken === undefined ? {} : { NextToken: nextToken }) };
  }

  /**
   * The targets an event goes to: every target of every enabled rule of its bus whose pattern
   * matches, rules by name, targets in the order they were put.
   *
   * @param busName - The bus the event was put on.
   * @param event - The event as rules see it.
   * @returns The targets.
   * @throws {@link EventPatternMatcherError} when the matcher throws.
   */
  matchingTargets(busName: string, event: unknown): MatchedTarget[] {
    const rules = [...(this.#rules.get(busName)?.values() ?? [])].sort((a, b) => (a.name < b.name ? -1 : 1));
    const matched: MatchedTarget[] = [];
    for (const rule of rules) {
      if (rule.state === 'DISABLED' || rule.targets.size === 0) continue;
      const matcher = this.#patterns.matcher;
      // PutRule refuses every rule when there is no matcher, so this only guards the impossible.
      if (matcher === undefined) throw new EventPatternMatcherError(rule.name, new Error('no eventPatternMatcher was given'));
      let matches: boolean;
      try {
        matches = matcher(rule.pattern, event);
      } catch (error) {
        throw new EventPatternMatcherError(rule.name, error);
      }
      if (matches) for (const target of rule.targets.values()) matched.push({ rule, target });
    }
    return matched;
  }
}

function invalidPattern(reason: string): EventBridgeRequestError {
  return new EventBridgeRequestError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${reason}`);
}

function ruleShape(rule: EventRule, region: string): Record<string, unknown> {
  return {
    Name: rule.name,
    Arn: ruleArn(region, rule.busName, rule.name),
    EventPattern: rule.eventPattern,
    State: rule.state,
    ...(rule.description === undefined ? {} : { Description: rule.description }),
    EventBusName: rule.busName,
  };
}

function unsupported(id: string, message: string): TargetFailure {
  return { TargetId: id, ErrorCode: 'LocalAwsUnsupportedTarget', ErrorMessage: message };
}

function readTarget(value: unknown): RuleTarget | TargetFailure {
  if (!isJsonObject(value)) throw validationError('Each target must be an object with Id and Arn.');
  const id = requiredString(value, 'Id');
  checkName(id, 'id', TARGET_ID_PATTERN, TARGET_ID_MAX);
  const arn = requiredString(value, 'Arn');
  const input = optionalString(value, 'Input');
  const inputPath = optionalString(value, 'InputPath');
  const transformer = value['InputTransformer'];
  const transformations = [input, inputPath, transformer].filter((part) => part !== undefined && part !== null).length;
  if (transformations > 1) throw validationError('Only one of Input, InputPath, or InputTransformer must be provided.');
  if (input !== undefined) {
    try {
      JSON.parse(input);
    } catch {
      throw validationError(`Parameter Input is not valid for target ${id}: it must be valid JSON text.`);
    }
  }
  const queue = parseSqsQueueArn(arn);
  const sqsParameters = value['SqsParameters'];
  const messageGroupId = isJsonObject(sqsParameters) && typeof sqsParameters['MessageGroupId'] === 'string' ? sqsParameters['MessageGroupId'] : undefined;
  if (queue !== undefined && queue.name.endsWith('.fifo') && messageGroupId === undefined) {
    throw validationError(`Parameter(s) SqsParameters must be specified for target: ${id}.`);
  }
  if (queue === undefined) {
    return unsupported(id, `local-aws delivers rule targets to SQS queues only; ${arn} is not an SQS queue ARN. Use an SQS queue target, or real AWS for this target.`);
  }
  if (transformer !== undefined && transformer !== null) {
    return unsupported(id, 'local-aws does not apply InputTransformer. Use Input, InputPath, or no transformation.');
  }
  if (inputPath !== undefined && !INPUT_PATH.test(inputPath)) {
    return unsupported(id, `local-aws applies only simple InputPath values ($ or $.a.b); got ${inputPath}.`);
  }
  return { id, arn, input, inputPath, messageGroupId, raw: value };
}

/**
 * The message body EventBridge sends to a target for an event: the `Input` text when set, the
 * part of the event `InputPath` selects (as JSON), else the whole event as JSON.
 *
 * @param target - The target.
 * @param event - The event as rules see it.
 * @returns The body, or `undefined` when `InputPath` selects nothing.
 */
export function targetMessageBody(target: RuleTarget, event: Readonly<Record<string, unknown>>): string | undefined {
  if (target.input !== undefined) return target.input;
  if (target.inputPath === undefined || target.inputPath === '$') return JSON.stringify(event);
  let selected: unknown = event;
  for (const key of target.inputPath.slice(2).split('.')) {
    selected = isJsonObject(selected) ? selected[key] : undefined;
  }
  return selected === undefined ? undefined : JSON.stringify(selected);
}
