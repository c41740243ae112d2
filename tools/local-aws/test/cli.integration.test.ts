import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LocalAwsConfigError } from '@herald/local-aws';
import { CLI_DEFAULT_PORT, parseCliArguments } from '../src/cli-arguments.js';

describe('pnpm local-aws arguments', () => {
  it('defaults to port 4566 with DynamoDB, no latency and no faults', () => {
    expect(parseCliArguments([])).toEqual({ kind: 'start', options: { port: CLI_DEFAULT_PORT, dynamodb: true } });
  });

  it('maps every flag onto start options', () => {
    const command = parseCliArguments([
      '--port', '0', '--latency', '10-50', '--seed', '7', '--throttle', '0.1', '--server-error', '0.05',
      '--reset', '0.02', '--reset-after-forward', '0.01', '--failed-entries', '0.2', '--no-dynamodb',
    ]);
    expect(command).toEqual({
      kind: 'start',
      options: {
        port: 0,
        dynamodb: false,
        latencyMs: { min: 10, max: 50 },
        latencySeed: 7,
        faults: { seed: 7, throttle: 0.1, serverError: 0.05, reset: 0.02, resetAfterForward: 0.01, failedEntries: 0.2 },
      },
    });
    expect(parseCliArguments(['--latency', '20'])).toMatchObject({ options: { latencyMs: 20 } });
    expect(parseCliArguments(['--throttle', '0.5'])).toMatchObject({ options: { faults: { seed: 1, throttle: 0.5 } } });
    expect(parseCliArguments(['--help'])).toEqual({ kind: 'help' });
  });

  it('rejects unknown flags and values that are not numbers', () => {
    expect(() => parseCliArguments(['--bogus'])).toThrow(LocalAwsConfigError);
    expect(() => parseCliArguments(['--throttle', 'lots'])).toThrow(/--throttle needs a number/);
  });

  it('runs, prints the endpoint and env lines, and stops cleanly on SIGTERM', async () => {
    const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', '--no-dynamodb'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout });
    const printed: string[] = [];
    for await (const line of lines) {
      printed.push(line);
      if (line.includes('Ctrl+C stops')) break;
    }
    const endpoint = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(printed[0] ?? '')?.[1];
    expect(endpoint).toBeDefined();
    expect(printed).toContain(`export AWS_ENDPOINT_URL=${endpoint ?? ''}`);
    expect(printed).toContain('export AWS_REGION=us-east-1');
    expect(printed.some((line) => line.startsWith('export AWS_ACCESS_KEY_ID='))).toBe(true);
    const health = await fetch(`${endpoint ?? ''}/health`);
    expect(health.status).toBe(200);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});
