import { utf8ByteLength } from '@herald/core';
import { HERALD_QUEUE_POLICY_SID } from './herald-statement-sid.js';
import { QueuePolicyConflictError, QueuePolicyTooLargeError } from './subscription-errors.js';

/** Largest SQS queue policy, in bytes (SQS policy quotas). */
export const SQS_POLICY_MAX_BYTES = 8_192;
/** Most statements in an SQS queue policy (SQS policy quotas). */
export const SQS_POLICY_MAX_STATEMENTS = 20;

/** The service principal SNS delivers to SQS as. */
const SNS_SERVICE_PRINCIPAL = 'sns.amazonaws.com';
/** The keys a statement Herald wrote may have. */
const HERALD_STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Principal', 'Action', 'Resource', 'Condition']);

/** Input of {@link addTopicToQueuePolicy} and {@link removeTopicFromQueuePolicy}. */
export interface QueuePolicyEditInput {
  /** The queue's current `Policy` attribute: JSON text, or `undefined`/`''` when it has none. */
  readonly policy: string | undefined;
  /** The queue's ARN: the statement's `Resource`. */
  readonly queueArn: string;
  /** The topic to add or remove. */
  readonly topicArn: string;
}

/** Result of {@link addTopicToQueuePolicy} and {@link removeTopicFromQueuePolicy}. */
export interface QueuePolicyEdit {
  /**
   * The policy to set as the queue's `Policy` attribute: JSON text, or `''` when no statement is
   * left (setting `Policy` to the empty string is how SQS removes a queue's policy). When
   * {@link QueuePolicyEdit.changed} is `false` it is the input, unchanged (`''` for none).
   */
  readonly policy: string;
  /** Whether the policy differs from the input, so it has to be written. */
  readonly changed: boolean;
  /** The topics Herald's statement allows after the edit, sorted (empty when it is gone). */
  readonly topics: readonly string[];
}

type JsonObject = Record<string, unknown>;

interface ParsedPolicy {
  readonly document: JsonObject;
  readonly statements: JsonObject[];
}

interface HeraldStatement {
  readonly index: number;
  readonly operator: 'ArnEquals' | 'ArnLike';
  readonly topics: readonly string[];
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A string, or an array of exactly one string, equal to `expected` (`caseInsensitive` for actions). */
function isSingle(value: unknown, expected: string, caseInsensitive = false): boolean {
  const one = Array.isArray(value) && value.length === 1 ? value[0] : value;
  if (typeof one !== 'string') return false;
  return caseInsensitive ? one.toLowerCase() === expected.toLowerCase() : one === expected;
}

/** What to do when the Policy attribute itself is not a policy document. */
const FIX_POLICY = "fix or remove the queue's Policy attribute (SetQueueAttributes)";

function parsePolicy(text: string | undefined, queue: string): ParsedPolicy | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new QueuePolicyConflictError(queue, 'its Policy attribute is not valid JSON', FIX_POLICY);
  }
  if (!isObject(document)) throw new QueuePolicyConflictError(queue, 'its Policy attribute is not a JSON object', FIX_POLICY);
  const raw = document['Statement'];
  const statements = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  if (!statements.every(isObject)) {
    throw new QueuePolicyConflictError(queue, 'its Statement holds something that is not a statement object', FIX_POLICY);
  }
  return { document, statements };
}

function problemWithHeraldStatement(statement: JsonObject, queueArn: string): string | undefined {
  const extra = Object.keys(statement).filter((key) => !HERALD_STATEMENT_KEYS.has(key));
  if (extra.length > 0) return `it has ${extra.join(', ')}`;
  if (statement['Effect'] !== 'Allow') return 'its Effect is not Allow';
  const principal = statement['Principal'];
  if (!isObject(principal) || Object.keys(principal).length !== 1 || !isSingle(principal['Service'], SNS_SERVICE_PRINCIPAL)) {
    return `its Principal is not the service ${SNS_SERVICE_PRINCIPAL}`;
  }
  if (!isSingle(statement['Action'], 'sqs:SendMessage', true)) return 'its Action is not sqs:SendMessage';
  if (!isSingle(statement['Resource'], queueArn)) return `its Resource is not ${queueArn}`;
  return undefined;
}

