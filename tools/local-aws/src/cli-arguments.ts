import { parseArgs } from 'node:util';
import type { FaultOptions } from './fault-options.js';
import { LocalAwsConfigError } from './fault-options.js';
import type { LatencyOption } from './latency.js';
import type { LocalAwsOptions } from './local-aws.js';

/** Port the CLI listens on unless `--port` says otherwise. */
export const CLI_DEFAULT_PORT = 4566;

/** Usage text of `pnpm local-aws`. */
export const CLI_USAGE = `Usage: pnpm local-aws [options]

Starts one local endpoint for SNS, SQS (fauxqs), DynamoDB (DynamoDB Local) and EventBridge
(built in: PutEvents, event buses, rules with SQS targets) on 127.0.0.1. pnpm local-aws gives it
@herald/fanout's evaluators (--evaluators): SNS filter policies are then evaluated as SNS does,
not as fauxqs does, and EventBridge rules work. Without evaluators, PutRule is refused.

Options:
  --port <n>                 port to listen on (default ${CLI_DEFAULT_PORT}; 0 = any free port)
  --latency <ms|min-max>     delay added before each request, e.g. 20 or 10-50
  --seed <n>                 seed of the fault sequence (default 1)
  --throttle <fraction>      fraction of requests answered with a throttling error
  --server-error <fraction>  fraction of requests answered HTTP 500
  --reset <fraction>         fraction of connections reset before forwarding
  --reset-after-forward <fraction>  fraction of answers lost after the emulator acted
  --failed-entries <fraction>       fraction of PublishBatch/SendMessageBatch/PutEvents entries failed
  --no-dynamodb              do not start DynamoDB Local (no Java needed)
  --evaluators <module>      module exporting matchesFilterPolicy, matchesEventPattern and
                             validateEventPattern (pnpm local-aws passes packages/fanout/dist/index.js)
  --help                     show this text`;

/** What the command line asks for. */
export type CliCommand =
  | { readonly kind: 'help' }
  | {
      readonly kind: 'start';
      readonly options: LocalAwsOptions;
      /** Module to load filter-policy and event-pattern evaluators from (`--evaluators`). */
      readonly evaluators?: string;
    };

function parseNumber(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) {
    throw new LocalAwsConfigError(`--${flag} needs a number, got "${text}".`);
  }
  return value;
}

function parseLatency(text: string | undefined): LatencyOption | undefined {
  if (text === undefined) return undefined;
  const range = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(text.trim());
  if (range !== null) return { min: Number(range[1]), max: Number(range[2]) };
  return parseNumber('latency', text);
}

/**
 * Turns `pnpm local-aws` arguments into start options.
 *
 * @param argv - Arguments after the script name.
 * @returns The command to run.
 * @throws {@link LocalAwsConfigError} for unknown flags or values that are not numbers.
 */
export function parseCliArguments(argv: readonly string[]): CliCommand {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        latency: { type: 'string' },
        seed: { type: 'string' },
        throttle: { type: 'string' },
        'server-error': { type: 'string' },
        reset: { type: 'string' },
        'reset-after-forward': { type: 'string' },
        'failed-entries': { type: 'string' },
        'no-dynamodb': { type: 'boolean' },
        evaluators: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new LocalAwsConfigError(`${error instanceof Error ? error.message : String(error)}\n\n${CLI_USAGE}`, { cause: error });
  }
  if (values['help'] === true) return { kind: 'help' };
  const text = (name: string): string | undefined => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const faultFractions = {
    throttle: parseNumber('throttle', text('throttle')),
    serverError: parseNumber('server-error', text('server-error')),
    reset: parseNumber('reset', text('reset')),
    resetAfterForward: parseNumber('reset-after-forward', text('reset-after-forward')),
    failedEntries: parseNumber('failed-entries', text('failed-entries')),
  };
  const seed = parseNumber('seed', text('seed'));
  const anyFault = Object.values(faultFractions).some((value) => value !== undefined);
  let faults: FaultOptions | undefined;
  if (anyFault) {
    faults = { seed: seed ?? 1 };
    for (const [key, value] of Object.entries(faultFractions)) {
      if (value !== undefined) faults = { ...faults, [key]: value };
    }
  }
  const latencyMs = parseLatency(text('latency'));
  const options: LocalAwsOptions = {
    port: parseNumber('port', text('port')) ?? CLI_DEFAULT_PORT,
    dynamodb: values['no-dynamodb'] !== true,
    ...(latencyMs === undefined ? {} : { latencyMs }),
    ...(faults === undefined ? {} : { faults }),
    ...(seed === undefined ? {} : { latencySeed: seed }),
  };
  const evaluators = text('evaluators');
  return evaluators === undefined ? { kind: 'start', options } : { kind: 'start', options, evaluators };
}
