/**
 * Rewrites the generated part of docs/emulator-divergences.md from fauxqs-divergences.json
 * (the text outside the markers is kept). Run after changing the list:
 *
 *   pnpm exec tsx packages/fanout/test/emulator/write-divergences-doc.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DIVERGENCE_DOC, divergenceList, GENERATED_END, GENERATED_START, renderDivergenceSections } from './fauxqs-divergences.js';

const path = fileURLToPath(DIVERGENCE_DOC);
const doc = readFileSync(path, 'utf8');
const start = doc.indexOf(GENERATED_START);
const end = doc.indexOf(GENERATED_END);
if (start < 0 || end < start) {
  console.error(`${path} has no generated section: put these two lines where it belongs, then run again.\n${GENERATED_START}\n${GENERATED_END}`);
  process.exit(1);
}
writeFileSync(path, doc.slice(0, start) + renderDivergenceSections(divergenceList) + doc.slice(end + GENERATED_END.length));
console.log(`Wrote ${divergenceList.divergences.length} divergences to ${path}`);