/** Reads the condition of Herald's statement: one ArnEquals/ArnLike on aws:SourceArn. */
function readCondition(statement: JsonObject): Pick<HeraldStatement, 'operator' | 'topics'> | undefined {
  const condition = statement['Condition'];
  if (!isObject(condition)) return undefined;
  const operators = Object.keys(condition);
  const operator = operators[0];
  if (operators.length !== 1 || (operator !== 'ArnEquals' && operator !== 'ArnLike')) return undefined;
  const keys = condition[operator];
  if (!isObject(keys)) return undefined;
  const names = Object.keys(keys);
  const name = names[0];
  // Condition key names are case-insensitive in IAM policies.
  if (names.length !== 1 || name === undefined || name.toLowerCase() !== 'aws:sourcearn') return undefined;
  const values = keys[name];
  const topics = typeof values === 'string' ? [values] : values;
  if (!Array.isArray(topics) || topics.length === 0 || !topics.every((t): t is string => typeof t === 'string')) {
    return undefined;
  }
  return { operator, topics };
}

function findHeraldStatement(parsed: ParsedPolicy, queueArn: string, queue: string): HeraldStatement | undefined {
  const indexes = parsed.statements.flatMap((statement, index) =>
    statement['Sid'] === HERALD_QUEUE_POLICY_SID ? [index] : [],
  );
  if (indexes.length > 1) {
    throw new QueuePolicyConflictError(
      queue,
      `${indexes.length} statements have the Sid "${HERALD_QUEUE_POLICY_SID}"`,
      `rename or remove those statements (Herald owns the Sid "${HERALD_QUEUE_POLICY_SID}")`,
    );
  }
  const index = indexes[0];
  if (index === undefined) return undefined;
  const statement = parsed.statements[index] as JsonObject;
  const problem = problemWithHeraldStatement(statement, queueArn);
  const condition = problem === undefined ? readCondition(statement) : undefined;
  if (condition === undefined) {
    throw new QueuePolicyConflictError(
      queue,
      `the statement with Sid "${HERALD_QUEUE_POLICY_SID}" was not written by Herald ` +
        `(${problem ?? 'its Condition is not a single ArnEquals or ArnLike on aws:SourceArn'})`,
    );
  }
  return { index, ...condition };
}

function heraldStatement(queueArn: string, operator: HeraldStatement['operator'], topics: readonly string[]): JsonObject {
  return {
    Sid: HERALD_QUEUE_POLICY_SID,
    Effect: 'Allow',
    Principal: { Service: SNS_SERVICE_PRINCIPAL },
    Action: 'sqs:SendMessage',
    Resource: queueArn,
    Condition: { [operator]: { 'aws:SourceArn': [...topics] } },
  };
}

function serialize(document: JsonObject, statements: JsonObject[], queue: string): string {
  if (statements.length === 0) return '';
  if (statements.length > SQS_POLICY_MAX_STATEMENTS) {
    throw new QueuePolicyTooLargeError(queue, `${statements.length} statements, at most ${SQS_POLICY_MAX_STATEMENTS}`);
  }
  const text = JSON.stringify({ ...document, Statement: statements });
  const bytes = utf8ByteLength(text);
  if (bytes > SQS_POLICY_MAX_BYTES) {
    throw new QueuePolicyTooLargeError(queue, `${bytes} bytes, at most ${SQS_POLICY_MAX_BYTES}`);
  }
  return text;
}

const sorted = (topics: Iterable<string>): string[] => [...new Set(topics)].sort();

