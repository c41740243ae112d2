#!/usr/bin/env node
// Runs benchmarks: `pnpm bench` runs every bench/<name>/main.ts, `pnpm bench <name>` one.
// Each benchmark starts the local AWS endpoint it needs, prints a table and writes
// bench/results/<name>.json.
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, 'bench');
const all = readdirSync(benchDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(benchDir, d.name, 'main.ts')))
  .map((d) => d.name)
  .sort();
const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = names.filter((n) => !all.includes(n));
if (unknown.length > 0) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Available: ${all.join(', ')}`);
  process.exit(2);
}
let failed = false;
for (const name of names.length > 0 ? names : all) {
  console.log(`\n▶ bench ${name}\n`);
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', import.meta.resolve('tsx'), join(benchDir, name, 'main.ts')], {
    cwd: root,
    stdio: 'inherit',
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env },
  });
  if (run.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
