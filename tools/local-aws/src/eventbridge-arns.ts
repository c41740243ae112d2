/** The account id every local resource belongs to (fauxqs uses the same one for queues and topics). */
export const LOCAL_ACCOUNT_ID = '000000000000';

/** The bus every account has; it cannot be created or deleted. */
export const DEFAULT_EVENT_BUS = 'default';

const BUS_ARN = /^arn:aws[\w-]*:events:[^:]*:[^:]*:event-bus\/(.+)$/;

/**
 * The bus a request names: `EventBusName` may be a name or a bus ARN, and is the default bus when absent.
 *
 * @param nameOrArn - The value sent, if any.
 * @returns The bus name.
 */
export function eventBusNameOf(nameOrArn: string | undefined): string {
  if (nameOrArn === undefined || nameOrArn === '') return DEFAULT_EVENT_BUS;
  const match = BUS_ARN.exec(nameOrArn);
  return match?.[1] ?? nameOrArn;
}

/**
 * The ARN of an event bus: `arn:aws:events:<region>:<account>:event-bus/<name>`.
 *
 * @param region - The region.
 * @param name - The bus name.
 * @returns The ARN.
 */
export function eventBusArn(region: string, name: string): string {
  return `arn:aws:events:${region}:${LOCAL_ACCOUNT_ID}:event-bus/${name}`;
}

/**
 * The ARN of a rule: `.../rule/<rule>` on the default bus, `.../rule/<bus>/<rule>` on a custom one.
 *
 * @param region - The region.
 * @param busName - The bus the rule is on.
 * @param ruleName - The rule name.
 * @returns The ARN.
 */
export function ruleArn(region: string, busName: string, ruleName: string): string {
  const path = busName === DEFAULT_EVENT_BUS ? ruleName : `${busName}/${ruleName}`;
  return `arn:aws:events:${region}:${LOCAL_ACCOUNT_ID}:rule/${path}`;
}

/** An SQS queue named by an ARN. */
export interface SqsQueueArn {
  /** The account in the ARN. */
  readonly account: string;
  /** The queue name. */
  readonly name: string;
}

const SQS_ARN = /^arn:aws[\w-]*:sqs:[^:]*:([^:]+):([^:/]+)$/;

/**
 * Reads an SQS queue ARN (`arn:aws:sqs:<region>:<account>:<name>`).
 *
 * @param arn - Any ARN.
 * @returns The queue, or `undefined` when the ARN is not an SQS queue ARN.
 */
export function parseSqsQueueArn(arn: string): SqsQueueArn | undefined {
  const match = SQS_ARN.exec(arn);
  if (match === null) return undefined;
  return { account: match[1] ?? '', name: match[2] ?? '' };
}

const CREDENTIAL_REGION = /Credential=[^/,\s]+\/\d{8}\/([^/,\s]+)\//;

/**
 * The region a request was signed for (from the SigV4 `Authorization` credential scope),
 * which local-aws uses in the ARNs and events it returns.
 *
 * @param headers - Request headers (lower-case names).
 * @param fallback - Region when the request is not signed.
 * @returns The region.
 */
export function signedRegion(headers: Readonly<Record<string, string>>, fallback: string): string {
  const match = CREDENTIAL_REGION.exec(headers['authorization'] ?? '');
  return match?.[1] ?? fallback;
}
