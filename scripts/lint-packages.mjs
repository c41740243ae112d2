#!/usr/bin/env node
// Checks every publishable package (packages/*) the way a consumer would meet it:
// publint (package.json / exports sanity) and @arethetypeswrong/cli (types resolve for
// ESM and CommonJS consumers under every module resolution).
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const packages = readdirSync(join(root, 'packages'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, 'packages', d.name, 'package.json')))
  .map((d) => join(root, 'packages', d.name))
  .filter((dir) => !JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private);

let failed = false;
function run(label, cmd, args, cwd) {
  const result = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`✖ ${label} failed`);
    failed = true;
  }
}
for (const dir of packages) {
  const { name } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  console.log(`\n▶ ${name}`);
  run(`publint ${name}`, 'pnpm', ['exec', 'publint', '--strict', dir], root);
  run(`attw ${name}`, 'pnpm', ['exec', 'attw', '--pack', dir], root);
}
process.exit(failed ? 1 : 0);
