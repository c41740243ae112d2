#!/usr/bin/env node
import { CLI_USAGE, parseCliArguments } from './cli-arguments.js';
import { loadEvaluatorOptions } from './evaluator-options.js';
import { startLocalAws } from './local-aws.js';

async function main(): Promise<void> {
  const command = parseCliArguments(process.argv.slice(2));
  if (command.kind === 'help') {
    console.log(CLI_USAGE);
    return;
  }
  const evaluators = command.evaluators === undefined ? undefined : await loadEvaluatorOptions(command.evaluators);
  const local = await startLocalAws({ ...command.options, ...evaluators });
  const lines = Object.entries(local.env).map(([name, value]) => `export ${name}=${value}`);
  console.log(`local-aws listening on ${local.endpoint}`);
  console.log(`  SNS + SQS: fauxqs 1.9.2 (in process)`);
  console.log(`  DynamoDB:  ${local.dynamodbEndpoint === undefined ? 'off (--no-dynamodb)' : `DynamoDB Local at ${local.dynamodbEndpoint}`}`);
  console.log(
    evaluators === undefined
      ? '  EventBridge: built in (PutEvents, event buses; PutRule refused: no --evaluators)'
      : '  EventBridge: built in (PutEvents, event buses, rules with SQS targets)',
  );
  console.log(
    evaluators === undefined
      ? '  SNS filter policies: evaluated by fauxqs (see docs/emulator-divergences.md)'
      : `  SNS filter policies and event patterns: evaluated by ${command.evaluators ?? ''}`,
  );
  if (command.options.latencyMs !== undefined) console.log(`  latency:   ${JSON.stringify(command.options.latencyMs)} ms`);
  if (command.options.faults !== undefined) console.log(`  faults:    ${JSON.stringify(command.options.faults)}`);
  console.log('\nUse it from a shell with:');
  console.log(lines.join('\n'));
  console.log('\nMake SDK clients with `endpoint` set explicitly (see tools/local-aws/README.md). Ctrl+C stops.');

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping local-aws...`);
    local.stop().then(
      () => {
        console.log('stopped. Faults injected:', JSON.stringify(local.faultCounts()));
        process.exit(0);
      },
      (error: unknown) => {
        console.error('local-aws did not stop cleanly:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE') {
    console.error(`${error instanceof Error ? error.message : String(error)}\nIs local-aws already running? Stop it, or pick another port with --port <n> (--port 0 picks a free one).`);
    process.exit(1);
  }
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