/**
 * Adds `topicArn` to the one statement Herald owns in a queue policy (Sid
 * {@link HERALD_QUEUE_POLICY_SID}): `Allow` `sqs:SendMessage` on the queue to the
 * `sns.amazonaws.com` service principal, with `ArnEquals` on `aws:SourceArn` listing every
 * subscribed topic. Creates the statement (or the whole policy) when missing. Every other
 * statement, and the policy's `Version` and `Id`, stay as they are; a single non-array
 * `Statement` becomes an array when the statement is added. A pure function: it only computes
 * the new text.
 *
 * `ArnEquals` rather than `ArnLike`: topic ARNs have no wildcards, and an exact match cannot
 * allow more than intended. A Herald statement someone changed to `ArnLike` keeps its operator.
 *
 * @param input - The current policy, the queue ARN and the topic.
 * @returns The new policy and whether it changed (unchanged when the topic is already listed).
 * @throws {@link QueuePolicyConflictError} when the policy is not JSON, or a statement with
 * Herald's Sid is not one Herald writes (nothing is changed then).
 * @throws {@link QueuePolicyTooLargeError} when the result would exceed 8,192 bytes or 20 statements.
 */
export function addTopicToQueuePolicy(input: QueuePolicyEditInput): QueuePolicyEdit {
  const { queueArn, topicArn } = input;
  const parsed = parsePolicy(input.policy, queueArn);
  if (parsed === undefined) {
    const statement = heraldStatement(queueArn, 'ArnEquals', [topicArn]);
    return { policy: serialize({ Version: '2012-10-17' }, [statement], queueArn), changed: true, topics: [topicArn] };
  }
  const existing = findHeraldStatement(parsed, queueArn, queueArn);
  if (existing?.topics.includes(topicArn)) {
    return { policy: input.policy ?? '', changed: false, topics: sorted(existing.topics) };
  }
  const topics = sorted([...(existing?.topics ?? []), topicArn]);
  const statement = heraldStatement(queueArn, existing?.operator ?? 'ArnEquals', topics);
  const statements =
    existing === undefined
      ? [...parsed.statements, statement]
      : parsed.statements.map((s, index) => (index === existing.index ? statement : s));
  return { policy: serialize(parsed.document, statements, queueArn), changed: true, topics };
}

/**
 * Removes `topicArn` from Herald's statement (see {@link addTopicToQueuePolicy}); removes the
 * statement when no topic is left, and returns `''` (no policy) when no statement is left.
 * Every other statement stays as it is. A pure function.
 *
 * @param input - The current policy, the queue ARN and the topic.
 * @returns The new policy and whether it changed (unchanged when the topic was not listed).
 * @throws {@link QueuePolicyConflictError} as {@link addTopicToQueuePolicy} does.
 */
export function removeTopicFromQueuePolicy(input: QueuePolicyEditInput): QueuePolicyEdit {
  const { queueArn, topicArn } = input;
  const unchanged = (topics: readonly string[]): QueuePolicyEdit => ({ policy: input.policy ?? '', changed: false, topics });
  const parsed = parsePolicy(input.policy, queueArn);
  if (parsed === undefined) return unchanged([]);
  const existing = findHeraldStatement(parsed, queueArn, queueArn);
  if (existing === undefined) return unchanged([]);
  if (!existing.topics.includes(topicArn)) return unchanged(sorted(existing.topics));
  const topics = sorted(existing.topics.filter((topic) => topic !== topicArn));
  const statements =
    topics.length === 0
      ? parsed.statements.filter((_, index) => index !== existing.index)
      : parsed.statements.map((s, index) => (index === existing.index ? heraldStatement(queueArn, existing.operator, topics) : s));
  return { policy: serialize(parsed.document, statements, queueArn), changed: true, topics };
}

/**
 * The topics Herald's statement in a queue policy allows, sorted; empty when there is no
 * policy or no Herald statement.
 *
 * @param policy - The queue's `Policy` attribute (JSON text, `''` or `undefined`).
 * @param queueArn - The queue's ARN.
 * @returns The topic ARNs.
 * @throws {@link QueuePolicyConflictError} as {@link addTopicToQueuePolicy} does.
 */
export function queuePolicyTopics(policy: string | undefined, queueArn: string): string[] {
  const parsed = parsePolicy(policy, queueArn);
  const existing = parsed === undefined ? undefined : findHeraldStatement(parsed, queueArn, queueArn);
  return sorted(existing?.topics ?? []);
}
