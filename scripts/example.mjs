#!/usr/bin/env node
// Runs an example against a fresh tools/local-aws endpoint:
//   node scripts/example.mjs <name> [args...]   (pnpm example <name> [args...])
//   node scripts/example.mjs --all              (pnpm demo: every example with its defaults)
// Each example is examples/<name>/src/main.ts, run with tsx. Its package.json may say
// `"localAws": { "dynamodb": true }` when it needs DynamoDB. Relative paths given as
// arguments are resolved from the directory pnpm was started in.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { startLocalAws, loadEvaluatorOptions } = await import(join(root, 'tools/local-aws/dist/index.js'));
// fauxqs's own filter-policy evaluation differs from SNS (docs/emulator-divergences.md), and
// local-aws cannot evaluate EventBridge patterns by itself: the examples run with @herald/fanout's
// evaluators, which follow AWS's recorded answers.
const evaluators = await loadEvaluatorOptions(join(root, 'packages/fanout/dist/index.js'));

function examplesDir(name) {
  return join(root, 'examples', name);
}

function listExamples() {
  return readdirSync(join(root, 'examples'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(examplesDir(d.name), 'src/main.ts')))
    .map((d) => d.name)
    .sort();
}

async function runExample(name, args) {
  const dir = examplesDir(name);
  const main = join(dir, 'src/main.ts');
  if (!existsSync(main)) {
    console.error(`No example named "${name}". Examples: ${listExamples().join(', ')}`);
    return 2;
  }
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const local = await startLocalAws({ dynamodb: Boolean(pkg.localAws?.dynamodb), ...evaluators });
  console.log(`\n▶ ${name} (local AWS at ${local.endpoint})\n`);
  try {
    return await new Promise((resolveCode, reject) => {
      const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), main, ...args], {
        cwd: process.env.INIT_CWD ?? process.cwd(),
        stdio: 'inherit',
        env: {
          ...process.env,
          AWS_ENDPOINT_URL: local.endpoint,
          AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
          // Herald targets Node 20; the SDK's notice that its 2027 releases need Node 22 is known.
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ?? 'true',
        },
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => resolveCode(code ?? (signal ? 1 : 0)));
    });
  } finally {
    await local.stop();
  }
}

const argv = process.argv.slice(2);
let exitCode = 0;
if (argv[0] === '--all' || argv.length === 0) {
  if (argv.length === 0) console.log('Usage: pnpm example <name> [args...]; running every example.');
  for (const name of listExamples()) {
    const code = await runExample(name, []);
    if (code !== 0) {
      console.error(`✖ example ${name} exited with ${code}`);
      exitCode = code;
    }
  }
} else {
  exitCode = await runExample(argv[0], argv.slice(1));
}
process.exit(exitCode);
